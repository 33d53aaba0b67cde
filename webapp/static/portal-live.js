// Live updates of a portal ticket page over server-sent events.
// A "comment_added" event names the comment; its customer-visible form is fetched as JSON and shown
// with textContent only (never innerHTML of anything a person wrote). "ticket_updated" refreshes the stage.
(function () {
  "use strict";
  var page = document.querySelector("[data-live-ticket]");
  if (!page || !window.EventSource) { return; }
  var list = page.querySelector("[data-comment-list]");
  var template = document.getElementById("comment-template");
  var status = page.querySelector("[data-live-status]");
  var commentUrl = page.getAttribute("data-comment-url").replace(/\/0$/, "/");
  var stageLabels = {};
  try { stageLabels = JSON.parse(page.getAttribute("data-stage-labels") || "{}"); } catch (e) { stageLabels = {}; }

  function shown(id) {
    return page.querySelector('[data-comment-id="' + String(Number(id)) + '"]') !== null;
  }

  function render(comment) {
    var node = template.content.firstElementChild.cloneNode(true);
    var article = node.querySelector("article");
    article.id = "comment-" + comment.id;
    article.setAttribute("data-comment-id", String(comment.id));
    article.classList.add("author-" + comment.author_kind);
    node.querySelector(".comment-author").textContent = comment.author;
    node.querySelector(".badge-team").hidden = comment.author_kind !== "dev";
    var time = node.querySelector("time");
    time.textContent = comment.created_label;
    time.setAttribute("datetime", comment.created_at);
    node.querySelector(".comment-body").textContent = comment.body;
    node.querySelector('input[name="parent_id"]').value = String(comment.id);
    var textarea = node.querySelector("textarea");
    textarea.id = "reply-" + comment.id;
    node.querySelector("label").setAttribute("for", textarea.id);
    return node;
  }

  function insert(comment) {
    if (shown(comment.id)) { return; }
    var node = render(comment);
    var parent = comment.parent_id ? page.querySelector('[data-comment-id="' + String(Number(comment.parent_id)) + '"]') : null;
    if (parent) {
      parent.parentElement.querySelector(".comment-replies").appendChild(node);
    } else {
      list.insertBefore(node, list.firstChild);  // newest first
    }
    var empty = page.querySelector("[data-no-comments]");
    if (empty) { empty.remove(); }
    if (status) { status.textContent = (page.getAttribute("data-new-comment-text") || "") + " " + comment.author; }
  }

  function onComment(event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    var id = data.comment && data.comment.id;
    if (!id || shown(id)) { return; }
    fetch(commentUrl + encodeURIComponent(id), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (comment) { if (comment) { insert(comment); } })
      .catch(function () { /* the comment shows on the next reload */ });
  }

  function onTicket(event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    var badge = page.querySelector("[data-ticket-stage]");
    if (badge && data.ticket && data.ticket.stage) {
      badge.textContent = stageLabels[data.ticket.stage] || data.ticket.stage;
    }
  }

  var source = new EventSource(page.getAttribute("data-events-url"));
  source.addEventListener("comment_added", onComment);
  source.addEventListener("ticket_updated", onTicket);
  page.setAttribute("data-live", "connecting");
  source.addEventListener("open", function () { page.setAttribute("data-live", "open"); });
})();

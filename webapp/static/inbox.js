/* snapdesk inbox: keyboard shortcuts and live updates (server-sent events). No dependencies.
 *
 * Pages mark themselves with <div id="inbox-app" data-page="list|conversation|tickets|ticket|reports">.
 * Text from events is always inserted with textContent (never as HTML). Panels that depend on rules
 * (which stage moves are legal) are re-read from the server's own page, never rebuilt here.
 * While the event stream is open, #inbox-app carries data-live="open" (tests wait for it).
 */
(function () {
  "use strict";

  var app = document.getElementById("inbox-app");
  if (!app) return;
  var page = app.dataset.page;
  var announcer = document.getElementById("live-announcer");
  var help = document.getElementById("shortcuts-help");

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    // A fresh text node after a tick makes screen readers read the same sentence twice in a row.
    window.setTimeout(function () { announcer.textContent = text; }, 30);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /* -- Keyboard shortcuts ---------------------------------------------------------------------- */

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll(".conversation-row"));
  }

  function selectedRow() {
    return document.querySelector(".conversation-row.selected");
  }

  function select(row) {
    rows().forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); });
    if (!row) return;
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    row.scrollIntoView({ block: "nearest" });
    var link = row.querySelector(".row-link");
    if (link) link.focus({ preventScroll: true });
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.indexOf(selectedRow());
    var next = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    select(all[next]);
  }

  function openSelected(hash) {
    var row = selectedRow();
    if (row && row.dataset.url) window.location.assign(row.dataset.url + (hash || ""));
  }

  var composer = document.querySelector("[data-composer]");

  function setKind(kind) {
    if (!composer) return;
    var radio = composer.querySelector('input[name="kind"][value="' + kind + '"]');
    if (radio) radio.checked = true;
    syncComposer();
  }

  function syncComposer() {
    if (!composer) return;
    var checked = composer.querySelector('input[name="kind"]:checked');
    var note = checked && checked.value === "note";
    composer.classList.toggle("note-mode", !!note);
    var submit = composer.querySelector("[data-composer-submit]");
    if (submit) submit.textContent = note ? "Add internal note" : "Send reply";
  }

  function focusComposer(kind) {
    if (!composer) return;
    if (kind) setKind(kind);
    var area = composer.querySelector("textarea");
    if (area) { area.scrollIntoView({ block: "center" }); area.focus(); }
  }

  if (composer) {
    composer.addEventListener("change", syncComposer);
    syncComposer();
    if (window.location.hash === "#reply") focusComposer("reply");
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-shortcuts-open]");
    if (opener && help && help.showModal) help.showModal();
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.form && target.closest("[data-composer]")) {
      event.preventDefault();
      if (target.form.reportValidity()) target.form.requestSubmit();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (isTyping(target) || (help && help.open)) return;
    var handled = true;
    switch (event.key) {
      case "?":
        if (help && help.showModal) help.showModal();
        break;
      case "j":
        move(1);
        break;
      case "k":
        move(-1);
        break;
      case "o":
        openSelected("");
        break;
      case "r":
        if (page === "list") openSelected("#reply"); else focusComposer("reply");
        break;
      case "n":
        if (page === "list") openSelected("#reply"); else focusComposer("note");
        break;
      case "e": {
        var resolve = document.querySelector("[data-resolve]");
        if (resolve) resolve.click();
        else if (page === "conversation") announce("This conversation cannot be resolved from its current stage.");
        break;
      }
      case "u":
        if (app.dataset.listUrl) window.location.assign(app.dataset.listUrl);
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  });

  /* -- Live updates ---------------------------------------------------------------------------- */

  function connect(url, handlers) {
    if (!url || !window.EventSource) return;
    var source = new EventSource(url);
    source.onopen = function () { app.dataset.live = "open"; };
    source.onerror = function () { app.dataset.live = "reconnecting"; };
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (message) {
        var data;
        try { data = JSON.parse(message.data); } catch (error) { return; }
        handlers[name](data);
      });
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  var refreshTimer = null;
  var pendingPanels = {};

  /* Re-read panels (stage, legal moves, details) from a fresh copy of this page: the server decides
   * what is legal. A panel the agent is using (focus inside) is left alone. */
  function refreshPanels(ids) {
    ids.forEach(function (id) { pendingPanels[id] = true; });
    if (refreshTimer) window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(function () {
      var wanted = Object.keys(pendingPanels);
      pendingPanels = {};
      fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html");
          wanted.forEach(function (id) {
            var current = document.getElementById(id);
            var replacement = fresh.getElementById(id);
            if (!current || !replacement) return;
            if (current.contains(document.activeElement)) return;
            current.replaceWith(document.importNode(replacement, true));
          });
        })
        .catch(function () { /* the next event tries again */ });
    }, 120);
  }

  /* List page: rows from /conversations/<id>/summary (JSON), built with textContent. */
  function buildRow(row) {
    var tr = el("tr", "conversation-row stage-" + row.stage);
    tr.dataset.conversationId = row.id;
    tr.dataset.url = row.url;
    var title = el("td", "col-title");
    var link = el("a", "row-link", row.title);
    link.href = row.url;
    title.appendChild(link);
    if (row.snippet) title.appendChild(el("span", "snippet", row.snippet));
    tr.appendChild(title);
    tr.appendChild(el("td", "col-contact", row.contact));
    tr.appendChild(el("td", "col-account", row.account));
    tr.appendChild(el("td", "col-owner", row.owner));
    var priority = el("td", "col-priority");
    priority.appendChild(el("span", "priority priority-" + row.priority, String(row.priority).toUpperCase()));
    tr.appendChild(priority);
    var tags = el("td", "col-tags");
    (row.tags || []).forEach(function (tag) { tags.appendChild(el("span", "tag", tag)); });
    tr.appendChild(tags);
    var stage = el("td", "col-stage");
    stage.appendChild(el("span", "stage-badge stage-" + row.stage, row.stage_label));
    tr.appendChild(stage);
    var when = el("td", "col-age");
    var time = el("time", null, row.age);
    time.setAttribute("datetime", row.created_at);
    when.appendChild(time);
    tr.appendChild(when);
    var actions = el("td", "col-actions");
    if (row.needs_reply) {
      var reply = el("a", "button small-button primary", "Reply");
      reply.href = row.url + "#reply";
      actions.appendChild(reply);
    }
    tr.appendChild(actions);
    return tr;
  }

  function updateCounts(counts) {
    Object.keys(counts || {}).forEach(function (stage) {
      var badge = document.querySelector('[data-count-for="' + stage + '"]');
      if (badge) badge.textContent = String(counts[stage]);
    });
  }

  function syncEmpty() {
    var empty = document.getElementById("empty-list");
    var count = rows().length;
    if (empty) empty.hidden = count > 0;
    var range = document.getElementById("list-range");
    // The server's "1–50 of 120" is stale once rows arrive or leave live; say what is on screen.
    if (range) range.textContent = count ? count + " shown" : "No conversations";
  }

  function onListEvent(name, data) {
    var conversation = data && data.conversation;
    if (!conversation) return;
    var url = app.dataset.summaryUrl.replace("/conversations/0/", "/conversations/" + conversation.id + "/");
    fetch(url + window.location.search, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (summary) {
        if (!summary) return;
        updateCounts(summary.counts);
        var body = document.querySelector("#conversation-list tbody");
        var existing = document.querySelector('.conversation-row[data-conversation-id="' + conversation.id + '"]');
        if (!summary.matches) {
          if (existing) existing.remove();
        } else {
          var row = buildRow(summary.row);
          if (existing) {
            if (existing.classList.contains("selected")) row.classList.add("selected");
            existing.replaceWith(row);
          } else if (body) {
            row.classList.add("arrived");
            body.insertBefore(row, body.firstChild);
          }
        }
        syncEmpty();
        if (name === "conversation_created") announce("New conversation: " + summary.row.title);
      })
      .catch(function () { /* best effort: the next event or a reload catches up */ });
  }

  function appendMessage(message) {
    var list = document.getElementById("messages");
    if (!list || document.querySelector('[data-message-id="' + message.id + '"]')) return;
    var names = {};
    var namesNode = document.getElementById("agent-names");
    try { names = JSON.parse(namesNode ? namesNode.textContent : "{}"); } catch (error) { names = {}; }
    var author = message.author_kind === "system" ? "System"
      : message.author_kind === "rev" ? (app.dataset.contactName || "Customer")
      : (names[String(message.author_user_id)] || "Agent");
    var item = el("li", "message author-" + message.author_kind + (message.internal ? " internal" : "") + " arrived");
    item.dataset.messageId = message.id;
    var meta = el("div", "message-meta");
    meta.appendChild(el("span", "message-author", author));
    if (message.internal) meta.appendChild(el("span", "note-label", message.author_kind === "system" ? "System note" : "Internal note"));
    var time = el("time", null, "just now");
    time.setAttribute("datetime", message.created_at);
    meta.appendChild(time);
    item.appendChild(meta);
    item.appendChild(el("div", "message-body", message.body));
    list.appendChild(item);
    if (message.author_kind === "rev") announce(author + " wrote: " + message.body.slice(0, 120));
  }

  function appendComment(comment) {
    var list = document.getElementById("messages");
    if (!list || document.querySelector('[data-comment-id="' + comment.id + '"]')) return;
    var empty = list.querySelector("[data-empty]");
    if (empty) empty.remove();
    var internal = comment.visibility === "internal";
    var item = el("li", "message author-" + comment.author_kind + (internal ? " internal" : "") + " arrived");
    item.dataset.commentId = comment.id;
    var meta = el("div", "message-meta");
    meta.appendChild(el("span", "message-author", comment.author_kind === "rev" ? "Customer" : comment.author_kind === "dev" ? "Agent" : "System"));
    meta.appendChild(el("span", internal ? "note-label" : "external-label", internal ? "Internal" : "Visible to customer"));
    meta.appendChild(el("time", null, "just now"));
    item.appendChild(meta);
    item.appendChild(el("div", "message-body", comment.body));
    list.appendChild(item);
  }

  var conversationEvents = ["conversation_created", "message_posted", "stage_changed", "conversation_updated"];
  var handlers = {};

  if (page === "list") {
    conversationEvents.forEach(function (name) {
      handlers[name] = function (data) { onListEvent(name, data); };
    });
  } else if (page === "conversation") {
    var conversationId = Number(app.dataset.conversationId);
    conversationEvents.forEach(function (name) {
      handlers[name] = function (data) {
        if (!data.conversation || data.conversation.id !== conversationId) return;
        if (data.message) appendMessage(data.message);
        refreshPanels(["conversation-stage", "conversation-actions", "conversation-details", "stage-history"]);
      };
    });
  } else if (page === "ticket") {
    var ticketId = Number(app.dataset.ticketId);
    ["comment_added", "ticket_updated"].forEach(function (name) {
      handlers[name] = function (data) {
        if (!data.ticket || data.ticket.id !== ticketId) return;
        if (data.comment) appendComment(data.comment);
        refreshPanels(["ticket-stage", "ticket-actions", "ticket-details"]);
      };
    });
  }
  if (Object.keys(handlers).length) connect(app.dataset.eventsUrl, handlers);
})();

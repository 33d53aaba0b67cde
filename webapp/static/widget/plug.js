/* PLuG chat widget for snapdesk. Dependency-free; embed with one tag:
 *   <script src="https://desk.example.com/widget/plug.js" data-workspace="acme"
 *           data-user-token="(optional JWT from your server)" async></script>
 * Everything lives in a shadow root, so the host page's CSS cannot reach it (and ours cannot leak). */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-workspace][src*='/widget/plug.js']");
  if (!script || window.__snapdeskPlug) return;
  window.__snapdeskPlug = true;
  var slug = script.getAttribute("data-workspace");
  var userToken = script.getAttribute("data-user-token") || "";
  var src = new URL(script.src, location.href);
  var origin = src.origin + src.pathname.replace(/\/widget\/plug\.js$/, "");
  var api = origin + "/widget/api/" + encodeURIComponent(slug);
  // Anonymous visitors keep their session (and so their conversations) across visits; an identified
  // user's session is re-derived from the host page's token on each load.
  var store = userToken ? window.sessionStorage : window.localStorage;
  var storeKey = "snapdesk-plug:" + origin + ":" + slug + (userToken ? ":user" : ":visitor");
  var state = { config: null, token: null, view: "home", conversation: null, source: null, open: false, refused: null };

  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}",
    ".sd{--bg:#fff;--fg:#1f2937;--muted:#6b7280;--line:#e5e7eb;--soft:#f3f4f6;--accent:#4f46e5;--mine:#4f46e5;--minefg:#fff}",
    ".sd.dark{--bg:#111827;--fg:#f9fafb;--muted:#9ca3af;--line:#374151;--soft:#1f2937;--accent:#818cf8;--mine:#6366f1}",
    ".launcher{position:fixed;z-index:2147483000;width:56px;height:56px;border-radius:50%;border:0;background:var(--accent);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;padding:0}",
    ".launcher img{width:32px;height:32px;border-radius:50%;object-fit:cover}",
    ".launcher:focus-visible,button:focus-visible,textarea:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}",
    ".panel{position:fixed;z-index:2147483001;width:370px;max-width:calc(100vw - 24px);height:560px;max-height:calc(100vh - 110px);background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;font-size:14px}",
    ".panel[hidden]{display:none}",
    "header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:var(--accent);color:#fff}",
    "header h2{flex:1;margin:0;font-size:16px;font-weight:600}",
    "header img{height:26px;max-width:80px;object-fit:contain}",
    "header button{background:transparent;border:0;color:#fff;font-size:18px;cursor:pointer;padding:2px 6px;border-radius:6px}",
    ".body{flex:1;overflow:auto;padding:12px 14px;display:flex;flex-direction:column;gap:10px}",
    ".card{border:1px solid var(--line);border-radius:10px;padding:10px 12px;background:var(--soft)}",
    ".card h3{margin:0 0 4px;font-size:14px}.card p{margin:0;color:var(--muted)}",
    "a{color:var(--accent)}",
    ".primary{background:var(--accent);color:#fff;border:0;border-radius:8px;padding:9px 14px;font-size:14px;cursor:pointer}",
    ".primary:disabled{opacity:.6;cursor:default}",
    ".link{align-self:flex-start;background:none;border:0;color:var(--accent);cursor:pointer;padding:0;font-size:14px}",
    "ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}",
    ".conv{width:100%;text-align:left;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:10px;padding:8px 10px;cursor:pointer}",
    ".conv strong{display:block;font-size:14px}.conv span{color:var(--muted);font-size:12px}",
    ".stage{display:inline-block;font-size:11px;padding:1px 6px;border-radius:8px;background:var(--soft);color:var(--muted);margin-left:4px}",
    ".msgs{display:flex;flex-direction:column;gap:8px}",
    ".msg{max-width:85%;padding:8px 11px;border-radius:12px;background:var(--soft);white-space:pre-wrap;word-wrap:break-word}",
    ".msg.mine{align-self:flex-end;background:var(--mine);color:var(--minefg)}",
    ".msg small{display:block;font-size:11px;opacity:.75;margin-bottom:2px}",
    "form{display:flex;flex-direction:column;gap:6px;border-top:1px solid var(--line);padding:10px 14px;margin:0}",
    "textarea,input{width:100%;border:1px solid var(--line);border-radius:8px;padding:8px;font-size:14px;background:var(--bg);color:var(--fg);resize:none}",
    ".error{color:#b91c1c;background:#fee2e2;border-radius:8px;padding:8px 10px}",
    ".muted{color:var(--muted)}",
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}",
    "mark{background:#fde68a;color:inherit}"
  ].join("\n");

  var ICON = '<svg width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function abs(url) { return url ? new URL(url, origin + "/").href : ""; }

  function request(method, path, body, retried) {
    var headers = { "Accept": "application/json" };
    if (body) headers["Content-Type"] = "application/json";
    if (state.token) headers.Authorization = "Bearer " + state.token;
    return fetch(api + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: "omit" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok) return data;
          // A stored session may have expired: start a new one once.
          if (response.status === 401 && state.token && path !== "/session" && !retried) {
            state.token = null; store.removeItem(storeKey);
            return session().then(function () { return request(method, path, body, true); });
          }
          var error = new Error((data.error && data.error.message) || ("The chat is unavailable (" + response.status + ")."));
          error.status = response.status; error.fields = data.error && data.error.fields;
          throw error;
        });
      });
  }

  function session() {
    if (state.token) return Promise.resolve(state.token);
    return request("POST", "/session", userToken ? { user_token: userToken } : {}).then(function (data) {
      state.token = data.token;
      try { store.setItem(storeKey, data.token); } catch (e) { /* storage may be off: session lasts this page */ }
      return data.token;
    });
  }

  // -- UI skeleton ----------------------------------------------------------------------------------
  var host = el("div", { id: "snapdesk-plug" });
  var root = host.attachShadow({ mode: "open" });
  var shell = el("div", { "class": "sd" });
  var launcher = el("button", { "class": "launcher", type: "button", "aria-label": "Open chat", "aria-expanded": "false", "aria-controls": "sd-panel" });
  var title = el("h2", { id: "sd-title" });
  var brand = el("img", { alt: "", hidden: true });
  var closeButton = el("button", { type: "button", "aria-label": "Close chat", text: "\u2715", onclick: function () { toggle(false); } });
  var body = el("div", { "class": "body" });
  var footer = el("div");
  var live = el("div", { "class": "sr", "aria-live": "polite", role: "status" });
  var panel = el("section", { id: "sd-panel", "class": "panel", role: "dialog", "aria-labelledby": "sd-title", hidden: true },
    [el("header", {}, [brand, title, closeButton]), body, footer, live]);
  root.appendChild(el("style", { text: CSS }));
  shell.appendChild(launcher); shell.appendChild(panel); root.appendChild(shell);

  function place(config) {
    var side = config.alignment === "left" ? "left" : "right";
    var h = (config.spacing_horizontal || 0) + "px", v = (config.spacing_vertical || 0) + "px";
    launcher.style[side] = h; launcher.style.bottom = v;
    panel.style[side] = h; panel.style.bottom = "calc(" + v + " + 68px)";
    if (config.theme === "dark") shell.classList.add("dark");
    title.textContent = config.title || "Chat with us";
    launcher.innerHTML = config.launcher_logo_url ? "" : ICON;
    if (config.launcher_logo_url) launcher.appendChild(el("img", { src: abs(config.launcher_logo_url), alt: "" }));
    if (config.brand_logo_url) { brand.src = abs(config.brand_logo_url); brand.hidden = false; }
  }

  function toggle(open) {
    state.open = open;
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.setAttribute("aria-label", open ? "Close chat" : "Open chat");
    if (open) { if (state.view === "home") showHome(); else focusFirst(); }
    else launcher.focus();
  }

  function focusFirst() {
    // The text box first (what a visitor wants to do), else the first control of the view.
    var target = ["textarea", "input", ".body button", ".body a", "header button"].reduce(function (found, selector) {
      return found || panel.querySelector(selector);
    }, null);
    if (target) target.focus();
  }

  function setView(view, nodes, form) {
    state.view = view;
    body.innerHTML = ""; footer.innerHTML = "";
    nodes.forEach(function (node) { if (node) body.appendChild(node); });
    if (form) footer.appendChild(form);
  }

  function showError(error) {
    var box = body.querySelector(".error") || el("div", { "class": "error", role: "alert" });
    box.textContent = error.message;
    body.insertBefore(box, body.firstChild);
  }

  function when(date) { try { return new Date(date).toLocaleString(); } catch (e) { return ""; } }

  // -- article suggestions ------------------------------------------------------------------------
  function suggester(list) {
    var timer = null, last = "";
    return function (text) {
      if (!state.config || !state.config.article_search) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = text.trim();
        if (q === last) return;
        last = q;
        if (q.length < 3) { list.innerHTML = ""; return; }
        request("GET", "/articles/search?q=" + encodeURIComponent(q)).then(function (data) {
          list.innerHTML = "";
          data.articles.forEach(function (article) {
            var snippet = el("p"); snippet.innerHTML = article.snippet_html; // escaped by the server; only <mark> added
            list.appendChild(el("li", { "class": "card" }, [
              el("h3", {}, [el("a", { href: article.url, target: "_blank", rel: "noopener", text: article.title })]), snippet]));
          });
        }).catch(function () { list.innerHTML = ""; });
      }, 250);
    };
  }

  // -- views -------------------------------------------------------------------------------------
  function showHome() {
    stopStream();
    state.conversation = null;
    var config = state.config || {};
    var cards = (config.announcements || []).map(function (a) {
      var heading = a.url ? el("a", { href: abs(a.url), target: "_blank", rel: "noopener", text: a.title }) : document.createTextNode(a.title);
      return el("div", { "class": "card announcement" }, [el("h3", {}, [heading]), a.body ? el("p", { text: a.body }) : null]);
    });
    var list = el("ul", { "aria-label": "Your conversations" });
    var start = el("button", { "class": "primary", type: "button", text: "Start a new conversation", onclick: showNew });
    var search = null, results = el("ul", { "aria-label": "Suggested articles" });
    if (config.article_search) {
      var suggest = suggester(results);
      search = el("input", { type: "search", placeholder: "Search articles", "aria-label": "Search articles", oninput: function (e) { suggest(e.target.value); } });
    }
    setView("home", cards.concat([search, results, start, el("h3", { text: "Your conversations" }), list]));
    if (state.refused) { showError(state.refused); start.disabled = true; return; }
    session().then(function () { return request("GET", "/conversations"); }).then(function (data) {
      if (!data.conversations.length) list.appendChild(el("li", { "class": "muted", text: "No conversations yet." }));
      data.conversations.forEach(function (c) {
        var last = c.last_message ? c.last_message.author_name + ": " + c.last_message.body.slice(0, 60) : "";
        list.appendChild(el("li", {}, [el("button", { "class": "conv", type: "button", onclick: function () { showConversation(c.id); } }, [
          el("strong", { text: c.title || "Conversation" }, [el("span", { "class": "stage", text: c.stage_label })]),
          el("span", { text: last })])]));
      });
    }).catch(function (error) {
      if (error.status === 401) { state.refused = error; start.disabled = true; }
      showError(error);
    });
    if (state.open) focusFirst();
  }

  function composer(placeholder, label, onsend, onType) {
    var area = el("textarea", { rows: "3", placeholder: placeholder, "aria-label": label, name: "body" });
    var send = el("button", { "class": "primary", type: "submit", text: "Send" });
    var form = el("form", { onsubmit: function (e) {
      e.preventDefault();
      var text = area.value.trim();
      if (!text) { area.focus(); return; }
      send.disabled = true;
      onsend(text).then(function () { area.value = ""; }).catch(showError).then(function () { send.disabled = false; });
    } }, [area, send]);
    area.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : send.click(); }
    });
    if (onType) area.addEventListener("input", function () { onType(area.value); });
    return form;
  }

  function showNew() {
    var results = el("ul", { "aria-label": "Suggested articles" });
    var back = el("button", { "class": "link", type: "button", text: "\u2190 Back", onclick: showHome });
    var form = composer("How can we help?", "Your message", function (text) {
      return session().then(function () { return request("POST", "/conversations", { body: text }); }).then(function (data) {
        if (data.conversation) showConversation(data.conversation.id, data.conversation);
        else showHome();
      });
    }, suggester(results));
    setView("new", [back, el("p", { "class": "muted", text: "Describe your question; we will answer here." }), results], form);
    focusFirst();
  }

  function renderMessages(list, conversation) {
    var before = list.childElementCount;
    list.innerHTML = "";
    conversation.messages.forEach(function (m) {
      list.appendChild(el("li", { "class": "msg" + (m.mine ? " mine" : ""), "data-author": m.author_kind },
        [el("small", { text: m.author_name + " \u00b7 " + when(m.created_at) }), document.createTextNode(m.body)]));
    });
    var newest = conversation.messages[conversation.messages.length - 1];
    if (before && conversation.messages.length > before && newest && !newest.mine) {
      live.textContent = "New message from " + newest.author_name + ": " + newest.body;
    }
    body.scrollTop = body.scrollHeight;
  }

  function showConversation(id, preloaded) {
    stopStream();
    var list = el("ul", { "class": "msgs", role: "log", "aria-label": "Messages", "aria-live": "polite" });
    var heading = el("h3", { text: "" });
    var back = el("button", { "class": "link", type: "button", text: "\u2190 All conversations", onclick: showHome });
    var form = composer("Write a reply\u2026", "Your reply", function (text) {
      return request("POST", "/conversations/" + id + "/messages", { body: text }).then(load);
    });
    setView("conversation", [back, heading, list], form);
    state.conversation = id;
    function draw(conversation) {
      heading.textContent = conversation.title || "Conversation";
      heading.appendChild(el("span", { "class": "stage", text: conversation.stage_label }));
      renderMessages(list, conversation);
    }
    function load() {
      return request("GET", "/conversations/" + id).then(function (data) { if (state.conversation === id) draw(data.conversation); });
    }
    if (preloaded) draw(preloaded); else load().catch(showError);
    startStream(id, load);
    focusFirst();
  }

  // -- live updates -------------------------------------------------------------------------------
  function startStream(id, reload) {
    if (!window.EventSource || !state.token) return;
    var source = new EventSource(api + "/conversations/" + id + "/events?token=" + encodeURIComponent(state.token));
    var pending = null;
    var refresh = function () { clearTimeout(pending); pending = setTimeout(function () { reload().catch(function () { showHome(); }); }, 50); };
    ["message_posted", "stage_changed", "conversation_updated"].forEach(function (name) { source.addEventListener(name, refresh); });
    // Re-read once connected (and after every reconnect): whatever was posted before the stream
    // was subscribed would otherwise be missed.
    source.addEventListener("open", refresh);
    state.source = source;
  }

  function stopStream() { if (state.source) { state.source.close(); state.source = null; } }

  // -- start ------------------------------------------------------------------------------------
  launcher.addEventListener("click", function () { toggle(!state.open); });
  root.addEventListener("keydown", function (e) { if (e.key === "Escape" && state.open) { e.stopPropagation(); toggle(false); } });
  // An identified user's session always comes fresh from the page's token (the user may have changed).
  try { state.token = userToken ? null : store.getItem(storeKey); } catch (e) { state.token = null; }

  function mount() {
    fetch(api + "/config", { credentials: "omit", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("snapdesk: no widget for workspace " + slug); return r.json(); })
      .then(function (config) { state.config = config; place(config); document.body.appendChild(host); })
      .catch(function (error) { if (window.console) console.warn(error.message); });
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();

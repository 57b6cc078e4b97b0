// ChatterWeb people features (issue 6): typing indicator, read state, "new messages" divider,
// unread badges, @mention suggestions, browser notifications. No inline script; the server sends
// HTML (hidden signal elements swapped by id) and this file reacts to them. See docs/PEOPLE.md.
(function () {
  "use strict";

  var TypingEveryMs = 1000;   // the page reports typing at most once a second
  var TypingShownMs = 5000;   // and shows someone as typing for 5 s after their last report

  var socket = null;          // htmx-ext-ws socket wrapper while open
  var lastTypingSent = 0;
  var readSent = 0;           // highest seq reported as read from this page
  var ReadEveryMs = 1000;     // "read to here" goes out at most once a second (a busy room would otherwise send one per message)
  var readSentAt = 0, readTimer = null;
  var typers = {};            // userId -> { name, until }
  var baseTitle = document.title;
  var unseen = 0;             // notifications while the tab was hidden (shown in the title)

  function room() { return document.querySelector("main.room"); }
  function me() { var r = room(); return r ? r.getAttribute("data-me") : null; }
  function pane() { return document.getElementById("pane"); }
  function box() { return document.getElementById("body"); }

  function lastSeq() {
    var arts = document.querySelectorAll("#messages > article[data-seq]");
    var max = 0;
    for (var i = 0; i < arts.length; i++) max = Math.max(max, parseInt(arts[i].getAttribute("data-seq"), 10) || 0);
    return max;
  }

  function send(obj) {
    if (!socket) return false;
    try { socket.sendImmediately(JSON.stringify(obj)); return true; } catch (_) { return false; }
  }

  // ---- read state: the page has been read to the bottom while visible ----
  function atBottom(p) { return p.scrollHeight - p.scrollTop - p.clientHeight < 48; }

  function maybeRead() {
    var p = pane();
    if (!p || !socket || document.visibilityState !== "visible" || !atBottom(p)) return;
    var seq = lastSeq();
    if (seq <= readSent) return;
    var wait = readSentAt + ReadEveryMs - Date.now();
    if (wait > 0) {
      if (!readTimer) readTimer = setTimeout(function () { readTimer = null; maybeRead(); }, wait);
      return;
    }
    if (send({ type: "read", upToSeq: seq })) { readSent = seq; readSentAt = Date.now(); }
  }

  // ---- typing ----
  function renderTyping() {
    var el = document.getElementById("typing");
    if (!el) return;
    var now = Date.now(), names = [];
    for (var id in typers) {
      if (!Object.prototype.hasOwnProperty.call(typers, id)) continue;
      if (typers[id].until <= now) delete typers[id];
      else names.push(typers[id].name);
    }
    names.sort();
    var text = "";
    if (names.length === 1) text = names[0] + " is typing…";
    else if (names.length === 2) text = names[0] + " and " + names[1] + " are typing…";
    else if (names.length === 3) text = names[0] + ", " + names[1] + " and " + names[2] + " are typing…";
    else if (names.length > 3) text = "Several people are typing…";
    if (el.textContent !== text) el.textContent = text;
  }
  setInterval(renderTyping, 500);

  // ---- notifications ----
  function updateTitle() { document.title = (unseen > 0 ? "(" + unseen + ") " : "") + baseTitle; }

  function notify(sig) {
    if (document.visibilityState === "visible") return;
    unseen++;
    updateTitle();
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    try {
      var n = new Notification(sig.getAttribute("data-title") || "ChatterWeb", { body: sig.getAttribute("data-body") || "", tag: sig.getAttribute("data-tag") || undefined });
      var url = sig.getAttribute("data-url");
      n.onclick = function () { window.focus(); if (url) location.href = url; n.close(); };
    } catch (_) { /* some browsers only allow notifications from a service worker */ }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { unseen = 0; updateTitle(); maybeRead(); }
  });

  // Inbound fragments: typing and notification signals, messages ending someone's typing.
  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    var target = e.detail.target, frag = e.detail.fragment;
    if (!target || !frag) return;
    var el = frag.firstElementChild || frag;
    if (target.id === "typing-signal") {
      var id = el.getAttribute && el.getAttribute("data-user-id");
      if (id && id !== me()) { typers[id] = { name: el.getAttribute("data-name") || "Someone", until: Date.now() + TypingShownMs }; renderTyping(); }
    } else if (target.id === "notify-signal") {
      notify(el);
    } else if (target.id === "messages" && frag.querySelectorAll) {
      var arts = frag.querySelectorAll("article[data-author-id]");
      for (var i = 0; i < arts.length; i++) delete typers[arts[i].getAttribute("data-author-id")];
      renderTyping();
    }
  });

  function markCurrent() {
    var links = document.querySelectorAll(".sidebar a[href^='/rooms/']");
    for (var i = 0; i < links.length; i++) {
      var current = links[i].getAttribute("href") === location.pathname;
      links[i].classList.toggle("current", current);
      if (current) links[i].setAttribute("aria-current", "page"); else links[i].removeAttribute("aria-current");
    }
  }

  document.addEventListener("htmx:wsAfterMessage", function () { markCurrent(); setTimeout(maybeRead, 0); });
  // body[data-stream=open] while this page hears its user's stream (room socket, or /me/ws elsewhere).
  document.addEventListener("htmx:wsOpen", function (e) {
    socket = e.detail.socketWrapper; readSent = 0; document.body.setAttribute("data-stream", "open"); setTimeout(maybeRead, 300);
  });
  document.addEventListener("htmx:wsClose", function () { socket = null; document.body.removeAttribute("data-stream"); });

  // ---- @mention suggestions ----
  var mentionQuery = null; // the text after "@" being completed, or null

  function list() { return document.getElementById("mention-list"); }
  function options() { var l = list(); return l && !l.hidden ? l.querySelectorAll("[role=option]") : []; }

  function queryAtCaret(b) {
    var before = b.value.slice(0, b.selectionStart);
    // After "@": up to 40 characters (names have spaces), not ending in a space (a finished mention).
    var m = /(^|[^\w@])@([^@\n]{0,40})$/.exec(before);
    return m && !/\s$/.test(m[2]) && m[2].split(" ").length <= 3 ? m[2] : null;
  }

  function closeList() {
    var l = list(), b = box();
    mentionQuery = null;
    if (l) { l.hidden = true; l.innerHTML = ""; }
    if (b) b.removeAttribute("aria-activedescendant");
  }

  function select(index) {
    var opts = options(), b = box();
    if (!opts.length || !b) return;
    index = (index + opts.length) % opts.length;
    for (var i = 0; i < opts.length; i++) opts[i].setAttribute("aria-selected", i === index ? "true" : "false");
    b.setAttribute("aria-activedescendant", opts[index].id);
    opts[index].scrollIntoView({ block: "nearest" });
  }

  function selectedIndex() {
    var opts = options();
    for (var i = 0; i < opts.length; i++) if (opts[i].getAttribute("aria-selected") === "true") return i;
    return 0;
  }

  function choose(opt) {
    var b = box();
    if (!b || !opt) return;
    var name = opt.getAttribute("data-name");
    var caret = b.selectionStart, before = b.value.slice(0, caret), after = b.value.slice(caret);
    var at = before.lastIndexOf("@");
    if (at < 0) return;
    var insert = "@" + name + " ";
    b.value = before.slice(0, at) + insert + after;
    var pos = at + insert.length;
    b.setSelectionRange(pos, pos);
    closeList();
    b.focus();
    b.dispatchEvent(new Event("input", { bubbles: true }));
  }

  var settledList = null; // the suggestion list element the first option was last selected in

  function suggest(q) {
    var r = room(), l = list();
    if (!r || !l || !window.htmx) return;
    mentionQuery = q;
    htmx.ajax("GET", "/rooms/" + r.getAttribute("data-room") + "/mentions?q=" + encodeURIComponent(q), { target: "#mention-list", swap: "outerHTML" });
  }

  // Suggestions can come back out of order while typing: only the answer for the current text is shown.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr, url = xhr && xhr.responseURL;
    if (!url || url.indexOf("/mentions?") < 0) return;
    var q = new URL(url).searchParams.get("q");
    if (mentionQuery === null || q !== mentionQuery) e.detail.shouldSwap = false;
  });

  document.addEventListener("htmx:afterSettle", function (e) {
    var l = list();
    // Only a fresh list (each answer replaces the element): a live frame settling meanwhile must not
    // reset the choice the keyboard made.
    if (!l || l === settledList) return;
    settledList = l;
    if (mentionQuery === null) { l.hidden = true; return; }
    if (options().length) select(0); else { var b = box(); if (b) b.removeAttribute("aria-activedescendant"); }
  });

  // Capture phase on the document: runs before chat.js's Enter-to-send on the textarea.
  document.addEventListener("keydown", function (e) {
    if (e.target !== box() || !options().length) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      select(selectedIndex() + (e.key === "ArrowDown" ? 1 : -1));
    } else if ((e.key === "Enter" || e.key === "Tab") && !e.shiftKey && !e.isComposing) {
      choose(options()[selectedIndex()]);
    } else if (e.key === "Escape") {
      closeList();
    } else {
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
  }, true);

  document.addEventListener("mousedown", function (e) {
    var opt = e.target.closest && e.target.closest("#mention-list [role=option]");
    if (!opt) return;
    e.preventDefault();
    choose(opt);
  });

  function onInput() {
    var b = box();
    if (!b) return;
    var q = queryAtCaret(b);
    if (q === null) { if (mentionQuery !== null) closeList(); }
    else if (q !== mentionQuery) suggest(q);
    var now = Date.now();
    if (b.value.trim() !== "" && now - lastTypingSent >= TypingEveryMs && send({ type: "typing" })) lastTypingSent = now;
  }

  function init() {
    var b = box();
    if (b) {
      b.addEventListener("input", onInput);
      b.addEventListener("blur", function () { setTimeout(function () { if (document.activeElement !== box()) closeList(); }, 150); });
    }
    var p = pane();
    if (p) {
      // Opening a room with unread messages: start at the divider, not the bottom (unless a permalink says otherwise).
      var divider = document.getElementById("unread-divider");
      if (divider && !/^#m-\d+$/.test(location.hash)) divider.scrollIntoView({ block: "start" });
      var t = null;
      p.addEventListener("scroll", function () { clearTimeout(t); t = setTimeout(maybeRead, 150); }, { passive: true });
    }
    var enable = document.getElementById("notify-enable");
    if (enable && "Notification" in window && Notification.permission === "default") {
      enable.hidden = false;
      enable.addEventListener("click", function () {
        var done = function () { enable.hidden = Notification.permission !== "default"; };
        var asked = Notification.requestPermission(done);
        if (asked && asked.then) asked.then(done);
      });
    }
    markCurrent();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

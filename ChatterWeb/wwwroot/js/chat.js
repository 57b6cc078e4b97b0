// ChatterWeb page behaviour. No inline script anywhere, so a strict CSP holds.
// The server pushes HTML fragments; this file only keeps the page honest around them:
// a fresh clientMessageId per send, Enter to send, the composer cleared on the server's
// acknowledgement, resume after every (re)connect, no duplicate or out-of-order messages,
// scroll that follows the bottom but never yanks a reader out of history, and a visible
// connection state.
(function () {
  "use strict";

  var pendingSends = {}; // clientMessageId -> text sent, until the server acknowledges it
  // Message frames that went out on a socket and got no answer (ack or error) yet, oldest first.
  // The server answers each message frame once, in order. When a socket dies, these are sent again
  // on the next one (same frame, same clientMessageId): one the server never read (it crashed or
  // was restarted with the frame in flight) is stored then; one whose ack was lost is found by its
  // clientMessageId and acknowledged again, so the composer clears and nothing is stored twice.
  // (Frames sent while the socket was down are htmx-ext-ws's own queue: they go out on open, after these.)
  var unanswered = [];
  var MaxResends = 5;

  function newId() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b); // works on plain-http intranets, unlike crypto.randomUUID
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function pane() { return document.getElementById("pane"); }
  function messages() { return document.getElementById("messages"); }

  function seqOf(el) { return parseInt(el.getAttribute("data-seq"), 10) || 0; }

  function lastSeq() {
    var list = messages();
    if (!list) return 0;
    var arts = list.querySelectorAll("article[data-seq]");
    return arts.length ? seqOf(arts[arts.length - 1]) : 0;
  }

  function atBottom(p) { return p.scrollHeight - p.scrollTop - p.clientHeight < 48; }

  function scrollToBottom() {
    var p = pane();
    if (p) p.scrollTop = p.scrollHeight;
  }

  function localiseTimes(root) {
    var times = (root || document).querySelectorAll("time[datetime]:not([data-local])");
    for (var i = 0; i < times.length; i++) {
      var t = times[i];
      var d = new Date(t.getAttribute("datetime"));
      if (isNaN(d)) continue;
      t.textContent = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      t.title = d.toLocaleString();
      t.setAttribute("data-local", "");
    }
  }

  // Keep #messages in seq order whatever order fragments arrived in (resume replay racing live pushes).
  function restoreOrder() {
    var list = messages();
    if (!list) return;
    var arts = Array.prototype.slice.call(list.querySelectorAll(":scope > article[data-seq]"));
    for (var i = 1; i < arts.length; i++) {
      if (seqOf(arts[i - 1]) > seqOf(arts[i])) {
        arts.sort(function (a, b) { return seqOf(a) - seqOf(b); });
        for (var j = 0; j < arts.length; j++) list.appendChild(arts[j]);
        return;
      }
    }
  }

  function showError(text) {
    var status = document.getElementById("composer-status");
    if (!status) return;
    status.textContent = text;
    status.className = "composer-status error";
  }

  function setState(text, cls) {
    var s = document.getElementById("conn-state");
    if (!s) return;
    s.textContent = text;
    s.className = "conn-state" + (cls ? " " + cls : "");
    var room = document.querySelector(".room");
    if (room) room.classList.toggle("offline", cls === "down");
  }

  var wasAtBottom = true;

  // Edits and deletes: each takes the room's next change number (data-change on the article). The page
  // keeps the number up to which it has seen every change and sends it with resume, which replays what
  // it missed and answers with #change-mark (the room's counter, closing numbers a later change overwrote).
  var changeMark = null; // null: this page does not track changes (no #change-mark)
  var changesAhead = {};
  function changeOf(el) { return (el && parseInt(el.getAttribute("data-change"), 10)) || 0; }
  function noteChange(c) {
    if (changeMark === null || !(c > changeMark)) return;
    changesAhead[c] = true;
    while (changesAhead[changeMark + 1]) { delete changesAhead[changeMark + 1]; changeMark++; }
  }
  function readChangeMark() {
    var el = document.getElementById("change-mark");
    if (!el) return;
    var m = changeOf(el);
    if (changeMark === null || m > changeMark) changeMark = m;
    for (var c in changesAhead) if (+c <= changeMark) delete changesAhead[c];
    while (changesAhead[changeMark + 1]) { delete changesAhead[changeMark + 1]; changeMark++; }
  }
  // A change for a message this page does not show (older than what is loaded): only the number counts.
  document.addEventListener("htmx:oobErrorNoTarget", function (e) {
    var el = e.detail && e.detail.content;
    if (el && el.tagName === "ARTICLE") noteChange(changeOf(el));
  });

  // Before a pushed fragment lands: drop messages the page already shows, remember the scroll.
  document.addEventListener("htmx:oobBeforeSwap", function (e) {
    var target = e.detail.target;
    if (target && target.id === "composer-status") { answered(e.detail.fragment); return; }
    if (target && target.tagName === "ARTICLE") {
      // An edit or delete replacing a message: never let an older state overwrite a newer one.
      var next = e.detail.fragment && e.detail.fragment.firstElementChild;
      noteChange(changeOf(next));
      if (next && changeOf(next) < changeOf(target)) e.detail.shouldSwap = false;
      return;
    }
    if (!target || target.id !== "messages") return;
    var p = pane();
    wasAtBottom = p ? atBottom(p) : true;
    var frag = e.detail.fragment;
    var incoming = frag && frag.querySelectorAll ? frag.querySelectorAll("article[id]") : [];
    for (var i = 0; i < incoming.length; i++) {
      var shown = document.getElementById(incoming[i].id);
      if (!shown) continue;
      // Shown already; a catch-up may carry a newer state of it (edited or deleted since).
      if (changeOf(incoming[i]) > changeOf(shown)) shown.replaceWith(incoming[i]);
      else incoming[i].remove();
    }
  });

  document.addEventListener("htmx:wsAfterMessage", function () {
    readChangeMark();
    restoreOrder();
    localiseTimes(messages());
    if (wasAtBottom) scrollToBottom();
    var status = document.getElementById("composer-status");
    if (!status) return;
    var ack = status.getAttribute("data-ack");
    if (ack && Object.prototype.hasOwnProperty.call(pendingSends, ack)) {
      var box = document.getElementById("body");
      if (box && box.value === pendingSends[ack]) { box.value = ""; autosize(box); }
      delete pendingSends[ack];
      status.removeAttribute("data-ack");
    }
    if (status.getAttribute("data-reload") === "true") window.location.reload();
  });

  // An answer to a message frame: an ack names its clientMessageId; an error answers the oldest one.
  function answered(frag) {
    var status = frag && frag.firstElementChild;
    if (!status || status.getAttribute("data-reload")) return;
    var ack = status.getAttribute("data-ack");
    if (ack) {
      for (var i = 0; i < unanswered.length; i++) {
        if (unanswered[i].id === ack) { unanswered.splice(i, 1); return; }
      }
    } else if (status.classList.contains("error") && unanswered.length) {
      var dropped = unanswered.shift();
      delete pendingSends[dropped.id];
    }
  }

  document.addEventListener("htmx:wsAfterSend", function (e) {
    var frame = e.detail.message, msg;
    try { msg = JSON.parse(frame); } catch (_) { return; }
    if (msg && msg.type === "message" && msg.clientMessageId) unanswered.push({ id: msg.clientMessageId, frame: frame, sends: 1 });
  });

  // Every send gets a fresh id: a resend of the same frame (htmx's reconnect queue) is stored once.
  document.addEventListener("htmx:wsConfigSend", function (e) {
    var params = e.detail.parameters;
    if (!params || params.type !== "message") return;
    var id = newId();
    params.clientMessageId = id;
    pendingSends[id] = params.body;
    var status = document.getElementById("composer-status");
    if (status && status.classList.contains("error")) { status.textContent = ""; status.className = "composer-status"; }
  });

  // On every (re)open: ask for what this page missed.
  document.addEventListener("htmx:wsOpen", function (e) {
    setState("", "");
    var ws = e.detail.socketWrapper;
    var resume = { type: "resume", afterSeq: lastSeq() };
    if (changeMark !== null) resume.afterChange = changeMark;
    ws.send(JSON.stringify(resume));
    // What the last socket took but never answered goes again, before htmx's queue is flushed.
    var again = unanswered;
    unanswered = [];
    for (var i = 0; i < again.length; i++) {
      var item = again[i];
      if (item.sends >= MaxResends) {
        delete pendingSends[item.id];
        showError("A message could not be sent. It is still in the box if you have not changed it; try again.");
        continue;
      }
      item.sends++;
      unanswered.push(item);
      ws.sendImmediately(item.frame);
    }
  });
  document.addEventListener("htmx:wsClose", function () { setState("Reconnecting…", "down"); });
  document.addEventListener("htmx:wsError", function () { setState("Reconnecting…", "down"); });

  // "Load older": keep the reader's place when older messages are added above.
  var fromBottom = null;
  document.addEventListener("htmx:beforeSwap", function (e) {
    var p = pane();
    if (p && e.detail.target && e.detail.target.id === "older") fromBottom = p.scrollHeight - p.scrollTop;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var p = pane();
    if (p && fromBottom !== null) { p.scrollTop = p.scrollHeight - fromBottom; fromBottom = null; }
    localiseTimes(messages());
  });

  function autosize(box) {
    box.style.height = "auto";
    box.style.height = Math.min(box.scrollHeight, 200) + "px";
  }

  function init() {
    localiseTimes(document);
    readChangeMark();
    var box = document.getElementById("body");
    if (box) {
      box.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          var form = box.form;
          if (form && box.value.trim() !== "") form.requestSubmit();
        }
      });
      box.addEventListener("input", function () { autosize(box); });
    }
    var p = pane();
    if (p) {
      var focus = messages() && messages().getAttribute("data-focus");
      if (focus && document.getElementById("m-" + focus)) {
        var target = document.getElementById("m-" + focus);
        target.classList.add("focused");
        target.scrollIntoView({ block: "center" });
        // Once everything has loaded, centre it again unless the reader has moved (a late layout
        // change, e.g. the stylesheet or fonts on a slow load, can leave it out of view).
        if (document.readyState !== "complete") {
          var placed = p.scrollTop;
          window.addEventListener("load", function () {
            if (Math.abs(p.scrollTop - placed) < 2) target.scrollIntoView({ block: "center" });
          }, { once: true });
        }
      } else if (location.hash && /^#m-\d+$/.test(location.hash) && document.getElementById(location.hash.slice(1))) {
        document.getElementById(location.hash.slice(1)).scrollIntoView({ block: "center" });
      } else {
        scrollToBottom();
      }
      // Scrolling to the top loads older messages, as clicking "Load older" does.
      p.addEventListener("scroll", function () {
        if (p.scrollTop > 80) return;
        var link = document.querySelector("#older a");
        if (link && !link.classList.contains("htmx-request")) link.click();
      }, { passive: true });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Attachments: pick a file (the "Attach a file" control), drop files on the room, or paste an image
// into the composer. Each file is uploaded with XMLHttpRequest (for its upload progress) as an
// ordinary multipart POST to the attach form's action, antiforgery token included, with the
// composer's text as its caption and a clientMessageId of its own, kept across retries so a retried
// upload is stored once. The message itself arrives like any other, over the room's socket.
// Without JavaScript the attach form posts normally.
(function () {
  "use strict";

  var MaxAttempts = 3;
  var queue = [];
  var busy = false;

  function form() { return document.getElementById("attach"); }
  function composer() { return document.getElementById("body"); }

  function newId() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function humanSize(n) {
    if (n < 1024) return n + (n === 1 ? " byte" : " bytes");
    var units = ["KB", "MB", "GB", "TB"], u = -1;
    do { n /= 1024; u++; } while (n >= 1024 && u < units.length - 1);
    return (n < 10 ? Math.round(n * 10) / 10 : Math.round(n)) + " " + units[u];
  }

  function status(text, isError) {
    var s = document.getElementById("composer-status");
    if (!s) return;
    s.textContent = text;
    s.className = "composer-status" + (isError ? " error" : "");
    if (isError) s.setAttribute("role", "alert"); else s.removeAttribute("role");
  }

  function progress(file, fraction) {
    var p = document.getElementById("attach-progress");
    if (!p) return;
    if (fraction === null) { p.hidden = true; return; }
    p.hidden = false;
    p.querySelector("progress").value = Math.round(fraction * 100);
    p.querySelector(".attach-progress-text").textContent = "Uploading " + file.name + "… " + Math.round(fraction * 100) + "%";
  }

  // Queue files; they go one at a time, in order. Only the first takes the composer's text as caption.
  function enqueue(files) {
    var f = form();
    if (!f || !files || !files.length) return;
    var max = parseInt(f.getAttribute("data-max-bytes"), 10) || 0;
    var box = composer();
    var caption = box ? box.value.trim() : "";
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      if (max && file.size > max) {
        status("That file is too large: " + file.name + " is " + humanSize(file.size) + ", the limit is " + humanSize(max) + ".", true);
        continue;
      }
      if (file.size === 0) { status("That file is empty: " + file.name + ".", true); continue; }
      queue.push({ file: file, caption: caption, id: newId(), attempts: 0 });
      caption = "";
    }
    next();
  }

  function next() {
    if (busy || !queue.length) return;
    busy = true;
    send(queue[0]);
  }

  function done(item, errorText) {
    queue.shift();
    busy = false;
    progress(item.file, null);
    if (errorText) {
      status(errorText, true);
    } else {
      var box = composer();
      // The caption went with the file: clear it unless the person has typed something else since.
      if (item.caption && box && box.value.trim() === item.caption) { box.value = ""; box.dispatchEvent(new Event("input")); }
      var s = document.getElementById("composer-status");
      if (s && s.classList.contains("error")) status("", false);
    }
    next();
  }

  function send(item) {
    var f = form();
    item.attempts++;
    var data = new FormData();
    var token = f.querySelector("input[name='__RequestVerificationToken']");
    if (token) data.append("__RequestVerificationToken", token.value);
    data.append("clientMessageId", item.id);
    data.append("body", item.caption);
    data.append("file", item.file, item.file.name || "file");

    var xhr = new XMLHttpRequest();
    xhr.open("POST", f.getAttribute("action"));
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) progress(item.file, e.loaded / e.total);
    });
    xhr.addEventListener("load", function () {
      if (xhr.status >= 200 && xhr.status < 300) { done(item, null); return; }
      var text = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0 ? xhr.responseText : "";
      if (!text) {
        if (xhr.status === 413) text = "That file is too large: the limit is " + humanSize(parseInt(f.getAttribute("data-max-bytes"), 10) || 0) + ".";
        else if (xhr.status === 404) text = "You can no longer post in this room.";
        else if (xhr.status === 429) text = "Too many uploads in a short time. Wait a minute and try again.";
        else text = "The file could not be sent (" + xhr.status + "). Try again.";
      }
      if (xhr.status >= 500 && item.attempts < MaxAttempts) { retry(item); return; }
      done(item, text);
    });
    // The connection failed: the upload may or may not have been stored; the same id makes a retry safe.
    xhr.addEventListener("error", function () {
      if (item.attempts < MaxAttempts) retry(item);
      else done(item, "The file could not be sent: the connection failed. Try again.");
    });
    progress(item.file, 0);
    xhr.send(data);
  }

  function retry(item) {
    setTimeout(function () { send(item); }, 500 * item.attempts * item.attempts);
  }

  function hasFiles(e) {
    var types = e.dataTransfer && e.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
  }

  function init() {
    var f = form();
    if (!f) return;
    f.classList.add("js");
    var input = document.getElementById("attach-file");
    if (input) {
      input.required = false;
      input.multiple = true;
      input.addEventListener("change", function () {
        enqueue(Array.prototype.slice.call(input.files));
        input.value = "";
      });
    }
    f.addEventListener("submit", function (e) { e.preventDefault(); });

    // Paste: files on the clipboard (a screenshot, a copied image) are uploaded; text pastes as usual,
    // including text that comes with a picture of itself (cells copied from a spreadsheet).
    var box = composer();
    if (box) {
      box.addEventListener("paste", function (e) {
        var data = e.clipboardData;
        var files = data && data.files;
        if (!files || !files.length) return;
        if (Array.prototype.indexOf.call(data.types || [], "text/plain") >= 0) return;
        e.preventDefault();
        enqueue(Array.prototype.slice.call(files));
      });
    }

    // Drag and drop anywhere on the room.
    var room = document.querySelector("main.room");
    if (room) {
      var depth = 0;
      room.addEventListener("dragenter", function (e) {
        if (!hasFiles(e)) return;
        depth++;
        room.classList.add("dropping");
      });
      room.addEventListener("dragleave", function () {
        if (depth > 0 && --depth === 0) room.classList.remove("dropping");
      });
      room.addEventListener("dragover", function (e) {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      });
      room.addEventListener("drop", function (e) {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth = 0;
        room.classList.remove("dropping");
        enqueue(Array.prototype.slice.call(e.dataTransfer.files));
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

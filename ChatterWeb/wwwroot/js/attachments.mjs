// Attachments: pick a file (the "Attach a file" control), drop files on the room, or paste an image
// into the composer. Each file is uploaded with XMLHttpRequest (for its upload progress) as an
// ordinary multipart POST to the attach form's action, antiforgery token included, with the
// composer's text as its caption and a clientMessageId of its own, kept across retries so a retried
// upload is stored once. The message itself arrives like any other, over the room's socket.
// Without JavaScript the attach form posts normally. Loaded by Attachments/_AttachForm.cshtml.
import { composer, onReady, showStatus } from "./dom.mjs";
import { newClientMessageId } from "./protocol.mjs";

const MaxAttempts = 3;
const queue = [];
let busy = false;

const form = () => document.getElementById("attach");

function humanSize(n) {
  if (n < 1024) return n + (n === 1 ? " byte" : " bytes");
  const units = ["KB", "MB", "GB", "TB"];
  let u = -1;
  do { n /= 1024; u++; } while (n >= 1024 && u < units.length - 1);
  return (n < 10 ? Math.round(n * 10) / 10 : Math.round(n)) + " " + units[u];
}

function progress(file, fraction) {
  const p = document.getElementById("attach-progress");
  if (!p) return;
  if (fraction === null) { p.hidden = true; return; }
  p.hidden = false;
  p.querySelector("progress").value = Math.round(fraction * 100);
  p.querySelector(".attach-progress-text").textContent = "Uploading " + file.name + "… " + Math.round(fraction * 100) + "%";
}

// Queue files; they go one at a time, in order. Only the first takes the composer's text as caption.
function enqueue(files) {
  const f = form();
  if (!f || !files || !files.length) return;
  const max = parseInt(f.getAttribute("data-max-bytes"), 10) || 0;
  const box = composer();
  let caption = box ? box.value.trim() : "";
  for (const file of files) {
    if (max && file.size > max) {
      showStatus("That file is too large: " + file.name + " is " + humanSize(file.size) + ", the limit is " + humanSize(max) + ".", true);
      continue;
    }
    if (file.size === 0) { showStatus("That file is empty: " + file.name + ".", true); continue; }
    queue.push({ file, caption, id: newClientMessageId(), attempts: 0 });
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
    showStatus(errorText, true);
  } else {
    const box = composer();
    // The caption went with the file: clear it unless the person has typed something else since.
    if (item.caption && box && box.value.trim() === item.caption) { box.value = ""; box.dispatchEvent(new Event("input")); }
    const s = document.getElementById("composer-status");
    if (s && s.classList.contains("error")) showStatus("", false);
  }
  next();
}

function send(item) {
  const f = form();
  item.attempts++;
  const data = new FormData();
  const token = f.querySelector("input[name='__RequestVerificationToken']");
  if (token) data.append("__RequestVerificationToken", token.value);
  data.append("clientMessageId", item.id);
  data.append("body", item.caption);
  data.append("file", item.file, item.file.name || "file");

  const xhr = new XMLHttpRequest();
  xhr.open("POST", f.getAttribute("action"));
  xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
  xhr.upload.addEventListener("progress", (e) => {
    if (e.lengthComputable) progress(item.file, e.loaded / e.total);
  });
  xhr.addEventListener("load", () => {
    if (xhr.status >= 200 && xhr.status < 300) { done(item, null); return; }
    let text = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0 ? xhr.responseText : "";
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
  xhr.addEventListener("error", () => {
    if (item.attempts < MaxAttempts) retry(item);
    else done(item, "The file could not be sent: the connection failed. Try again.");
  });
  progress(item.file, 0);
  xhr.send(data);
}

function retry(item) {
  setTimeout(() => send(item), 500 * item.attempts * item.attempts);
}

function hasFiles(e) {
  const types = e.dataTransfer && e.dataTransfer.types;
  return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
}

onReady(() => {
  const f = form();
  if (!f) return;
  f.classList.add("js");
  const input = document.getElementById("attach-file");
  if (input) {
    input.required = false;
    input.multiple = true;
    input.addEventListener("change", () => {
      enqueue(Array.from(input.files));
      input.value = "";
    });
  }
  f.addEventListener("submit", (e) => e.preventDefault());

  // Paste: files on the clipboard (a screenshot, a copied image) are uploaded; text pastes as usual,
  // including text that comes with a picture of itself (cells copied from a spreadsheet).
  const box = composer();
  if (box) {
    box.addEventListener("paste", (e) => {
      const data = e.clipboardData;
      const files = data && data.files;
      if (!files || !files.length) return;
      if (Array.prototype.indexOf.call(data.types || [], "text/plain") >= 0) return;
      e.preventDefault();
      enqueue(Array.from(files));
    });
  }

  // Drag and drop anywhere on the room.
  const r = document.querySelector("main.room");
  if (r) {
    let depth = 0;
    r.addEventListener("dragenter", (e) => {
      if (!hasFiles(e)) return;
      depth++;
      r.classList.add("dropping");
    });
    r.addEventListener("dragleave", () => {
      if (depth > 0 && --depth === 0) r.classList.remove("dropping");
    });
    r.addEventListener("dragover", (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    });
    r.addEventListener("drop", (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      r.classList.remove("dropping");
      enqueue(Array.from(e.dataTransfer.files));
    });
  }
});

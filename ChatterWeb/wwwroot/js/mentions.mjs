// @mention suggestions in the composer: typing "@" and part of a name asks the server for the
// room's matching people (an htmx request into #mention-list); arrows move, Enter or Tab picks,
// Escape closes, a click picks. Only the answer for the current text is shown.
import { composer, onReady, room } from "./dom.mjs";

let mentionQuery = null; // the text after "@" being completed, or null
let settledList = null; // the suggestion list element the first option was last selected in

const list = () => document.getElementById("mention-list");

function options() {
  const l = list();
  return l && !l.hidden ? l.querySelectorAll("[role=option]") : [];
}

function queryAtCaret(b) {
  const before = b.value.slice(0, b.selectionStart);
  // After "@": up to 40 characters (names have spaces), not ending in a space (a finished mention).
  const m = /(^|[^\w@])@([^@\n]{0,40})$/.exec(before);
  return m && !/\s$/.test(m[2]) && m[2].split(" ").length <= 3 ? m[2] : null;
}

function closeList() {
  const l = list();
  const b = composer();
  mentionQuery = null;
  if (l) { l.hidden = true; l.innerHTML = ""; }
  if (b) b.removeAttribute("aria-activedescendant");
}

function select(index) {
  const opts = options();
  const b = composer();
  if (!opts.length || !b) return;
  index = (index + opts.length) % opts.length;
  for (let i = 0; i < opts.length; i++) opts[i].setAttribute("aria-selected", i === index ? "true" : "false");
  b.setAttribute("aria-activedescendant", opts[index].id);
  opts[index].scrollIntoView({ block: "nearest" });
}

function selectedIndex() {
  const opts = options();
  for (let i = 0; i < opts.length; i++) if (opts[i].getAttribute("aria-selected") === "true") return i;
  return 0;
}

function choose(opt) {
  const b = composer();
  if (!b || !opt) return;
  const name = opt.getAttribute("data-name");
  const caret = b.selectionStart;
  const before = b.value.slice(0, caret);
  const after = b.value.slice(caret);
  const at = before.lastIndexOf("@");
  if (at < 0) return;
  const insert = "@" + name + " ";
  b.value = before.slice(0, at) + insert + after;
  const pos = at + insert.length;
  b.setSelectionRange(pos, pos);
  closeList();
  b.focus();
  b.dispatchEvent(new Event("input", { bubbles: true }));
}

function suggest(q) {
  const r = room();
  if (!r || !list() || !window.htmx) return;
  mentionQuery = q;
  window.htmx.ajax("GET", "/rooms/" + r.getAttribute("data-room") + "/mentions?q=" + encodeURIComponent(q), { target: "#mention-list", swap: "outerHTML" });
}

// Suggestions can come back out of order while typing: only the answer for the current text is shown.
document.addEventListener("htmx:beforeSwap", (e) => {
  const xhr = e.detail.xhr;
  const url = xhr && xhr.responseURL;
  if (!url || url.indexOf("/mentions?") < 0) return;
  const q = new URL(url).searchParams.get("q");
  if (mentionQuery === null || q !== mentionQuery) e.detail.shouldSwap = false;
});

document.addEventListener("htmx:afterSettle", () => {
  const l = list();
  // Only a fresh list (each answer replaces the element): a live frame settling meanwhile must not
  // reset the choice the keyboard made.
  if (!l || l === settledList) return;
  settledList = l;
  if (mentionQuery === null) { l.hidden = true; return; }
  if (options().length) select(0);
  else { const b = composer(); if (b) b.removeAttribute("aria-activedescendant"); }
});

// Capture phase on the document: runs before the composer's Enter-to-send (composer.mjs).
document.addEventListener("keydown", (e) => {
  if (e.target !== composer() || !options().length) return;
  if (e.key === "ArrowDown" || e.key === "ArrowUp") select(selectedIndex() + (e.key === "ArrowDown" ? 1 : -1));
  else if ((e.key === "Enter" || e.key === "Tab") && !e.shiftKey && !e.isComposing) choose(options()[selectedIndex()]);
  else if (e.key === "Escape") closeList();
  else return;
  e.preventDefault();
  e.stopImmediatePropagation();
}, true);

document.addEventListener("mousedown", (e) => {
  const opt = e.target.closest && e.target.closest("#mention-list [role=option]");
  if (!opt) return;
  e.preventDefault();
  choose(opt);
});

onReady(() => {
  const b = composer();
  if (!b) return;
  b.addEventListener("input", () => {
    const q = queryAtCaret(b);
    if (q === null) { if (mentionQuery !== null) closeList(); }
    else if (q !== mentionQuery) suggest(q);
  });
  b.addEventListener("blur", () => { setTimeout(() => { if (document.activeElement !== composer()) closeList(); }, 150); });
});

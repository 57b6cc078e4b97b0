// The page's well-known elements and the small DOM reads and writes the feature modules share.
// One copy of each; the rules behind them (which seq is the highest, ...) are in the DOM-free modules.
import { highestSeq } from "./message-order.mjs";

export const byId = (id) => document.getElementById(id);
export const pane = () => byId("pane");
export const messageList = () => byId("messages");
export const composer = () => byId("body");
export const room = () => document.querySelector("main.room");

export function seqOf(el) {
  return parseInt(el.getAttribute("data-seq"), 10) || 0;
}

export function changeOf(el) {
  return (el && parseInt(el.getAttribute("data-change"), 10)) || 0;
}

/** The messages the page shows, in page order. */
export function shownArticles() {
  return Array.from(document.querySelectorAll("#messages > article[data-seq]"));
}

/** The highest seq the page shows (0: none). */
export function highestShownSeq() {
  return highestSeq(shownArticles().map(seqOf));
}

export function atBottom(p) {
  return p.scrollHeight - p.scrollTop - p.clientHeight < 48;
}

export function scrollToBottom() {
  const p = pane();
  if (p) p.scrollTop = p.scrollHeight;
}

/** The composer's status line (#composer-status): a message, or an error (announced). */
export function showStatus(text, isError) {
  const s = byId("composer-status");
  if (!s) return;
  s.textContent = text;
  s.className = "composer-status" + (isError ? " error" : "");
  s.removeAttribute("data-confirm"); // a question (room-wide.mjs) is gone with its buttons
  s.removeAttribute("data-focused");
  if (isError) s.setAttribute("role", "alert");
  else s.removeAttribute("role");
}

/** The composer grows with its text, up to 200px. */
export function autosize(box) {
  box.style.height = "auto";
  box.style.height = Math.min(box.scrollHeight, 200) + "px";
}

/** Server times (UTC, <time datetime>) shown in the reader's own time zone and locale, once each. */
export function localiseTimes(root) {
  for (const t of (root || document).querySelectorAll("time[datetime]:not([data-local])")) {
    const d = new Date(t.getAttribute("datetime"));
    if (isNaN(d)) continue;
    t.textContent = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    t.title = d.toLocaleString();
    t.setAttribute("data-local", "");
  }
}

/** Runs fn once the page is parsed (module scripts run after parsing, so usually at once). */
export function onReady(fn) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
  else fn();
}

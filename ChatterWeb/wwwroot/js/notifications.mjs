// Notifications for a hidden tab: a count in the title until the tab is seen again, and a browser
// notification once the person has allowed them (asked only after a click on #notify-enable).
// The server sends a hidden #notify-signal swapped by id (docs/PEOPLE.md).
import { onReady } from "./dom.mjs";

const baseTitle = document.title;
let unseen = 0;

function updateTitle() {
  document.title = (unseen > 0 ? "(" + unseen + ") " : "") + baseTitle;
}

function notify(sig) {
  if (document.visibilityState === "visible") return;
  unseen++;
  updateTitle();
  if (!("Notification" in window) || Notification.permission !== "granted") return;
  try {
    const n = new Notification(sig.getAttribute("data-title") || "ChatterWeb", { body: sig.getAttribute("data-body") || "", tag: sig.getAttribute("data-tag") || undefined });
    const url = sig.getAttribute("data-url");
    n.onclick = () => { window.focus(); if (url) location.href = url; n.close(); };
  } catch {
    // some browsers only allow notifications from a service worker
  }
}

document.addEventListener("htmx:oobBeforeSwap", (e) => {
  const target = e.detail.target;
  const frag = e.detail.fragment;
  if (target && frag && target.id === "notify-signal") notify(frag.firstElementChild || frag);
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "visible") return;
  unseen = 0;
  updateTitle();
});

onReady(() => {
  const enable = document.getElementById("notify-enable");
  if (!enable || !("Notification" in window) || Notification.permission !== "default") return;
  enable.hidden = false;
  enable.addEventListener("click", () => {
    const done = () => { enable.hidden = Notification.permission !== "default"; };
    const asked = Notification.requestPermission(done);
    if (asked && asked.then) asked.then(done);
  });
});

// The tab's icon gets a dot while any room has unread messages (the sidebar's badges say so), so a
// busy tab in the background shows it without a number or a sound.
import { onReady } from "./dom.mjs";

function update() {
  const icon = document.getElementById("favicon");
  if (!icon) return;
  const unread = Array.from(document.querySelectorAll(".sidebar .unread")).some((b) => (parseInt(b.getAttribute("data-count"), 10) || 0) > 0
    && !(b.closest("a") && b.closest("a").classList.contains("current")));
  const want = unread ? icon.getAttribute("data-unread") : "/favicon.svg";
  if (icon.getAttribute("href") !== want) icon.setAttribute("href", want);
}

document.addEventListener("htmx:wsAfterMessage", update);
onReady(update);

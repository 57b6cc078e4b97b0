// The sidebar's rooms list marks the room this page shows (again after every pushed frame: the
// server updates the list on the socket).
import { onReady } from "./dom.mjs";

function markCurrent() {
  for (const link of document.querySelectorAll(".sidebar a[href^='/rooms/']")) {
    const current = link.getAttribute("href") === location.pathname;
    link.classList.toggle("current", current);
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

document.addEventListener("htmx:wsAfterMessage", markCurrent);
onReady(markCurrent);

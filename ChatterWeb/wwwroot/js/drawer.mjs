// The phone's menus: the rooms drawer (the menu button in the top bar) and the room's own menu (⋯).
// Without JavaScript each link opens its menu by its fragment (CSS :target); with it the link
// toggles a class instead, says whether the menu is open (aria-expanded), moves the focus into it,
// and Escape or a click outside closes it and gives the focus back.
import { onReady } from "./dom.mjs";

const toggles = () => document.querySelectorAll("a.menu-toggle, a.room-menu-toggle");

function menuOf(toggle) {
  return document.getElementById(toggle.getAttribute("aria-controls"));
}

function setOpen(toggle, open) {
  const menu = menuOf(toggle);
  if (!menu) return;
  menu.classList.toggle("open", open);
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
  const room = toggle.closest("main.room");
  if (room && toggle.classList.contains("room-menu-toggle")) room.classList.toggle("menu-open", open);
  if (open) {
    const first = menu.querySelector("a, button, select, input, textarea");
    if (first) first.focus();
  }
}

function closeAll(returnFocus) {
  for (const t of toggles()) {
    if (t.getAttribute("aria-expanded") !== "true") continue;
    setOpen(t, false);
    if (returnFocus) t.focus();
  }
}

document.addEventListener("click", (e) => {
  const toggle = e.target.closest && e.target.closest("a.menu-toggle, a.room-menu-toggle");
  if (toggle && menuOf(toggle)) { // a page without the drawer links to the rooms list's (/rooms#drawer)
    e.preventDefault();
    const open = toggle.getAttribute("aria-expanded") !== "true";
    closeAll(false);
    setOpen(toggle, open);
    return;
  }
  const close = e.target.closest && e.target.closest(".drawer-close");
  if (close) {
    e.preventDefault();
    closeAll(true);
    return;
  }
  // A click outside an open menu closes it.
  for (const t of toggles()) {
    const menu = menuOf(t);
    if (t.getAttribute("aria-expanded") === "true" && menu && !menu.contains(e.target)) setOpen(t, false);
  }
});

document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") closeAll(true);
});

// A page opened with #drawer or #room-menu in its address (a page without the drawer links to
// /rooms#drawer) opens that menu as its button would, and drops the fragment: :target stays on after
// that, which is why the stylesheet counts it only without JavaScript.
onReady(() => {
  if (location.hash !== "#drawer" && location.hash !== "#room-menu") return;
  const id = location.hash.slice(1);
  history.replaceState(null, "", location.pathname + location.search);
  const toggle = Array.from(toggles()).find((t) => t.getAttribute("aria-controls") === id);
  if (toggle && toggle.offsetParent !== null) setOpen(toggle, true); // only where the button shows (a phone)
});

// "Here now": a page's socket gets the whole people list when it opens (swapped by id), and after
// that only who arrived or left: a <ul data-presence="changes"> aimed at #presence, whose items are
// arrivals (placed in name order, replacing an older item of the same person) and departures
// (marked data-gone). Without this module htmx would append them; it applies them instead.
const byName = new Intl.Collator(undefined, { sensitivity: "base" });

function itemOf(list, userId) {
  for (const li of list.children) if (li.getAttribute("data-user-id") === userId) return li;
  return null;
}

function place(list, item) {
  const name = item.getAttribute("data-name") || "";
  for (const li of list.children) {
    const other = li.getAttribute("data-name");
    if (other !== null && byName.compare(name, other) < 0) {
      list.insertBefore(item, li);
      return;
    }
  }
  list.appendChild(item);
}

function apply(list, changes) {
  for (const item of [...changes.children]) {
    const userId = item.getAttribute("data-user-id");
    if (!userId) continue;
    const shown = itemOf(list, userId);
    if (shown) shown.remove();
    if (!item.hasAttribute("data-gone")) place(list, item);
  }
  const nobody = list.querySelector(":scope > .nobody");
  const anyone = list.querySelector(":scope > [data-user-id]");
  if (anyone && nobody) nobody.remove();
  if (!anyone && !nobody) {
    const li = document.createElement("li");
    li.className = "nobody";
    li.textContent = "Nobody here right now.";
    list.appendChild(li);
  }
}

document.addEventListener("htmx:oobBeforeSwap", (e) => {
  const target = e.detail.target;
  const changes = e.detail.fragment;
  if (!target || target.id !== "presence" || !changes || !changes.getAttribute) return;
  if (changes.getAttribute("data-presence") !== "changes") return;
  e.detail.shouldSwap = false;
  apply(target, changes);
});

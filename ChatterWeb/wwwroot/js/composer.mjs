// The composer: Enter sends (Shift+Enter starts a new line; an open @mention list takes Enter
// first, see mentions.mjs), and the box grows with its text.
import { autosize, composer, onReady } from "./dom.mjs";

onReady(() => {
  const box = composer();
  if (!box) return;
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (box.form && box.value.trim() !== "") box.form.requestSubmit();
    }
  });
  box.addEventListener("input", () => autosize(box));
});

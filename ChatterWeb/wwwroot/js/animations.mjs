// Animated images (GIF, animated WebP) show as a still thumbnail with a play button: the server
// writes the button hidden, so without JavaScript only the link to the animation is offered. With
// this module the buttons show (the class on <html> is one rule for every message, live ones
// included), and pressing one swaps the animation into the image in place; pressing again swaps the
// still back. Imported by page.mjs, so it works on every page that shows messages.
document.documentElement.classList.add("animations");

document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button.play[data-animation]") : null;
  if (!button) return;
  const image = button.closest("figure")?.querySelector("img");
  if (!image) return;
  const playing = button.getAttribute("aria-pressed") === "true";
  if (playing) {
    image.src = image.dataset.still || image.src;
  } else {
    image.dataset.still = image.getAttribute("src");
    image.src = button.getAttribute("data-animation");
  }
  button.setAttribute("aria-pressed", playing ? "false" : "true");
});

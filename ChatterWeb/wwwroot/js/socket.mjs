// The page's open socket (htmx-ext-ws: the room's, or /me/ws on pages without a room), for frames
// sent at once outside htmx (typing, read marks). body[data-stream=open] while it is open.
let socket = null;

document.addEventListener("htmx:wsOpen", (e) => {
  socket = e.detail.socketWrapper;
  document.body.setAttribute("data-stream", "open");
});

document.addEventListener("htmx:wsClose", () => {
  socket = null;
  document.body.removeAttribute("data-stream");
});

export function isOpen() {
  return socket !== null;
}

/** Sends a frame now; false when no socket is open or the send failed. */
export function sendNow(frame) {
  if (!socket) return false;
  try {
    socket.sendImmediately(frame);
    return true;
  } catch {
    return false;
  }
}

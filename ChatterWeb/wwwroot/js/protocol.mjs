// The frames a page sends on its socket, and the ids it makes for them. DOM-free; unit-tested in
// node (ChatterWeb.ClientTests/protocol.test.mjs). The server's side: docs/ARCHITECTURE.md, "Wire protocol".

/** Sent on every (re)open: what the page missed after the highest seq it shows, and after its change mark (when it tracks changes). */
export function resumeFrame(afterSeq, afterChange) {
  const frame = { type: "resume", afterSeq };
  if (afterChange !== null && afterChange !== undefined) frame.afterChange = afterChange;
  return JSON.stringify(frame);
}

/** "Read up to here": the page was visible at the bottom with this seq the highest shown. */
export function readFrame(upToSeq) {
  return JSON.stringify({ type: "read", upToSeq });
}

/** "I am typing". */
export function typingFrame() {
  return JSON.stringify({ type: "typing" });
}

/**
 * A random (version 4) UUID for a message's clientMessageId: a resend with the same id is stored
 * once. From getRandomValues, which works on plain-http intranets, unlike crypto.randomUUID.
 */
export function newClientMessageId(random = (bytes) => crypto.getRandomValues(bytes)) {
  const b = random(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => (x + 0x100).toString(16).slice(1)).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

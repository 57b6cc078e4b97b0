// The message frames a page has sent and the server has not answered yet, and the composer text
// each one carried. DOM-free (live-room.mjs feeds it the socket's events), so it is unit-tested in
// node (ChatterWeb.ClientTests/outbox.test.mjs).
//
// The server answers each message frame once, in order: an ack names its clientMessageId, an error
// answers the oldest unanswered one. When a socket dies, what it took but never answered is sent
// again on the next one (the same frame, the same clientMessageId): one the server never read (it
// crashed or restarted with the frame in flight) is stored then; one whose ack was lost is found by
// its clientMessageId and acknowledged again, so the composer clears and nothing is stored twice.
// A frame goes at most MaxResends times in all. (Frames sent while the socket was down are
// htmx-ext-ws's own queue: they go out on open, after these.)

export const MaxResends = 5;

export class Outbox {
  #texts = new Map(); // clientMessageId -> the text sent, until its ack clears the composer
  #unanswered = []; // { id, frame, sends }, oldest first

  constructor(maxResends = MaxResends) {
    this.maxResends = maxResends;
  }

  /** A message is about to go out under this id with this text (htmx:wsConfigSend). */
  composed(id, text) {
    this.#texts.set(id, text);
  }

  /** A frame went out on the socket (htmx:wsAfterSend). A message frame now waits for its answer. */
  sent(frame) {
    let msg;
    try { msg = JSON.parse(frame); } catch { return false; }
    if (!msg || msg.type !== "message" || !msg.clientMessageId) return false;
    this.#unanswered.push({ id: msg.clientMessageId, frame, sends: 1 });
    return true;
  }

  /** The server acknowledged the message with this id. */
  acknowledged(id) {
    const i = this.#unanswered.findIndex((item) => item.id === id);
    if (i >= 0) this.#unanswered.splice(i, 1);
  }

  /** The server refused a message: the error answers the oldest one, whose text is no longer awaited. */
  refused() {
    const dropped = this.#unanswered.shift();
    if (dropped) this.#texts.delete(dropped.id);
  }

  /**
   * The text an acknowledged message carried, once (the composer is cleared if it still holds it);
   * undefined when this page is not waiting for that ack.
   */
  takeText(id) {
    if (!this.#texts.has(id)) return undefined;
    const text = this.#texts.get(id);
    this.#texts.delete(id);
    return text;
  }

  /**
   * A socket opened (htmx:wsOpen): the frames to send again on it, oldest first, and the ids given
   * up on (sent MaxResends times already; the page says so and their texts are no longer awaited).
   */
  reopened() {
    const again = this.#unanswered;
    this.#unanswered = [];
    const resend = [];
    const gaveUp = [];
    for (const item of again) {
      if (item.sends >= this.maxResends) {
        this.#texts.delete(item.id);
        gaveUp.push(item.id);
        continue;
      }
      item.sends++;
      this.#unanswered.push(item);
      resend.push(item.frame);
    }
    return { resend, gaveUp };
  }

  /** The ids still waiting for an answer, oldest first. */
  get unanswered() {
    return this.#unanswered.map((item) => item.id);
  }
}

// The change mark: the number up to which this page has seen every change (edit or delete) in its
// room. Each change takes the room's next change number (data-change on the article); resume sends
// the mark as afterChange and the server replays what the page missed, then answers with
// #change-mark (the room's counter, which also closes numbers a later change overwrote).
// DOM-free; unit-tested in node (ChatterWeb.ClientTests/change-mark.test.mjs).

export class ChangeMark {
  #mark = null; // null: the page does not track changes (it has no #change-mark)
  #ahead = new Set(); // numbers seen above the mark, waiting for the gap below them to close

  /** The mark, or null when the page does not track changes. */
  get value() {
    return this.#mark;
  }

  /** The change numbers seen above the mark, waiting for the gap below them to close. */
  get waiting() {
    return [...this.#ahead].sort((a, b) => a - b);
  }

  /** The server's mark (#change-mark, on load and after a resume): every change up to it is accounted for. */
  read(mark) {
    if (this.#mark === null || mark > this.#mark) this.#mark = mark;
    for (const c of this.#ahead) if (c <= this.#mark) this.#ahead.delete(c);
    this.#advance();
  }

  /** A change arrived (shown or not: a change to a message older than the page shows counts too). */
  note(change) {
    if (this.#mark === null || !(change > this.#mark)) return;
    this.#ahead.add(change);
    this.#advance();
  }

  #advance() {
    while (this.#ahead.has(this.#mark + 1)) {
      this.#ahead.delete(this.#mark + 1);
      this.#mark++;
    }
  }
}

// The outbox: which message frames go again after a reconnect, in what order, how often, and what
// an answer clears. Run: node --test ChatterWeb.ClientTests/
import { test } from "node:test";
import assert from "node:assert/strict";
import { MaxResends, Outbox } from "../ChatterWeb/wwwroot/js/outbox.mjs";

const frame = (id, body = "text of " + id) => JSON.stringify({ type: "message", body, clientMessageId: id });

function sendAll(outbox, ...ids) {
  for (const id of ids) {
    outbox.composed(id, "text of " + id);
    outbox.sent(frame(id));
  }
}

test("after a reconnect every unanswered message frame is sent again, byte for byte, oldest first", () => {
  const outbox = new Outbox();
  sendAll(outbox, "a", "b", "c");
  const { resend, gaveUp } = outbox.reopened();
  assert.deepEqual(resend, [frame("a"), frame("b"), frame("c")]);
  assert.deepEqual(gaveUp, []);
  // still unanswered: they go again on the next socket too
  assert.deepEqual(outbox.reopened().resend, [frame("a"), frame("b"), frame("c")]);
});

test("only message frames with a clientMessageId wait for an answer", () => {
  const outbox = new Outbox();
  assert.equal(outbox.sent(JSON.stringify({ type: "resume", afterSeq: 4 })), false);
  assert.equal(outbox.sent(JSON.stringify({ type: "typing" })), false);
  assert.equal(outbox.sent(JSON.stringify({ type: "message", body: "no id" })), false);
  assert.equal(outbox.sent("not json"), false);
  assert.equal(outbox.sent(frame("m")), true);
  assert.deepEqual(outbox.reopened().resend, [frame("m")]);
});

test("an ack clears its own frame wherever it is in the queue, and nothing else", () => {
  const outbox = new Outbox();
  sendAll(outbox, "a", "b", "c");
  outbox.acknowledged("b");
  outbox.acknowledged("unknown");
  assert.deepEqual(outbox.unanswered, ["a", "c"]);
  assert.deepEqual(outbox.reopened().resend, [frame("a"), frame("c")]);
});

test("an error answers the oldest unanswered frame, and its text is no longer awaited", () => {
  const outbox = new Outbox();
  sendAll(outbox, "a", "b");
  outbox.refused();
  assert.deepEqual(outbox.reopened().resend, [frame("b")]);
  assert.equal(outbox.takeText("a"), undefined);
  assert.equal(outbox.takeText("b"), "text of b");
  outbox.refused();
  outbox.refused(); // nothing left to answer: no harm
  assert.deepEqual(outbox.reopened().resend, []);
});

test("a frame goes at most MaxResends times in all, then the page gives up on it and its text", () => {
  const outbox = new Outbox();
  sendAll(outbox, "a");
  let resent = 0;
  const gaveUp = [];
  for (let reconnect = 0; reconnect < 10; reconnect++) {
    const r = outbox.reopened();
    resent += r.resend.length;
    gaveUp.push(...r.gaveUp);
  }
  assert.equal(MaxResends, 5);
  assert.equal(1 + resent, MaxResends); // the first send and the resends
  assert.deepEqual(gaveUp, ["a"]); // once
  assert.equal(outbox.takeText("a"), undefined);
  assert.deepEqual(outbox.unanswered, []);
});

test("giving up on one frame does not stop the newer ones, which keep their order", () => {
  const outbox = new Outbox(3);
  sendAll(outbox, "old");
  outbox.reopened();
  sendAll(outbox, "new");
  outbox.reopened(); // old: 3 sends, new: 2
  const { resend, gaveUp } = outbox.reopened();
  assert.deepEqual(gaveUp, ["old"]);
  assert.deepEqual(resend, [frame("new")]);
});

test("an ack after a resend clears the frame: it is not sent again", () => {
  const outbox = new Outbox();
  sendAll(outbox, "a", "b");
  outbox.reopened();
  outbox.acknowledged("a"); // the lost ack, answered again for the resent frame
  assert.deepEqual(outbox.reopened().resend, [frame("b")]);
});

test("an ack hands back the text it carried once, for the composer to clear", () => {
  const outbox = new Outbox();
  outbox.composed("a", "hello");
  outbox.sent(frame("a", "hello"));
  outbox.acknowledged("a");
  assert.equal(outbox.takeText("a"), "hello");
  assert.equal(outbox.takeText("a"), undefined); // a repeated ack clears nothing
  assert.equal(outbox.takeText("never-sent"), undefined);
});

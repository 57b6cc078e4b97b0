// The frames a page sends, and its clientMessageIds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { newClientMessageId, readFrame, resumeFrame, typingFrame } from "../ChatterWeb/wwwroot/js/protocol.mjs";

test("resume names the highest seq shown and, when the page tracks changes, its change mark", () => {
  assert.deepEqual(JSON.parse(resumeFrame(42, 7)), { type: "resume", afterSeq: 42, afterChange: 7 });
  assert.deepEqual(JSON.parse(resumeFrame(42, 0)), { type: "resume", afterSeq: 42, afterChange: 0 });
  assert.deepEqual(JSON.parse(resumeFrame(0, null)), { type: "resume", afterSeq: 0 });
});

test("read and typing frames", () => {
  assert.deepEqual(JSON.parse(readFrame(9)), { type: "read", upToSeq: 9 });
  assert.deepEqual(JSON.parse(typingFrame()), { type: "typing" });
});

test("a clientMessageId is a version 4 UUID made from the random bytes", () => {
  const id = newClientMessageId((bytes) => bytes.fill(0xff));
  assert.equal(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
  assert.equal(newClientMessageId((bytes) => bytes.fill(0)), "00000000-0000-4000-8000-000000000000");
  const ids = new Set(Array.from({ length: 1000 }, () => newClientMessageId()));
  assert.equal(ids.size, 1000);
  for (const real of ids) assert.match(real, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

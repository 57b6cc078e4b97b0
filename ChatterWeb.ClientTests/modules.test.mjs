// The module graph the page loads: every relative import names a file that exists and a name that
// file exports (a broken import fails the whole page's script in the browser), and the DOM-free
// modules stay DOM-free (they import only each other and never touch document or window).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const dir = fileURLToPath(new URL("../ChatterWeb/wwwroot/js/", import.meta.url));
const modules = readdirSync(dir).filter((f) => f.endsWith(".mjs"));
const source = (f) => readFileSync(path.join(dir, f), "utf8");
const importsOf = (f) => [...source(f).matchAll(/^import\s+(?:\{([^}]*)\}\s+from\s+|[\w*\s]+from\s+)?"\.\/([^"]+)";/gm)]
  .map((m) => ({ names: (m[1] || "").split(",").map((n) => n.trim()).filter(Boolean), file: m[2] }));
const exportsOf = (f) => new Set([...source(f).matchAll(/^export\s+(?:const|function|class|let)\s+(\w+)/gm)].map((m) => m[1]));

const DomFree = ["outbox.mjs", "change-mark.mjs", "message-order.mjs", "protocol.mjs"];

test("every import names an existing module and a name it exports", () => {
  assert.ok(modules.includes("page.mjs"));
  for (const f of modules) {
    for (const { names, file } of importsOf(f)) {
      assert.ok(modules.includes(file), `${f} imports ${file}, which does not exist`);
      for (const name of names) assert.ok(exportsOf(file).has(name), `${f} imports ${name} from ${file}, which does not export it`);
    }
  }
});

test("the page entry imports every feature module once; shared modules are only imported", () => {
  const entry = importsOf("page.mjs").map((i) => i.file);
  assert.equal(new Set(entry).size, entry.length);
  for (const f of entry) assert.ok(!DomFree.includes(f) && f !== "dom.mjs" && f !== "socket.mjs", `page.mjs imports the shared ${f}`);
});

test("the DOM-free modules import only each other and touch no document or window", () => {
  for (const f of DomFree) {
    for (const { file } of importsOf(f)) assert.ok(DomFree.includes(file), `${f} imports ${file}`);
    const code = source(f).replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    assert.doesNotMatch(code, /\b(document|window|location|navigator|htmx)\b/, f);
  }
});

test("every module is described in docs/ARCHITECTURE.md (the client's table, or the text above it)", () => {
  const doc = readFileSync(fileURLToPath(new URL("../docs/ARCHITECTURE.md", import.meta.url)), "utf8");
  const client = doc.slice(doc.indexOf("## The client"), doc.indexOf("## Decisions"));
  for (const f of modules) assert.ok(client.includes("`" + f + "`"), `${f} is not described under "The client" in docs/ARCHITECTURE.md`);
});

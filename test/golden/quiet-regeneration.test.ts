// Quiet regeneration: generating from a newer file changes only what changed. A command whose
// model did not change keeps its page and its client code byte for byte, even when every line
// of the file moved; the index changes only in the rows of changed commands.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateFiles, parseSchema, type GeneratedFile } from "../../src/index.js";

function documented(name: string, argsType: string, summary: string): string {
  return `    {\n        .name       = "${name}",\n        .args_type  = "${argsType}",\n        .mhandler.cmd_new = qmp_marshal_x,\n    },\n\nSQMP\n${name}\n${"-".repeat(name.length)}\n\n${summary}\n\nArguments:\n\n- "id": the id (json-string)\n\nEQMP\n\n`;
}

async function generate(text: string): Promise<Map<string, string>> {
  const { schema } = parseSchema(text, { file: "qmp-commands.hx" });
  return new Map((await generateFiles(schema)).map((file: GeneratedFile) => [file.path, file.content]));
}

/** A generated function with its JSDoc. */
function functionBlock(client: string, name: string): string {
  const start = client.lastIndexOf("/**", client.indexOf(`export function ${name}(`));
  const end = client.indexOf("\n}\n", start);
  assert.ok(start >= 0 && end > start, `client.ts has ${name}`);
  return client.slice(start, end);
}

describe("quiet regeneration", () => {
  const before = ["HXCOMM the table\n\n", documented("keep-me", "id:s", "Stays as it is."), documented("grow-me", "id:s", "Short."), documented("change-me", "id:s", "Takes an id.")].join("");
  const after = [
    "HXCOMM the table\nHXCOMM two lines more\nHXCOMM shift every entry\n\n",
    documented("keep-me", "id:s", "Stays as it is."),
    documented("grow-me", "id:s", "A much longer summary than before, longer than any other cell of the index."),
    documented("change-me", "id:s,force:b?", "Takes an id."),
  ].join("");

  it("changes only the files of changed commands, the index and the source lines", async () => {
    const [old, next] = [await generate(before), await generate(after)];
    assert.deepEqual([...old.keys()], [...next.keys()]);
    const changed = [...next.keys()].filter((path) => old.get(path) !== next.get(path));
    assert.deepEqual(changed, ["client.ts", "docs/change-me.md", "docs/grow-me.md", "docs/index.md", "docs/sources.md", "validators.ts"]);
  });

  it("keeps an unchanged command's client code and index row byte-identical", async () => {
    const [old, next] = [await generate(before), await generate(after)];
    assert.equal(functionBlock(next.get("client.ts") ?? "", "keepMe"), functionBlock(old.get("client.ts") ?? "", "keepMe"));
    const oldIndex = (old.get("docs/index.md") ?? "").split("\n");
    const changedRows = (next.get("docs/index.md") ?? "").split("\n").filter((line) => !oldIndex.includes(line));
    assert.deepEqual(changedRows, ["- [grow-me](grow-me.md): A much longer summary than before, longer than any other cell of the index."]);
  });

  it("keeps the source line where a reader can jump from", async () => {
    const next = await generate(after);
    assert.match(next.get("docs/sources.md") ?? "", /^- \[keep-me\]\(keep-me\.md\): `qmp-commands\.hx:5`, docs from line 12$/m);
    assert.match(next.get("docs/keep-me.md") ?? "", /\[sources\.md\]\(sources\.md\)/);
    assert.match(functionBlock(next.get("client.ts") ?? "", "keepMe"), /@see QMP command `keep-me`; its source line is listed in docs\/sources\.md/);
  });

  it("never gives a command the page name of the index or the source lines", async () => {
    const files = await generate(documented("index", "", "Named like the index.") + documented("sources", "", "Named like the source lines."));
    assert.ok(files.has("docs/index-2.md") && files.has("docs/sources-2.md"));
    assert.match(files.get("docs/index.md") ?? "", /^- \[index\]\(index-2\.md\): Named like the index\.$/m);
  });
});

// `diff` over the real upstream files, step by step in release order: its commands added and
// removed, and the commands whose arguments changed, agree with an independent scan of the
// two tables (the sets of `.name` values and args_type strings); 2.1.0 -> 2.2.50 gives exactly
// the changes known from QEMU's history.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffSchemas, type DiffReport } from "../../src/compare/diff/index.js";
import type { Schema } from "../../src/model/types.js";
import { docPageNames } from "../../src/emit/names.js";
import { generateFiles } from "../../src/emit/generate.js";
import { assignNames, namesOf } from "../../src/emit/names.js";
import { corpusText, entry, parseCorpusFile, requireCorpus, scanTable, type Corpus, type ManifestEntry } from "../corpus/corpus.js";

const argumentKinds = new Set(["argument-added", "argument-removed", "argument-optional", "argument-required", "argument-code", "open-keys"]);

/** Upstream QEMU's .hx files in release order (file numbers follow commit dates). */
function upstream(corpus: Corpus): ManifestEntry[] {
  return corpus.manifest.filter((file) => file.repo === "qemu/qemu" && file.kind === "qmp-commands.hx").sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** name -> args_type items, sorted (their order is not part of what the monitor accepts), from the first entry of each name. */
function scannedArgs(corpus: Corpus, file: ManifestEntry): Map<string, string> {
  const table = new Map<string, string>();
  for (const scanned of scanTable(corpusText(corpus, file))) {
    if (scanned.name === undefined || table.has(scanned.name)) continue;
    table.set(scanned.name, (scanned.argsType ?? "").split(",").filter(Boolean).sort().join(","));
  }
  return table;
}

function changedNames(report: DiffReport, kinds: ReadonlySet<string>): Set<string> {
  return new Set(report.changes.filter((change) => kinds.has(change.kind)).map((change) => change.name));
}

describe("diff over the upstream corpus", () => {
  it("agrees with an independent scan of both tables at every step", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const files = upstream(corpus);
    assert.ok(files.length >= 9, "upstream files in the corpus");
    for (let step = 1; step < files.length; step++) {
      const [oldFile, newFile] = [files[step - 1], files[step]] as [ManifestEntry, ManifestEntry];
      const label = `${oldFile.file} -> ${newFile.file}`;
      const oldSchema: Schema = parseCorpusFile(corpus, oldFile).schema;
      const report: DiffReport = diffSchemas(oldSchema, parseCorpusFile(corpus, newFile).schema);
      const before: Map<string, string> = scannedArgs(corpus, oldFile);
      const after: Map<string, string> = scannedArgs(corpus, newFile);
      // Up to 0.15 query commands were documented but not in the table: not an addition when they get an entry.
      const documentedBefore: Set<string> = new Set(oldSchema.commands.filter((command) => command.origin === "doc-only").map((command) => command.name));
      const added = [...after.keys()].filter((name) => !before.has(name) && !documentedBefore.has(name));
      const removed = [...before.keys()].filter((name) => !after.has(name));
      assert.deepEqual([...changedNames(report, new Set(["command-added"]))].sort(), added.sort(), `${label}: added`);
      assert.deepEqual([...changedNames(report, new Set(["command-removed"]))].sort(), removed.sort(), `${label}: removed`);
      const changedArgs = [...after].filter(([name, args]) => before.has(name) && before.get(name) !== args).map(([name]) => name);
      assert.deepEqual([...changedNames(report, argumentKinds)].sort(), changedArgs.sort(), `${label}: commands whose arguments changed`);
      for (const change of report.changes) assert.ok(change.message.length > 0 && !change.message.includes("\n"), `${label}: one-line messages`);
    }
  });

  it("2.1.0 -> 2.2.50 (no 2.2.0 file in the corpus: the closest pair) reports exactly what QEMU's history says", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const report = diffSchemas(parseCorpusFile(corpus, entry(corpus, "21")).schema, parseCorpusFile(corpus, entry(corpus, "24")).schema);
    const wire = report.changes.filter((change) => change.level !== "docs").map((change) => [change.level, change.kind, change.name, change.argument ?? ""]);
    assert.deepEqual(wire, [
      ["compatible", "command-added", "blockdev-backup", ""],
      // The documented result: 2.2 dropped the cow driver from query-block's drv values.
      ["compatible", "result-type", "query-block", ""],
      ["compatible", "argument-added", "query-blockstats", "query-nodes"],
      ["compatible", "command-added", "trace-event-get-state", ""],
      ["compatible", "command-added", "trace-event-set-state", ""],
      ["compatible", "command-added", "x-input-send-event", ""],
    ]);
    const docs = report.changes.filter((change) => change.level === "docs").map((change) => change.name);
    assert.deepEqual(docs, ["inject-nmi", "query-block", "migrate-set-capabilities", "query-migrate-capabilities"]);
  });

  it("regenerating 2.5.0's bindings from 2.7.0's file changes only what diff reports changed", { timeout: 300_000 }, async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const [older, newer] = [parseCorpusFile(corpus, entry(corpus, "29")).schema, parseCorpusFile(corpus, entry(corpus, "33")).schema];
    const changed = new Set(diffSchemas(older, newer).changes.map((change) => change.name));
    const [before, after] = [await generateFiles(older), await generateFiles(newer)].map((files) => new Map(files.map((file) => [file.path, file.content]))) as [Map<string, string>, Map<string, string>];
    const pageOf = new Map([...docPageNames(newer.commands), ...docPageNames(older.commands)].map(([command, page]) => [`docs/${page}`, command.name]));
    const shared = new Set(["client.ts", "validators.ts", "docs/index.md", "docs/sources.md"]);
    const rewritten = [...new Set([...before.keys(), ...after.keys()])].filter((path) => before.get(path) !== after.get(path));
    for (const path of rewritten) assert.ok(shared.has(path) || changed.has(pageOf.get(path) ?? ""), `${path} changed, but diff reports no change of its command`);
    assert.ok(rewritten.length <= changed.size + shared.size, `${rewritten.length} files for ${changed.size} changed commands`);

    // Inside the shared files: an unchanged command's function and index row stay as they were.
    const [oldClient, newClient] = [before.get("client.ts") ?? "", after.get("client.ts") ?? ""];
    const oldNames = assignNames(older.commands);
    const newNames = assignNames(newer.commands);
    for (const command of newer.commands.filter((candidate) => !changed.has(candidate.name))) {
      const previous = older.commands.find((candidate) => candidate.name === command.name);
      assert.ok(previous);
      const block = (client: string, name: string): string => {
        const start = client.lastIndexOf("/**", client.indexOf(`export function ${name}(`));
        return client.slice(start, client.indexOf("\n}\n", start));
      };
      assert.equal(block(newClient, namesOf(newNames, command).function), block(oldClient, namesOf(oldNames, previous).function), `${command.name}: client code`);
    }
    const oldIndex = new Set((before.get("docs/index.md") ?? "").split("\n"));
    for (const line of (after.get("docs/index.md") ?? "").split("\n").filter((row) => row.startsWith("- [") && !oldIndex.has(row))) {
      assert.ok(changed.has(/^- \[(.*?)\]/.exec(line)?.[1]?.replace(/\\(.)/g, "$1") ?? ""), `index row of an unchanged command: ${line}`);
    }
  });
});

// Bench figures for diff and quiet regeneration: diffing every consecutive pair of upstream
// corpus files, paired with parsing the same files in the same run; and how many generated
// files regenerating from a newer file rewrites, beside how many commands diff says changed.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { diffSchemas } from "../src/compare/diff/index.js";
import { generateFiles, parseSchema, type Schema } from "../src/index.js";

type Row = (label: string, value: string) => void;

const upstream = /^(03|06|09|12|18|21|24|29|33|35)-/;

function parseAll(paths: readonly string[]): Schema[] {
  return paths.map((path) => parseSchema(readFileSync(path, "utf8"), { file: path }).schema);
}

export async function benchDiff(corpus: readonly string[], row: Row): Promise<void> {
  const paths = corpus.filter((path) => upstream.test(basename(path)));
  if (paths.length < 2) {
    console.log("  corpus not found: diff figures skipped");
    return;
  }
  let parseMs = Number.POSITIVE_INFINITY;
  let diffMs = Number.POSITIVE_INFINITY;
  let schemas: Schema[] = [];
  // Best of five alternating rounds: parsing is the baseline every diff starts from.
  for (let round = 0; round < 5; round++) {
    const parseStart = performance.now();
    schemas = parseAll(paths);
    parseMs = Math.min(parseMs, performance.now() - parseStart);
    const diffStart = performance.now();
    for (let step = 1; step < schemas.length; step++) diffSchemas(schemas[step - 1] as Schema, schemas[step] as Schema);
    diffMs = Math.min(diffMs, performance.now() - diffStart);
  }
  row(`parse ${paths.length} upstream files (baseline)`, `${parseMs.toFixed(1)} ms`);
  row(`diff their ${paths.length - 1} consecutive pairs (models already parsed)`, `${diffMs.toFixed(1)} ms`);

  for (const [from, to] of [["29-", "33-"], ["33-", "35-"]] as const) {
    const older = schemas[paths.findIndex((path) => basename(path).startsWith(from))];
    const newer = schemas[paths.findIndex((path) => basename(path).startsWith(to))];
    if (!older || !newer) continue;
    const changed = new Set(diffSchemas(older, newer).changes.map((change) => change.name)).size;
    const [before, after] = [await generateFiles(older), await generateFiles(newer)].map((files) => new Map(files.map((file) => [file.path, file.content])));
    const outputs = new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])]);
    const rewritten = [...outputs].filter((path) => before?.get(path) !== after?.get(path)).length;
    row(`regenerate ${from}* bindings from ${to}*`, `${rewritten} of ${outputs.size} files rewritten or removed; ${changed} commands changed`);
  }
}

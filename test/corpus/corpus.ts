// The real qmp-commands.hx files in ../shared/corpus, for tests. They are read where they
// are, never copied into the repository. Without the folder the corpus tests skip (saying
// so) on a developer's machine and fail on CI, where a silent skip would hide a broken setup.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { parseFile } from "../../src/api.js";
import type { BuildResult } from "../../src/frontend/hx/build.js";
import type { Schema } from "../../src/model/types.js";
import { parseSchema } from "../../src/frontend/hx/schema.js";
import { parseEvents } from "../../src/frontend/hx/events.js";

/** The compiled helper is dist/test/corpus/corpus.js: the repository is three levels up. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export const corpusDir = resolve(process.env["QMP_HX_CORPUS"] ?? join(repoRoot, "..", "shared", "corpus"));

/** The macro RHEL's file needs, as `--define RFQDN_REDHAT=__com.redhat_` gives it. */
export const rhelDefines: ReadonlyMap<string, string> = new Map([["RFQDN_REDHAT", "__com.redhat_"]]);

export interface ManifestEntry {
  /** Relative to the corpus folder: `hx/24-2.2.50-qemu_qemu-c29c1dd312.hx`. */
  readonly file: string;
  readonly repo: string;
  readonly commit: string;
  readonly path: string;
  readonly qemu_version: string;
  readonly commit_date: string;
  readonly sha256: string;
  readonly lines: number;
  readonly bytes: number;
  /** The number of `.name` entries. */
  readonly commands: number;
  readonly kind: string;
  readonly notes: string;
}

export interface Corpus {
  readonly dir: string;
  readonly manifest: readonly ManifestEntry[];
}

const stringKeys = ["file", "repo", "commit", "path", "qemu_version", "commit_date", "sha256", "kind", "notes"] as const;
const numberKeys = ["lines", "bytes", "commands"] as const;

/** manifest.json, checked field by field so that a changed format fails loudly here. */
function readManifest(dir: string): ManifestEntry[] {
  const data: unknown = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  assert.ok(Array.isArray(data), "manifest.json: expected an array");
  return data.map((entry: unknown, index) => {
    assert.ok(entry !== null && typeof entry === "object", `manifest.json[${index}]: expected an object`);
    const record = entry as Readonly<Record<string, unknown>>;
    for (const key of stringKeys) assert.equal(typeof record[key], "string", `manifest.json[${index}].${key}: expected a string`);
    for (const key of numberKeys) assert.equal(typeof record[key], "number", `manifest.json[${index}].${key}: expected a number`);
    return record as unknown as ManifestEntry;
  });
}

let cached: Corpus | null | undefined;

/** The corpus, or undefined when its folder is missing. */
export function loadCorpus(): Corpus | undefined {
  if (cached === undefined) {
    cached = existsSync(join(corpusDir, "manifest.json")) ? { dir: corpusDir, manifest: readManifest(corpusDir) } : null;
  }
  return cached ?? undefined;
}

/**
 * The corpus for a test; when it is missing, skips the test with a visible reason and
 * returns undefined (the caller returns). With CI=true a missing corpus fails instead.
 */
export function requireCorpus(t: TestContext): Corpus | undefined {
  const corpus = loadCorpus();
  if (corpus) return corpus;
  const message = `corpus not found at ${corpusDir}: set QMP_HX_CORPUS`;
  if (process.env["CI"] === "true") assert.fail(`${message} (CI=true: the corpus tests must run)`);
  t.skip(message);
  return undefined;
}

/** The manifest entry whose file name starts with `NN-` (`entry(corpus, "24")`). */
export function entry(corpus: Corpus, number: string): ManifestEntry {
  const found = corpus.manifest.find((candidate) => candidate.file.split("/").at(-1)?.startsWith(`${number}-`));
  assert.ok(found, `no corpus file ${number}-* in ${join(corpus.dir, "manifest.json")}`);
  return found;
}

export function corpusText(corpus: Corpus, file: ManifestEntry): string {
  return readFileSync(join(corpus.dir, file.file), "utf8");
}

export function corpusBytes(corpus: Corpus, file: ManifestEntry): Buffer {
  return readFileSync(join(corpus.dir, file.file));
}

export function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The broken PANDA commit: the one file that must not parse. */
export function isBroken(file: ManifestEntry): boolean {
  return file.file.includes("/07-");
}

/** Parses a corpus file the way the CLI would with `--define RFQDN_REDHAT=__com.redhat_`. */
export function parseCorpusFile(corpus: Corpus, file: ManifestEntry, defines: ReadonlyMap<string, string> = rhelDefines): BuildResult {
  return parseSchema(corpusText(corpus, file), { file: file.file, defines });
}

/** The events document of the same commit (`events/NN-....txt`), or undefined when the corpus has none. */
export function eventsDocumentOf(corpus: Corpus, file: ManifestEntry): string | undefined {
  const path = join(corpus.dir, "events", (file.file.split("/").at(-1) ?? "").replace(/\.(hx|txt)$/, ".txt"));
  return existsSync(path) ? path : undefined;
}

/** The QAPI schema of the same release (`qapi/NN-.../qapi-schema.json`), or undefined when the corpus has none. */
export function qapiSchemaOf(corpus: Corpus, file: ManifestEntry): string | undefined {
  const number = file.file.split("/").at(-1)?.slice(0, 2) ?? "";
  const qapiFolder = join(corpus.dir, "qapi");
  const folder = existsSync(qapiFolder) ? readdirSync(qapiFolder).find((name) => name.startsWith(`${number}-`)) : undefined;
  return folder === undefined ? undefined : join(qapiFolder, folder, "qapi-schema.json");
}

/**
 * The release's models as `generate` builds them: from the file with its events document
 * (where the corpus has one), and again with its QAPI schema (where it has one).
 */
export async function releaseSchemas(corpus: Corpus, file: ManifestEntry): Promise<{ readonly label: string; readonly schema: Schema }[]> {
  const events = eventsDocumentOf(corpus, file);
  const options = { defines: rhelDefines, ...(events === undefined ? {} : { events }) };
  const schemas = [{ label: file.file, schema: (await parseFile(join(corpus.dir, file.file), options)).schema }];
  const qapi = qapiSchemaOf(corpus, file);
  if (qapi !== undefined) schemas.push({ label: `${file.file} with ${relative(corpus.dir, qapi)}`, schema: (await parseFile(join(corpus.dir, file.file), { ...options, qapi })).schema });
  return schemas;
}

/** parseCorpusFile with the events document of the same commit, where the corpus has one. */
export function parseCorpusFileWithEvents(corpus: Corpus, file: ManifestEntry): BuildResult {
  const result = parseCorpusFile(corpus, file);
  const events = eventsDocumentOf(corpus, file);
  if (events === undefined) return result;
  return { ...result, schema: { ...result.schema, events: parseEvents(readFileSync(events, "utf8"), relative(corpus.dir, events)) } };
}

// ---------------------------------------------------------------------------------------
// An independent reading of the dispatch table: plain line and regex scanning, sharing
// nothing with the grammar, so that the parser's answers can be checked against it.

export interface ScannedEntry {
  /** 1-based line of `.name`. */
  readonly line: number;
  /** The name with RFQDN_REDHAT-style macros replaced, or undefined for an unknown macro. */
  readonly name: string | undefined;
  /** args_type's adjacent literals joined, or undefined when the entry has none. */
  readonly argsType: string | undefined;
  /** The `#if`/`#ifdef` lines the entry sits under, outermost first, as written (trimmed). */
  readonly conditions: readonly string[];
}

const nameLine = /^\s*\.name\s*=\s*(.*)$/;

/** `.name` lines: what the manifest's `commands` counts. */
export function countNameLines(text: string): number {
  return text.split("\n").filter((line) => nameLine.test(line)).length;
}

export function scanTable(text: string, defines: ReadonlyMap<string, string> = rhelDefines): ScannedEntry[] {
  const lines = text.split("\n");
  const open: string[] = [];
  const entries: ScannedEntry[] = [];
  lines.forEach((line, index) => {
    const directive = /^\s*#\s*(if|ifdef|ifndef|endif)\b/.exec(line);
    if (directive) {
      if (directive[1] === "endif") open.pop();
      else open.push(line.trim());
      return;
    }
    const name = nameLine.exec(line);
    if (!name) return;
    entries.push({ line: index + 1, name: scanName(name[1] ?? "", defines), argsType: scanArgsType(lines, index), conditions: [...open] });
  });
  return entries;
}

/** `"drive_add",` or `RFQDN_REDHAT "drive_add",`. */
function scanName(value: string, defines: ReadonlyMap<string, string>): string | undefined {
  const match = /^(?:([A-Za-z_]\w*)\s+)?"([^"]*)"\s*,/.exec(value.trim());
  if (!match) return undefined;
  const macro = match[1];
  if (macro === undefined) return match[2];
  const expansion = defines.get(macro);
  return expansion === undefined ? undefined : expansion + (match[2] ?? "");
}

/** The `.args_type` after the `.name` on line `index`: its literals, possibly over several lines. */
function scanArgsType(lines: readonly string[], index: number): string | undefined {
  for (let current = index + 1; current < lines.length; current++) {
    const line = lines[current] ?? "";
    if (/^\s*}/.test(line) || nameLine.test(line)) return undefined;
    const start = /^\s*\.args_type\s*=\s*(.*)$/.exec(line);
    if (!start) continue;
    let value = start[1] ?? "";
    // C joins adjacent literals; continuation lines hold only a literal (and maybe a comma).
    for (let next = current + 1; /^\s*"/.test(lines[next] ?? ""); next++) value += ` ${lines[next] ?? ""}`;
    return [...value.matchAll(/"([^"]*)"/g)].map((literal) => literal[1] ?? "").join("");
  }
  return undefined;
}

// The QAPI front end against the five real schemas (../shared/corpus/qapi): each parses with
// its includes, its definition counts agree with an independent scan of its files, the known
// disagreements with the same release's .hx are reported, and 2.7.0 is typed as the issue
// measured it by hand.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { lint, type Finding } from "../../src/compare/lint/index.js";
import { enrichWithQapi, loadQapiSchema, type BuildResult, type QapiSchema } from "../../src/index.js";
import { namedTypeParts, namedTypeReferences } from "../../src/model/data-types.js";
import type { DataType, Schema } from "../../src/model/types.js";
import { entry, parseCorpusFile, requireCorpus, type Corpus } from "./corpus.js";

interface Release {
  /** `33`: the number its .hx, events document and QAPI folder share. */
  readonly number: string;
  readonly folder: string;
}

function releases(corpus: Corpus): Release[] {
  return readdirSync(join(corpus.dir, "qapi"))
    .sort()
    .map((folder) => ({ number: folder.slice(0, 2), folder: join(corpus.dir, "qapi", folder) }));
}

/** Every .json file of a schema folder, read by path (the top file and qapi/*.json). */
function schemaFiles(folder: string): string[] {
  const nested = join(folder, "qapi");
  const included = readdirSync(folder).includes("qapi") ? readdirSync(nested).map((name) => join(nested, name)) : [];
  return [join(folder, "qapi-schema.json"), ...included].sort();
}

/**
 * Definitions per kind by a plain scan: a top-level definition starts a line with `{` and its
 * first key names its kind. A 1.x union with `'discriminator': {}` is an alternate.
 */
function scannedCounts(folder: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of schemaFiles(folder)) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/^\{\s*'(enum|struct|type|union|alternate|command|event)'/gm)) {
      const kind = match[1] === "type" ? "struct" : (match[1] ?? "");
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    const oldAlternates = [...text.matchAll(/'discriminator':\s*\{\s*\}/g)].length;
    if (oldAlternates > 0) {
      counts["union"] = (counts["union"] ?? 0) - oldAlternates;
      counts["alternate"] = (counts["alternate"] ?? 0) + oldAlternates;
    }
  }
  return counts;
}

function countsOf(schema: QapiSchema): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const definition of schema.definitions) counts[definition.kind] = (counts[definition.kind] ?? 0) + 1;
  return counts;
}

const loaded = new Map<string, Promise<QapiSchema>>();
function load(release: Release): Promise<QapiSchema> {
  const schema = loaded.get(release.folder) ?? loadQapiSchema(join(release.folder, "qapi-schema.json"));
  loaded.set(release.folder, schema);
  return schema;
}

async function enriched(corpus: Corpus, release: Release): Promise<BuildResult> {
  return enrichWithQapi(parseCorpusFile(corpus, entry(corpus, release.number)), await load(release));
}

function corpusReleases(t: TestContext): { corpus: Corpus; all: Release[] } | undefined {
  const corpus = requireCorpus(t);
  return corpus ? { corpus, all: releases(corpus) } : undefined;
}

describe("QAPI schemas of the corpus", () => {
  it("all five parse with their includes; definitions per kind agree with a scan of their files", async (t) => {
    const found = corpusReleases(t);
    if (!found) return;
    assert.equal(found.all.length, 5);
    for (const release of found.all) {
      const schema = await load(release);
      assert.deepEqual([...schema.files].sort(), schemaFiles(release.folder), `${release.number}: every file included once`);
      const counts = scannedCounts(release.folder);
      for (const kind of Object.keys(counts)) if (counts[kind] === 0) delete counts[kind];
      assert.deepEqual(countsOf(schema), counts, release.number);
      assert.deepEqual(schema.notices, [], `${release.number}: QEMU's own schema passes its checks`);
    }
  });

  it("the table and QAPI disagree where the README says, each reported by lint with both locations", async (t) => {
    const found = corpusReleases(t);
    if (!found) return;
    const expected: Record<string, string[]> = {
      "09": ["memsave:cpu", "memsave:cpu-index"],
      "21": ["memsave:cpu", "memsave:cpu-index", "dump-guest-memory:end", "dump-guest-memory:length"],
      "24": ["memsave:cpu", "memsave:cpu-index", "dump-guest-memory:end", "dump-guest-memory:length"],
      "29": ["memsave:cpu", "memsave:cpu-index", "dump-guest-memory:end", "dump-guest-memory:length", "migrate-set-parameters:x-cpu-throttle-initial", "migrate-set-parameters:x-cpu-throttle-increment"],
      "33": [
        "memsave:cpu",
        "memsave:cpu-index",
        "dump-guest-memory:end",
        "dump-guest-memory:length",
        "migrate-set-parameters:tls-creds",
        "migrate-set-parameters:tls-hostname",
        "input-send-event:console",
        "input-send-event:device",
        "input-send-event:head",
      ],
    };
    for (const release of found.all) {
      const findings: Finding[] = lint(await enriched(found.corpus, release)).filter((finding) => finding.rule === "qapi-argument-mismatch");
      const named: string[] = findings.map((finding) => {
        const match = /'([^']+)' of '([^']+)'|QAPI's '([^']+)' at \S+ takes \w+ '([^']+)'/.exec(finding.message);
        assert.ok(match, finding.message);
        assert.match(finding.message, /qapi[^ ]*\.json:\d+:\d+/, "the QAPI location");
        assert.match(finding.location.file, /\.hx$/, "located in the .hx");
        return match[1] ? `${match[2]}:${match[1]}` : `${match[3]}:${match[4]}`;
      });
      assert.deepEqual(named.sort(), [...(expected[release.number] ?? [])].sort(), release.number);
    }
  });

  it("every named type the enriched model refers to is defined in it, once", async (t) => {
    const found = corpusReleases(t);
    if (!found) return;
    for (const release of found.all) {
      const { schema } = await enriched(found.corpus, release);
      const defined = new Set(schema.types.map((type) => type.name));
      assert.equal(defined.size, schema.types.length, `${release.number}: unique names`);
      for (const name of referencedNames(schema)) assert.ok(defined.has(name), `${release.number}: '${name}' is referred to but not defined`);
    }
  });

  it("2.7.0: results, all 20 enum arguments (6 enums), all 8 structured arguments and all 37 events typed from QAPI", async (t) => {
    const found = corpusReleases(t);
    if (!found) return;
    const release = found.all.find((candidate) => candidate.number === "33");
    assert.ok(release);
    const { schema } = await enriched(found.corpus, release);
    const fromQapi = schema.commands.filter((command) => command.result?.origin === "qapi").map((command) => command.name);
    // qmp_capabilities is not in QAPI until 2.9; device_add and netdev_add are 'gen': false without 'returns'.
    assert.deepEqual(
      schema.commands.filter((command) => !fromQapi.includes(command.name)).map((command) => command.name),
      ["device_add", "netdev_add", "qmp_capabilities"],
    );
    const narrowed = schema.commands.flatMap((command) => command.args.filter((arg) => arg.type?.origin === "qapi").map((arg) => ({ command, arg })));
    const enums = narrowed.filter(({ arg }) => arg.code !== "q");
    assert.equal(enums.length, 20);
    assert.equal(new Set(enums.map(({ arg }) => (arg.type?.type.kind === "named" ? arg.type.type.name : ""))).size, 6);
    assert.deepEqual(
      narrowed.filter(({ arg }) => arg.code === "q").map(({ command, arg }) => `${command.name}.${arg.name}`),
      ["send-key.keys", "transaction.actions", "transaction.properties", "migrate-set-capabilities.capabilities", "nbd-server-start.addr", "chardev-add.backend", "blockdev-add.options", "input-send-event.events"],
    );
    assert.equal(schema.events.filter((event) => event.data?.origin === "qapi").length, 37);
    const sync = schema.commands.find((command) => command.name === "blockdev-backup")?.args.find((arg) => arg.name === "sync");
    assert.deepEqual(sync?.type?.type, { kind: "named", name: "MirrorSyncMode" });
    const mode = schema.types.find((type) => type.name === "MirrorSyncMode");
    assert.deepEqual(mode?.kind === "enum" ? mode.values : [], ["top", "full", "none", "incremental"]);
  });
});

function referencedNames(schema: Schema): string[] {
  const types: DataType[] = [];
  for (const command of schema.commands) {
    if (command.result) types.push(command.result.type);
    for (const arg of command.args) if (arg.type) types.push(arg.type.type);
  }
  for (const event of schema.events) if (event.data) types.push(event.data.type);
  for (const named of schema.types) types.push(...namedTypeParts(named));
  return types.flatMap(namedTypeReferences);
}

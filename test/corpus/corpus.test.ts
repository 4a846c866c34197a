// The parser and model against every real file in the corpus (../shared/corpus): what must
// parse, what must fail and where, and what the model must hold for a few known commands.
// Counts and names are checked against an independent line scan (corpus.ts), not against
// numbers copied from the parser's own output.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { hxErrorOf } from "../helpers.js";
import { parseSchema } from "../../src/frontend/hx/schema.js";
import type { Command, DocItem, Paragraph, Schema } from "../../src/model/types.js";
import {
  corpusBytes,
  corpusText,
  countNameLines,
  entry,
  isBroken,
  parseCorpusFile,
  repoRoot,
  requireCorpus,
  scanTable,
  sha256,
  type Corpus,
  type ManifestEntry,
} from "./corpus.js";

function command(schema: Schema, name: string): Command {
  const found = schema.commands.find((candidate) => candidate.name === name);
  assert.ok(found, `${schema.file}: no command '${name}'`);
  return found;
}

/** `name:code?` as args_type writes each argument. */
function spec(command: Command): string[] {
  return command.args.map((arg) => `${arg.name}:${arg.code === "-" ? `-${arg.flag ?? ""}` : arg.code}${arg.optional && arg.code !== "-" ? "?" : ""}`);
}


function tableFiles(corpus: Corpus): ManifestEntry[] {
  return corpus.manifest.filter((file) => file.file.endsWith(".hx"));
}

/** Each parseable .hx file: its table commands as parsed, and its entries as scanned independently. */
function* parsedBesideScanned(corpus: Corpus) {
  for (const file of tableFiles(corpus)) {
    if (isBroken(file)) continue;
    const { schema } = parseCorpusFile(corpus, file);
    const table = schema.commands.filter((candidate) => candidate.origin === "table");
    yield { file, table, scanned: scanTable(corpusText(corpus, file)) };
  }
}

describe("corpus files", () => {
  test("the manifest describes the files on disk (sha256, size, line count)", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    assert.ok(corpus.manifest.length >= 18, `expected the 17 .hx files and the .txt, found ${corpus.manifest.length} entries`);
    for (const file of corpus.manifest) {
      const bytes = corpusBytes(corpus, file);
      assert.equal(sha256(bytes), file.sha256, `${file.file}: sha256`);
      assert.equal(bytes.length, file.bytes, `${file.file}: bytes`);
      // `wc -l` counts newlines; file 08 has none at its end.
      assert.equal(bytes.toString("latin1").split("\n").length - 1, file.lines, `${file.file}: lines`);
    }
  });

  test("every .hx file but 07 parses, with as many table commands as it has .name lines", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    for (const file of tableFiles(corpus)) {
      if (isBroken(file)) continue;
      const text = corpusText(corpus, file);
      const { schema } = parseCorpusFile(corpus, file);
      const table = schema.commands.filter((candidate) => candidate.origin === "table");
      assert.equal(schema.format, "hx", file.file);
      assert.equal(countNameLines(text), file.commands, `${file.file}: .name lines vs manifest`);
      assert.equal(table.length, file.commands, `${file.file}: table commands vs manifest`);
      // Same names in the same order as the line scan finds them.
      assert.deepEqual(
        table.map((candidate) => candidate.name),
        scanTable(text).map((scanned) => scanned.name),
        `${file.file}: command names`,
      );
    }
  });

  test("every table command's args are its args_type, item by item", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    for (const { file, table, scanned } of parsedBesideScanned(corpus)) {
      table.forEach((found, index) => {
        const expected = scanned[index]?.argsType ?? "";
        assert.equal(found.argsType, expected, `${file.file}: ${found.name}: args_type`);
        const fromTable = found.args.filter((arg) => arg.source === "args_type");
        // No corpus file repeats an argument, so args_type's items map one to one.
        const items = expected === "" ? [] : expected.split(",");
        assert.deepEqual(spec({ ...found, args: fromTable }), items, `${file.file}: ${found.name}: parsed args`);
      });
    }
  });

  test("commands under #if carry the conditions the file puts them under, and no others", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    let conditional = 0;
    for (const { file, table, scanned } of parsedBesideScanned(corpus)) {
      table.forEach((found, index) => {
        const expected = scanned[index]?.conditions ?? [];
        conditional += expected.length > 0 ? 1 : 0;
        assert.deepEqual(
          found.conditions.map((condition) => condition.directive),
          expected,
          `${file.file}: ${found.name}: conditions`,
        );
      });
    }
    // Guards the loop above against a scan that finds no #if at all.
    assert.ok(conditional >= 20, `only ${conditional} conditional commands found in the corpus`);
  });

  test("1.0 (06) puts query-spice under defined(CONFIG_SPICE)", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const { schema } = parseCorpusFile(corpus, entry(corpus, "06"));
    const spice = command(schema, "query-spice");
    assert.deepEqual(
      spice.conditions.map(({ directive, expression, location }) => ({ directive, expression, line: location.line })),
      [{ directive: "#if defined(CONFIG_SPICE)", expression: "defined(CONFIG_SPICE)", line: 1827 }],
    );
    assert.equal(schema.commands.filter((candidate) => candidate.conditions.length > 0).length, 1);
  });

  test("RHEL (32) with the define: __com.redhat_ commands, CONFIG_LIVE_BLOCK_OPS, CONFIG_SPICE and TARGET_I386 blocks", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const { schema } = parseCorpusFile(corpus, entry(corpus, "32"));
    const driveAdd = command(schema, "__com.redhat_drive_add");
    assert.equal(driveAdd.origin, "table");
    assert.equal(driveAdd.acceptsUnknownKeys, true, "simple-drive:O takes further properties");
    assert.equal(driveAdd.doc?.title, "__com.redhat_drive_add");
    // The @-titled doc has no example; it attaches by its title.
    assert.equal(command(schema, "__com.redhat_change-backing-file").doc?.title, "@__com.redhat_change-backing-file");
    const expressions = (name: string): string[] => command(schema, name).conditions.map((condition) => condition.expression);
    for (const name of ["block-stream", "block-commit", "transaction", "blockdev-snapshot-sync", "drive-mirror"]) {
      assert.deepEqual(expressions(name), ["defined(CONFIG_LIVE_BLOCK_OPS)"], name);
    }
    assert.deepEqual(expressions("query-spice"), ["defined(CONFIG_SPICE)"]);
    assert.deepEqual(expressions("rtc-reset-reinjection"), ["defined TARGET_I386"]);
  });

  test("TARGET_S390X and TARGET_ARM blocks (2.5, 2.7)", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    // The RHEL file has no TARGET_S390X block; upstream 2.5 introduced it.
    for (const number of ["29", "33"]) {
      const { schema } = parseCorpusFile(corpus, entry(corpus, number));
      const s390 = schema.commands.filter((candidate) => candidate.conditions.some((condition) => condition.expression === "defined TARGET_S390X"));
      assert.ok(s390.length > 0, `${number}: a command under TARGET_S390X`);
    }
    const { schema } = parseCorpusFile(corpus, entry(corpus, "33"));
    assert.ok(schema.commands.some((candidate) => candidate.conditions.some((condition) => condition.directive === "#if defined TARGET_ARM")));
  });

  test("RHEL (32) without the define fails at each RFQDN_REDHAT name, naming --define", async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const file = entry(corpus, "32");
    const error = await hxErrorOf(() => parseCorpusFile(corpus, file, new Map()));
    const macroLines = corpusText(corpus, file)
      .split("\n")
      .flatMap((line, index) => (/^\s*\.name\s*=\s*RFQDN_REDHAT\b/.test(line) ? [index + 1] : []));
    assert.deepEqual(
      error.diagnostics.map((diagnostic) => diagnostic.location.line),
      macroLines,
    );
    for (const diagnostic of error.diagnostics) {
      assert.equal(diagnostic.location.file, file.file);
      assert.equal(diagnostic.location.column, 23, "the macro, after `.name       = `");
      assert.match(diagnostic.message, /--define RFQDN_REDHAT=VALUE/);
    }
  });

  test("07 (PANDA's broken commit) fails at 2010:22: unterminated string literal", async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const file = entry(corpus, "07");
    const error = await hxErrorOf(() => parseCorpusFile(corpus, file));
    assert.equal(error.diagnostics.length, 1);
    const [diagnostic] = error.diagnostics;
    assert.deepEqual(diagnostic?.location, { file: file.file, line: 2010, column: 22 });
    assert.match(diagnostic?.message ?? "", /unterminated string literal/);
    // The column points at the stray quote.
    assert.equal(corpusText(corpus, file).split("\n")[2009]?.[21], '"');
  });

  test("0.14 (03): query commands are documented but have no entry", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const { schema } = parseCorpusFile(corpus, entry(corpus, "03"));
    const docOnly = schema.commands.filter((candidate) => candidate.origin === "doc-only");
    assert.ok(docOnly.length >= 15, `${docOnly.length} doc-only commands`);
    for (const found of docOnly) {
      assert.match(found.name, /^query-/);
      assert.equal(found.argsType, undefined);
      assert.deepEqual(found.args, []);
      assert.ok(found.doc);
    }
    for (const name of ["query-version", "query-block", "query-migrate", "query-balloon"]) {
      assert.equal(command(schema, name).origin, "doc-only", name);
    }
    // Every table command of 0.14 is documented.
    assert.deepEqual(schema.commands.filter((candidate) => candidate.doc === undefined).map((candidate) => candidate.name), []);
  });

  test("docs/qmp-commands.txt (36): every command derived from docs, the same set as the last .hx documents", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const { schema } = parseCorpusFile(corpus, entry(corpus, "36"));
    assert.equal(schema.format, "doc-only");
    assert.ok(schema.commands.length > 100);
    for (const found of schema.commands) assert.equal(found.origin, "derived-from-docs", found.name);
    // The .txt was made from the .hx of the same day (35): same documented commands.
    const last = parseCorpusFile(corpus, entry(corpus, "35")).schema;
    const documented = last.commands.filter((candidate) => candidate.doc !== undefined).map((candidate) => candidate.name);
    assert.deepEqual(schema.commands.map((candidate) => candidate.name).sort(), documented.sort());
  });

  test("docs/qmp-commands.txt (36): each doc reads the same as in the .hx it was made from (35)", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    // The .txt is the .hx's SQMP text with the markers and the table removed: the two readings
    // must agree on every title, section, item and message; only positions differ, and the
    // .hx's last block is unterminated.
    const strip = (value: unknown): string =>
      JSON.stringify(value, (key, inner: unknown) => (key === "location" || key === "unterminated" ? undefined : inner));
    const hx = parseCorpusFile(corpus, entry(corpus, "35")).schema;
    const txt = parseCorpusFile(corpus, entry(corpus, "36")).schema;
    for (const found of txt.commands) {
      assert.equal(strip(found.doc), strip(command(hx, found.name).doc), found.name);
    }
  });

  test("docs/qmp-commands.txt (36): blockdev-backup's arguments come from its Arguments list", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const { schema } = parseCorpusFile(corpus, entry(corpus, "36"));
    const backup = command(schema, "blockdev-backup");
    assert.deepEqual(
      backup.args.map((arg) => [arg.name, arg.optional, arg.source]),
      [
        ["job-id", true, "doc"],
        ["device", false, "doc"],
        ["target", false, "doc"],
        ["sync", false, "doc"],
        ["speed", true, "doc"],
        ["compress", true, "doc"],
        ["on-source-error", true, "doc"],
        ["on-target-error", true, "doc"],
      ],
    );
    // json-* types map to codes; QAPI names (MirrorSyncMode) pass anything.
    assert.deepEqual(spec(backup), ["job-id:s?", "device:s", "target:s", "sync:q", "speed:i?", "compress:b?", "on-source-error:q?", "on-target-error:q?"]);
    // `dump` has no underline in the .txt; its example names the command.
    assert.equal(command(schema, "dump-guest-memory").doc?.title, "dump");
  });
});

describe("example messages", () => {
  test("every -> and <- line inside a doc block is a message of some doc (none lost)", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    for (const file of corpus.manifest) {
      if (isBroken(file)) continue;
      // Lines that start a message, by a plain scan of SQMP..EQMP (the whole .txt is doc).
      let inBlock = file.file.endsWith(".txt");
      const expected: number[] = [];
      corpusText(corpus, file)
        .split("\n")
        .forEach((line, index) => {
          if (/^SQMP\s*$/.test(line)) inBlock = true;
          else if (/^EQMP\s*$/.test(line)) inBlock = false;
          else if (inBlock && /^\s*(->|<-)/.test(line)) expected.push(index + 1);
        });
      const { schema } = parseCorpusFile(corpus, file);
      const docs = [...schema.commands.flatMap((found) => (found.doc ? [found.doc] : [])), ...schema.otherDocs];
      const lines = docs
        .flatMap((doc) => doc.examples.flatMap((example) => example.parts))
        .flatMap((part) => (part.kind === "message" ? [part.message.location.line] : []))
        .sort((a, b) => a - b);
      assert.deepEqual(lines, expected, file.file);
    }
  });
});

describe("doc attachment", () => {
  test("every command's doc is titled by its name (or @name), or has an example executing it", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    for (const file of corpus.manifest) {
      if (isBroken(file)) continue;
      for (const found of parseCorpusFile(corpus, file).schema.commands) {
        const doc = found.doc;
        if (!doc || doc.title === found.name || doc.title === `@${found.name}`) continue;
        const executed = doc.examples
          .flatMap((example) => example.parts)
          .flatMap((part) => (part.kind === "message" && part.message.direction === "->" ? [part.message.json] : []))
          .map((json) => (json !== null && typeof json === "object" && !Array.isArray(json) ? (json as { readonly execute?: unknown }).execute : undefined));
        assert.ok(executed.includes(found.name), `${file.file}: '${found.name}' got the doc titled '${doc.title}'`);
      }
    }
  });
});

describe("blockdev-backup in 2.2.50 (24), where it was added", () => {
  test("args_type and the doc's six Arguments items", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const { schema } = parseCorpusFile(corpus, entry(corpus, "24"));
    const backup = command(schema, "blockdev-backup");
    assert.equal(backup.argsType, "sync:s,device:B,target:B,speed:i?,on-source-error:s?,on-target-error:s?");
    assert.deepEqual(spec(backup), ["sync:s", "device:B", "target:B", "speed:i?", "on-source-error:s?", "on-target-error:s?"]);
    assert.ok(backup.args.every((arg) => arg.source === "args_type"));
    assert.deepEqual(
      backup.doc?.arguments?.items.map((item) => [item.name, item.type, item.optional]),
      [
        ["device", "json-string", false],
        ["target", "json-string", false],
        ["sync", "MirrorSyncMode", false],
        ["speed", "json-int", true],
        ["on-source-error", "BlockdevOnError", true],
        ["on-target-error", "BlockdevOnError", true],
      ],
    );
    // Each argument is linked to its item, continuation lines joined into the text.
    assert.equal(backup.args.find((arg) => arg.name === "device")?.doc?.text, "the name of the device which should be copied.");
  });

  test("the golden fixture is that entry and block, and parses to the same command", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const fixture = readFileSync(join(repoRoot, "test", "fixtures", "blockdev-backup.hx"), "utf8");
    const body = fixture.slice(fixture.indexOf("    {"));
    assert.ok(corpusText(corpus, entry(corpus, "24")).includes(body), "the fixture's entry and SQMP block are in file 24 byte for byte");
    const fromFixture = command(parseSchema(fixture, { file: "fixture" }).schema, "blockdev-backup");
    const fromCorpus = command(parseCorpusFile(corpus, entry(corpus, "24")).schema, "blockdev-backup");
    // Locations differ (file, line); everything else must not.
    const strip = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, inner: unknown) => (key === "location" ? undefined : inner)));
    assert.deepEqual(strip(fromFixture), strip(fromCorpus));
  });
});

describe("doc structure on real commands", () => {
  function items(paragraphs: readonly Paragraph[]): DocItem[] {
    return paragraphs.flatMap((paragraph) => (paragraph.kind === "list" ? paragraph.items : []));
  }
  function child(item: DocItem | undefined, name: string): DocItem {
    const found = item?.children.find((candidate) => candidate.name === name);
    assert.ok(found, `no nested item '${name}' under '${item?.name ?? "?"}'`);
    return found;
  }

  test("query-version (2.7): Returns with a nested object", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const doc = command(parseCorpusFile(corpus, entry(corpus, "33")).schema, "query-version").doc;
    const returned = items(doc?.returns?.paragraphs ?? []);
    assert.deepEqual(returned.map((item) => item.name), ["qemu", "package"]);
    assert.deepEqual(returned[0]?.children.map((item) => [item.name, item.type]), [
      ["major", "json-int"],
      ["minor", "json-int"],
      ["micro", "json-int"],
    ]);
    assert.equal(doc?.arguments, undefined);
  });

  test("query-block (2.7): members nest four levels deep, annotations and continuations kept", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const doc = command(parseCorpusFile(corpus, entry(corpus, "33")).schema, "query-block").doc;
    assert.ok(doc);
    const members = items([...doc.description, ...(doc.returns?.paragraphs ?? [])]);
    const inserted = members.find((item) => item.name === "inserted");
    const image = child(inserted, "image");
    const snapshots = child(image, "snapshots");
    assert.deepEqual(child(snapshots, "vm-clock-nsec").type, "json-int");
    assert.equal(child(image, "backing_file").optional, true);
    assert.equal(child(image, "backing_file").text, "backing file name, not present means no backing file is used or the image format does not support backing file chain");
    // Remarks below an item are unnamed children, not members.
    assert.deepEqual(
      members.find((item) => item.name === "type")?.children.map((item) => [item.name, item.text]),
      [
        [undefined, "deprecated, retained for backward compatibility"],
        [undefined, 'Possible values: "unknown"'],
      ],
    );
    assert.deepEqual(members.map((item) => item.name), ["device", "type", "removable", "locked", "tray_open", "inserted", "io-status"]);
  });

  test(
    "query-block (2.7): its member list is the Returns section ('Each block device ... json-object')",
    (t) => {
      const corpus = requireCorpus(t);
      if (!corpus) return;
      const doc = command(parseCorpusFile(corpus, entry(corpus, "33")).schema, "query-block").doc;
      assert.ok(items(doc?.returns?.paragraphs ?? []).some((item) => item.name === "inserted"));
    },
  );

  test("add-fd (2.7): 'Return a json-object ...' after the Arguments list starts Returns", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const doc = command(parseCorpusFile(corpus, entry(corpus, "33")).schema, "add-fd").doc;
    assert.deepEqual(doc?.arguments?.items.map((item) => item.name), ["fdset-id", "opaque"]);
    assert.deepEqual(items(doc?.returns?.paragraphs ?? []).map((item) => item.name), ["fdset-id", "fd"]);
  });

  test("query-migrate (2.7): one Examples section with six scenarios, twelve messages, all JSON", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const doc = command(parseCorpusFile(corpus, entry(corpus, "33")).schema, "query-migrate").doc;
    assert.equal(doc?.examples.length, 1);
    const parts = doc?.examples[0]?.parts ?? [];
    const messages = parts.flatMap((part) => (part.kind === "message" ? [part.message] : []));
    assert.equal(messages.length, 12);
    assert.deepEqual(messages.map((message) => message.direction), Array.from({ length: 6 }, () => ["->", "<-"]).flat());
    assert.ok(messages.every((message) => message.json !== undefined));
    assert.deepEqual(
      parts.flatMap((part) => (part.kind === "text" ? [part.text.split(" ")[0]] : [])),
      ["1.", "2.", "3.", "4.", "5.", "6."],
    );
    // A multi-line reply keeps its lines and parses as a whole.
    const completed = messages[3];
    assert.ok(completed && completed.text.split("\n").length > 10);
    assert.deepEqual((completed.json as { return: { status: string } }).return.status, "completed");
    assert.equal(completed.location.line, 3606);
  });

  test("a non-ASCII character (a no-break space) stays in doc text and does not break item names", () => {
    // The README mentions a no-break space in some docs of the wider collection; none of the
    // 18 files here has a byte above 0x7f, so it is put into a real doc block (24's).
    const block = "SQMP\nblockdev-backup\n---------------\n\nThe device version of drive-backup:\u00a0this command takes an existing named device\nas backup target.\n\nArguments:\n\n- \"speed\":\u00a0the maximum speed (json-int, optional)\n\nEQMP\n";
    const text = `    {\n        .name       = "blockdev-backup",\n        .args_type  = "speed:i?",\n    },\n\n${block}`;
    const { schema } = parseSchema(text, { file: "nbsp.hx" });
    const doc = command(schema, "blockdev-backup").doc;
    const [paragraph] = doc?.description ?? [];
    assert.equal(paragraph?.kind === "text" ? paragraph.text.split("\n")[0] : undefined, "The device version of drive-backup:\u00a0this command takes an existing named device");
    const [speed] = doc?.arguments?.items ?? [];
    assert.deepEqual([speed?.name, speed?.text, speed?.type, speed?.optional], ["speed", "the maximum speed", "json-int", true]);
  });
});

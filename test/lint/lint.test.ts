// The linter: each rule on small inline .hx snippets (one finding where the snippet has the
// defect, none where it does not), options, ordering, output formats, exit codes, the CLI
// command, and a run over the real corpus that prints how often each rule fires.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { lintCommand } from "../../src/cli/lint.js";
import {
  exitCodeFor,
  formatFindings,
  lint,
  LintConfigError,
  lintRules,
  parseRuleOption,
  ruleInfo,
  summaryLine,
  type FailOn,
  type Finding,
  type LintOptions,
} from "../../src/compare/lint/index.js";
import type { BuildResult } from "../../src/frontend/hx/build.js";
import { parseSchema } from "../../src/frontend/hx/schema.js";
import { isBroken, parseCorpusFile, repoRoot, requireCorpus } from "../corpus/corpus.js";

// ---------------------------------------------------------------------------------------
// Snippets

function entry(name: string, argsType: string | undefined): string {
  const args = argsType === undefined ? "" : `        .args_type  = "${argsType}",\n`;
  return `    {\n        .name       = "${name}",\n${args}        .mhandler.cmd_new = qmp_marshal_input_x,\n    },\n\n`;
}

function doc(title: string, body: string, underline = "-".repeat(title.length)): string {
  return `SQMP\n${title}\n${underline}\n\n${body}\nEQMP\n\n`;
}

/** A command with its doc, the way most of qmp-commands.hx is written. */
function documented(name: string, argsType: string, body: string): string {
  return entry(name, argsType) + doc(name, body);
}

function build(text: string): BuildResult {
  return parseSchema(text, { file: "t.hx" });
}

function lintText(text: string, options?: LintOptions): Finding[] {
  return lint(build(text), options);
}

function only(findings: readonly Finding[], rule: string): Finding[] {
  return findings.filter((finding) => finding.rule === rule);
}

/** line:column of the `occurrence`-th `needle` in `text`, counted independently of the parser. */
function at(text: string, needle: string, occurrence = 1): string {
  let index = -1;
  for (let seen = 0; seen < occurrence; seen++) {
    index = text.indexOf(needle, index + 1);
    assert.notEqual(index, -1, `'${needle}' #${occurrence} not in the snippet`);
  }
  const before = text.slice(0, index).split("\n");
  return `${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

function where(finding: Finding | undefined): string {
  return finding ? `${finding.location.line}:${finding.location.column}` : "none";
}

/** [rule, severity, line:column] of every finding: compact to compare. */
function summary(findings: readonly Finding[]): string[][] {
  return findings.map((finding) => [finding.rule, finding.severity, where(finding)]);
}

const cleanBody = `Do it.

Arguments:

- "device": the device (json-string)
- "speed": the speed (json-int, optional)

Example:

-> { "execute": "x", "arguments": { "device": "ide0" } }
<- { "return": {} }
`;

// ---------------------------------------------------------------------------------------

describe("a clean command", () => {
  test("has no findings", () => {
    assert.deepEqual(lintText(documented("x", "device:B,speed:i?", cleanBody)), []);
  });

  test("the golden fixture (blockdev-backup) has no findings", () => {
    const text = readFileSync(join(repoRoot, "test", "fixtures", "blockdev-backup.hx"), "utf8");
    assert.deepEqual(lintText(text), []);
  });
});

describe("doc-missing-argument", () => {
  test("an args_type argument the Arguments list lacks, located at the argument in args_type", () => {
    const text = documented("x", "device:B,speed:i?,force:-f", cleanBody);
    const findings = only(lintText(text), "doc-missing-argument");
    assert.deepEqual(summary(findings), [["doc-missing-argument", "error", at(text, "force:-f")]]);
    assert.match(findings[0]?.message ?? "", /'force'.*'force:-f'.*not in the doc's Arguments list/);
  });

  test("a doc without an Arguments section misses every argument", () => {
    const text = documented("x", "a:s,b:i", "Do it.\n");
    const findings = only(lintText(text), "doc-missing-argument");
    assert.deepEqual(findings.map(where), [at(text, "a:s"), at(text, "b:i")]);
    assert.match(findings[0]?.message ?? "", /no Arguments section/);
  });

  test('"Arguments: None." with arguments in args_type is one finding at the heading', () => {
    const text = documented("x", "a:s,b:i?", "Do it.\n\nArguments: None.\n");
    const findings = only(lintText(text), "doc-missing-argument");
    assert.deepEqual(findings.map(where), [at(text, "Arguments: None.")]);
    assert.match(findings[0]?.message ?? "", /Arguments: None\..*'a:s', 'b:i\?'/);
  });

  test('no finding for "Arguments: None." without arguments, nor for an O argument\'s own name', () => {
    assert.deepEqual(lintText(documented("x", "", "Do it.\n\nArguments: None.\n")), []);
    const properties = documented("device_add", "device:O", 'Add a device.\n\nArguments:\n\n- "driver": the driver (json-string)\n');
    assert.deepEqual(only(lintText(properties), "doc-missing-argument"), []);
  });

  test("a command without a doc is missing-doc, not a missing argument per argument", () => {
    const findings = lintText(entry("x", "a:s,b:s"));
    assert.deepEqual(findings.map((finding) => finding.rule), ["missing-doc"]);
  });
});

describe("doc-unknown-argument", () => {
  test("a documented argument args_type lacks, located at the item", () => {
    const body = cleanBody.replace('- "speed"', '- "spede"');
    const text = documented("x", "device:B,speed:i?", body);
    const findings = lintText(text);
    assert.deepEqual(summary(only(findings, "doc-unknown-argument")), [["doc-unknown-argument", "error", at(text, '- "spede"')]]);
    // The misspelling also leaves `speed` undocumented.
    assert.equal(only(findings, "doc-missing-argument").length, 1);
  });

  test("an O command's documented keys are its properties, not unknown arguments", () => {
    const body = 'Add a netdev.\n\nArguments:\n\n- "type": the type (json-string)\n- "id": the id (json-string)\n\nExample:\n\n-> { "execute": "netdev_add", "arguments": { "type": "user", "id": "n1", "dnssearch": "x" } }\n<- { "return": {} }\n';
    assert.deepEqual(lintText(documented("netdev_add", "netdev:O", body)), []);
  });

  test("unnamed items (remarks in a list) are not arguments", () => {
    const body = 'Do it.\n\nArguments:\n\n- "a": the a (json-string)\n- either one or the other\n';
    assert.deepEqual(lintText(documented("x", "a:s", body)), []);
  });
});

describe("optional-mismatch", () => {
  test("optional in args_type, not in the doc; and the reverse", () => {
    const body = 'Do it.\n\nArguments:\n\n- "a": the a (json-string)\n- "b": the b (json-int, optional)\n';
    const text = documented("x", "a:s?,b:i", body);
    const findings = only(lintText(text), "optional-mismatch");
    assert.deepEqual(findings.map(where), [at(text, '- "a"'), at(text, '- "b"')]);
    assert.match(findings[0]?.message ?? "", /'a' of 'x' is optional in args_type \('a:s\?'\) but the doc does not mark it optional$/);
    assert.match(findings[1]?.message ?? "", /the doc marks 'b' of 'x' optional but args_type requires it \('b:i'\)/);
  });

  test("a -x flag is optional; a documented default counts as optional", () => {
    const good = 'Do it.\n\nArguments:\n\n- "force": force it (json-bool, optional)\n- "size": the size (json-int, default 10M)\n';
    assert.deepEqual(lintText(documented("x", "force:-f,size:i?", good)), []);
    const bad = 'Do it.\n\nArguments:\n\n- "force": force it (json-bool)\n- "size": the size (json-int, default 10M)\n';
    assert.deepEqual(only(lintText(documented("x", "force:-f,size:i?", bad)), "optional-mismatch").length, 1);
  });

  test("says so when the text mentions optional outside an annotation", () => {
    const body = 'Do it.\n\nArguments:\n\n- "begin": the start. It\'s optional (json-int)\n';
    const [finding] = only(lintText(documented("x", "begin:i?", body)), "optional-mismatch");
    assert.match(finding?.message ?? "", /its text says optional/);
  });
});

describe("type-mismatch", () => {
  test("json-int for a string code, json-number for an integer code", () => {
    const body = 'Do it.\n\nArguments:\n\n- "a": the a (json-int)\n- "b": the b (json-number)\n';
    const text = documented("x", "a:s,b:i", body);
    const findings = only(lintText(text), "type-mismatch");
    assert.deepEqual(summary(findings), [
      ["type-mismatch", "error", at(text, '- "a"')],
      ["type-mismatch", "error", at(text, '- "b"')],
    ]);
    assert.match(findings[0]?.message ?? "", /as json-int but args_type code 's' means json-string/);
  });

  test("agreements: QAPI type names, an integer where a number goes, json-bool for a flag, anything for q", () => {
    const body =
      'Do it.\n\nArguments:\n\n- "mode": the mode (NewImageMode)\n- "t": a time (json-int)\n- "f": force (json-bool, optional)\n- "v": a value (json-string)\n- "n": a node (json-string)\n';
    assert.deepEqual(lintText(documented("x", "mode:s,t:T,f:-f,v:q,n:B", body)), []);
  });
});

describe("examples", () => {
  test("example-rejected: missing, unknown and mistyped arguments, one finding per message", () => {
    const body = `Do it.

Arguments:

- "device": the device (json-string)
- "speed": the speed (json-int, optional)

Example:

-> { "execute": "x", "arguments": { "speed": "fast", "colour": "red" } }
<- { "return": {} }
-> { "execute": "x", "arguments": { "device": "ide0", "speed": 5 } }
<- { "return": {} }
`;
    const text = documented("x", "device:B,speed:i?", body);
    const findings = only(lintText(text), "example-rejected");
    assert.deepEqual(summary(findings), [["example-rejected", "error", at(text, "-> {")]]);
    assert.equal(
      findings[0]?.message,
      "QEMU would reject this example of 'x': Parameter 'device' is missing; Invalid parameter 'colour'; Invalid parameter type for 'speed', expected: int", // QEMU's hash order: colour (bucket 100) before speed (259)
    );
  });

  test("example-other-command: a message executing another command is a warning, and is not validated against this one", () => {
    const body = cleanBody.replace('-> { "execute": "x"', '-> { "execute": "blockdev-add", "arguments": { "options": {} } }\n<- { "return": {} }\n-> { "execute": "x"');
    const text = documented("x", "device:B,speed:i?", body);
    assert.deepEqual(summary(lintText(text)), [["example-other-command", "warning", at(text, '-> { "execute": "blockdev-add"')]]);
  });

  test("example-invalid-json: a message that is not JSON, in either direction", () => {
    const body = cleanBody.replace('<- { "return": {} }', '<- { "return": [ ... ] }');
    const text = documented("x", "device:B,speed:i?", body);
    const findings = lintText(text);
    assert.deepEqual(summary(findings), [["example-invalid-json", "warning", at(text, "<- {")]]);
    assert.match(findings[0]?.message ?? "", /is not valid JSON: <- \{ "return": \[ \.\.\. \] \}$/);
  });

  test("in docs/qmp-commands.txt an example is checked against the Arguments its own doc lists", () => {
    const text = `x\n-\n\nDo it.\n\nArguments:\n\n- "device": the device (json-string)\n\nExample:\n\n-> { "execute": "x", "arguments": { "dev": "ide0" } }\n<- { "return": {} }\n`;
    const findings = lint(parseSchema(text, { file: "qmp-commands.txt" }));
    assert.deepEqual(summary(findings), [["example-rejected", "error", at(text, "-> {")]]);
    assert.equal(findings[0]?.message, "its documented Arguments reject this example of 'x': Parameter 'device' is missing; Invalid parameter 'dev'");
  });

  test("a doc-only command (0.14 query commands) has no args_type to check examples against", () => {
    const text = entry("x", "") + doc("query-x", 'Query.\n\nExample:\n\n-> { "execute": "query-x", "arguments": { "any": 1 } }\n<- { "return": {} }\n');
    const findings = lintText(text);
    assert.deepEqual(findings.map((finding) => finding.rule), ["missing-doc", "doc-without-entry"]);
  });
});

describe("duplicate-command", () => {
  test("two unconditional entries with one name: an error at the second, naming the first", () => {
    const text = entry("x", "") + entry("x", "a:s");
    const findings = only(lintText(text), "duplicate-command");
    assert.deepEqual(summary(findings), [["duplicate-command", "error", at(text, "{\n        .name", 2)]]);
    assert.match(findings[0]?.message ?? "", /'x' is already in the table at t\.hx:1:5 \(no #if\); this entry is under no #if: both can be compiled in/);
  });

  test("under #ifdef / #else, or two different #if blocks: info; under #if and unconditional: error", () => {
    const branches = `#ifdef TARGET_I386\n${entry("x", "")}#else\n${entry("x", "a:s")}#endif\n`;
    assert.deepEqual(only(lintText(branches), "duplicate-command").map((finding) => finding.severity), ["info"]);
    const targets = `#if defined TARGET_I386\n${entry("x", "")}#endif\n#if defined TARGET_ARM\n${entry("x", "")}#endif\n`;
    const [info] = only(lintText(targets), "duplicate-command");
    assert.equal(info?.severity, "info");
    assert.match(info?.message ?? "", /\(#if defined TARGET_I386\); this entry is under #if defined TARGET_ARM: different conditions/);
    const mixed = `#if defined TARGET_I386\n${entry("x", "")}#endif\n${entry("x", "")}`;
    assert.deepEqual(only(lintText(mixed), "duplicate-command").map((finding) => finding.severity), ["error"]);
    // Nested under the first one's condition: both exist when both conditions hold.
    const nested = `#ifdef A\n${entry("x", "")}#ifdef B\n${entry("x", "")}#endif\n#endif\n`;
    assert.deepEqual(only(lintText(nested), "duplicate-command").map((finding) => finding.severity), ["error"]);
  });
});

describe("docs that are missing, stray or incomplete", () => {
  test("missing-doc: at the entry's brace", () => {
    const text = documented("x", "", "Do it.\n") + entry("y", "");
    assert.deepEqual(summary(lintText(text)), [["missing-doc", "warning", at(text, "{\n        .name", 2)]]);
  });

  test("doc-without-entry: a documented command that the table lacks, at its title", () => {
    const text = documented("x", "", "Do it.\n") + doc("query-y", 'Query.\n\nExample:\n\n-> { "execute": "query-y" }\n<- { "return": {} }\n');
    assert.deepEqual(summary(lintText(text)), [["doc-without-entry", "warning", at(text, "query-y\n")]]);
  });

  test("placeholder-doc: SQMP / foo / EQMP", () => {
    const text = `${entry("x", "")}SQMP\nfoo\nEQMP\n`;
    const findings = lintText(text);
    assert.deepEqual(summary(findings), [
      ["missing-doc", "warning", "1:5"],
      ["placeholder-doc", "warning", at(text, "foo")],
    ]);
  });

  test("unterminated-doc: the last SQMP block without EQMP", () => {
    const text = `${entry("x", "")}SQMP\nx\n-\n\nDo it.\n`;
    assert.deepEqual(summary(lintText(text)), [["unterminated-doc", "warning", at(text, "x\n-")]]);
  });
});

describe("cosmetics", () => {
  test("title-underline-length: at the underline, saying both lengths", () => {
    const text = entry("query-x", "") + doc("query-x", "Query.\n", "----------");
    const findings = lintText(text);
    assert.deepEqual(summary(findings), [["title-underline-length", "info", at(text, "----------")]]);
    assert.equal(findings[0]?.message, "underline of 'query-x' is 10 characters long, the title 7");
  });

  test("title-not-command-name: a sentence, an @name, another name", () => {
    const example = (name: string): string => `Show it.\n\nExample:\n\n-> { "execute": "${name}" }\n<- { "return": {} }\n`;
    const text =
      entry("query-rocker", "") + doc("Show rocker switch", example("query-rocker")) +
      entry("query-nodes", "") + doc("@query-nodes", example("query-nodes")) +
      entry("dump-guest-memory", "") + doc("dump", example("dump-guest-memory"));
    const findings = lintText(text);
    assert.deepEqual(summary(findings), [
      ["title-not-command-name", "info", at(text, "Show rocker switch")],
      ["title-not-command-name", "info", at(text, "@query-nodes")],
      ["title-not-command-name", "info", at(text, "dump\n")],
    ]);
    assert.deepEqual(findings.map((finding) => finding.message), [
      "doc title 'Show rocker switch' is a sentence, not the command name 'query-rocker'",
      "doc title '@query-nodes' of 'query-nodes' has a leading '@'",
      "doc title 'dump' is not the command name 'dump-guest-memory'",
    ]);
  });
});

describe("the builder's notices", () => {
  const text = `#define X 1\n${documented("x", "a:s,a:i", 'Do it.\n\nArguments:\n\n- "a": the a (json-int)\n')}`;

  test("are included in file order with the builder's severities", () => {
    assert.deepEqual(summary(lintText(text)), [
      ["ignored-directive", "info", "1:1"],
      ["duplicate-argument", "error", at(text, "a:i")],
    ]);
  });

  test("can be turned off or given another severity like any rule", () => {
    assert.deepEqual(summary(lintText(text, { rules: { "ignored-directive": "off", "duplicate-argument": "warning" } })), [
      ["duplicate-argument", "warning", at(text, "a:i")],
    ]);
  });

  test("every rule id the builder reports is in the rule catalog", () => {
    // Read from the source: a new notice in build.ts must be listed to be configurable.
    const source = readFileSync(join(repoRoot, "src", "frontend", "hx", "build.ts"), "utf8");
    const ids = [...source.matchAll(/rule: "([a-z-]+)"/g)].map((match) => match[1] ?? "");
    assert.ok(ids.length >= 4);
    for (const id of ids) assert.equal(ruleInfo(id)?.reportedBy, "builder", id);
  });
});

describe("options", () => {
  const text = documented("x", "a:s?", 'Do it.\n\nArguments:\n\n- "a": the a (json-int)\n') + entry("y", "");

  test("a severity per rule, or off", () => {
    assert.deepEqual(summary(lintText(text)).map(([rule, severity]) => `${rule}=${severity}`), [
      "optional-mismatch=error",
      "type-mismatch=error",
      "missing-doc=warning",
    ]);
    const options: LintOptions = { rules: { "optional-mismatch": "info", "type-mismatch": "off", "missing-doc": "error" } };
    assert.deepEqual(summary(lintText(text, options)).map(([rule, severity]) => `${rule}=${severity}`), ["optional-mismatch=info", "missing-doc=error"]);
  });

  test("an override also applies to duplicate-command's info variant", () => {
    const branches = `#ifdef A\n${entry("x", "")}#else\n${entry("x", "")}#endif\n`;
    assert.deepEqual(only(lintText(branches, { rules: { "duplicate-command": "error" } }), "duplicate-command").map((finding) => finding.severity), ["error"]);
  });

  test("an unknown rule id or setting is a LintConfigError, not silently ignored", () => {
    assert.throws(() => lintText(text, { rules: { "missing-docs": "off" } }), (error: unknown) => error instanceof LintConfigError && /unknown lint rule 'missing-docs'/.test(error.message));
    const bad = JSON.parse('{ "rules": { "missing-doc": "fatal" } }') as LintOptions;
    assert.throws(() => lintText(text, bad), LintConfigError);
  });

  test("parseRuleOption reads --rule id=severity", () => {
    assert.deepEqual(parseRuleOption("missing-doc=off"), ["missing-doc", "off"]);
    assert.deepEqual(parseRuleOption("type-mismatch=warning"), ["type-mismatch", "warning"]);
    assert.throws(() => parseRuleOption("missing-doc"), LintConfigError);
    assert.throws(() => parseRuleOption("missing-doc=fatal"), LintConfigError);
    assert.throws(() => parseRuleOption("nope=error"), LintConfigError);
  });

  test("rule ids are unique and their defaults follow the severity policy", () => {
    assert.equal(new Set(lintRules.map((rule) => rule.id)).size, lintRules.length);
    const errors = ["doc-missing-argument", "doc-unknown-argument", "optional-mismatch", "type-mismatch", "example-rejected", "duplicate-command"];
    for (const id of errors) assert.equal(ruleInfo(id)?.severity, "error", id);
    for (const id of ["missing-doc", "placeholder-doc", "example-other-command"]) assert.equal(ruleInfo(id)?.severity, "warning", id);
    for (const id of ["title-underline-length", "title-not-command-name"]) assert.equal(ruleInfo(id)?.severity, "info", id);
  });
});

describe("ordering and purity", () => {
  const text =
    entry("b", "z:s") + doc("b", "Do it.\n", "--") + // underline, missing argument
    entry("a", "") + // missing doc
    `SQMP\nfoo\nEQMP\n`;

  test("findings come in file order, ties broken by the rule catalog's order", () => {
    const findings = lintText(text);
    const positions = findings.map((finding) => [finding.location.line, finding.location.column]);
    const sorted = [...positions].sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0) || (x[1] ?? 0) - (y[1] ?? 0));
    assert.deepEqual(positions, sorted);
    assert.deepEqual(findings.map((finding) => finding.rule), ["doc-missing-argument", "title-underline-length", "missing-doc", "placeholder-doc"]);
    const twoAtOnePlace = lintText(documented("x", "a:s?", 'Do it.\n\nArguments:\n\n- "a": the a (json-int)\n'));
    assert.deepEqual(twoAtOnePlace.map((finding) => finding.rule), ["optional-mismatch", "type-mismatch"]);
  });

  test("the same input gives the same findings, and the model is not changed", () => {
    const result = build(text);
    const before = JSON.stringify(result);
    assert.deepEqual(lint(result), lint(result));
    assert.equal(JSON.stringify(result), before);
  });
});

describe("formatFindings, exitCodeFor", () => {
  const location = { file: "q.hx", line: 3, column: 7 };
  const findings: Finding[] = [
    { rule: "type-mismatch", severity: "error", message: "bad type", location },
    { rule: "missing-doc", severity: "warning", message: "no doc", location: { ...location, line: 9, column: 5 } },
    { rule: "title-underline-length", severity: "info", message: "short underline", location: { ...location, line: 12, column: 1 } },
  ];

  test("text: one line per finding and a summary", () => {
    assert.equal(
      formatFindings(findings, "text"),
      "q.hx:3:7: error: bad type [type-mismatch]\nq.hx:9:5: warning: no doc [missing-doc]\nq.hx:12:1: info: short underline [title-underline-length]\n1 error, 1 warning, 1 info\n",
    );
    assert.equal(formatFindings([], "text"), "no findings\n");
    assert.equal(summaryLine([...findings, ...findings]), "2 errors, 2 warnings, 2 info");
  });

  test("json: an array of objects with keys always in one order", () => {
    const rows = JSON.parse(formatFindings(findings, "json")) as Record<string, unknown>[];
    assert.equal(rows.length, 3);
    for (const row of rows) assert.deepEqual(Object.keys(row), ["file", "line", "column", "severity", "rule", "message"]);
    assert.deepEqual(rows[1], { file: "q.hx", line: 9, column: 5, severity: "warning", rule: "missing-doc", message: "no doc" });
    assert.equal(formatFindings([], "json"), "[]\n");
  });

  test("exitCodeFor: 1 when a finding is at least as severe as --fail-on", () => {
    const infoOnly = findings.slice(2);
    const warningAndInfo = findings.slice(1);
    const table: [Finding[], FailOn, 0 | 1][] = [
      [findings, "error", 1],
      [warningAndInfo, "error", 0],
      [warningAndInfo, "warning", 1],
      [infoOnly, "warning", 0],
      [infoOnly, "info", 1],
      [[], "info", 0],
      [findings, "never", 0],
    ];
    for (const [input, failOn, expected] of table) {
      assert.equal(exitCodeFor(input, failOn), expected, `${input.length} findings, --fail-on ${failOn}`);
    }
  });
});

describe("qmp-hx lint", () => {
  async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await lintCommand.run(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    return { code, stdout, stderr };
  }

  test("prints findings, exits by --fail-on, takes --rule and --format json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "qmp-hx-lint-"));
    try {
      const file = join(dir, "t.hx");
      writeFileSync(file, entry("x", "a:s") + entry("y", ""));
      const text = await run([file]);
      assert.equal(text.code, 0, "warnings only: --fail-on error passes");
      assert.equal(text.stdout, `${file}:1:5: warning: 'x' has a table entry but no SQMP doc block [missing-doc]\n${file}:7:5: warning: 'y' has a table entry but no SQMP doc block [missing-doc]\n0 errors, 2 warnings, 0 info\n`);
      assert.equal((await run([file, "--fail-on", "warning"])).code, 1);
      assert.equal((await run([file, "--fail-on", "warning", "--rule", "missing-doc=info"])).code, 0);
      const json = await run([file, "--format", "json", "--rule", "missing-doc=off"]);
      assert.equal(json.stdout, "[]\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("usage mistakes exit 2 with a message; bad input exits 1 with a located error", async () => {
    const fixture = join(repoRoot, "test", "fixtures", "blockdev-backup.hx");
    for (const argv of [[fixture, "--rule", "nope=error"], [fixture, "--fail-on", "sometimes"], [fixture, "--format", "xml"], []]) {
      const result = await run(argv);
      assert.equal(result.code, 2, argv.join(" "));
      assert.match(result.stderr, /^qmp-hx lint: /);
    }
    const dir = mkdtempSync(join(tmpdir(), "qmp-hx-lint-"));
    try {
      const file = join(dir, "broken.hx");
      writeFileSync(file, '    {\n        .name = "x,\n    },\n');
      const broken = await run([file]);
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:17: unterminated string literal`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------
// The corpus

describe("lint over the corpus", () => {
  test("every file lints; findings are in order, inside the file and of known rules; counts per rule", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const perRule = new Map<string, { total: number; files: Set<string> }>(lintRules.map((rule) => [rule.id, { total: 0, files: new Set<string>() }]));
    const byFile = new Map<string, Finding[]>();
    for (const file of corpus.manifest) {
      if (isBroken(file)) continue;
      const result = parseCorpusFile(corpus, file);
      const findings = lint(result);
      byFile.set(file.file.replace(/^hx\/(\d+)-.*$/, "$1"), findings);
      assert.deepEqual(lint(result), findings, `${file.file}: deterministic`);
      let previous = 0;
      for (const finding of findings) {
        assert.equal(finding.location.file, file.file);
        assert.ok(finding.location.line >= 1 && finding.location.line <= file.lines + 1, `${file.file}: line ${finding.location.line}`);
        const position = finding.location.line * 1e4 + finding.location.column;
        assert.ok(position >= previous, `${file.file}: findings out of order at ${finding.location.line}`);
        previous = position;
        const counts = perRule.get(finding.rule);
        assert.ok(counts, `unknown rule ${finding.rule}`);
        counts.total++;
        counts.files.add(file.file);
      }
    }
    const rows = lintRules.map((rule) => {
      const counts = perRule.get(rule.id);
      return `${rule.id.padEnd(24)} ${rule.severity.padEnd(8)} ${String(counts?.total ?? 0).padStart(6)} ${String(counts?.files.size ?? 0).padStart(6)}`;
    });
    const total = [...perRule.values()].reduce((sum, counts) => sum + counts.total, 0);
    console.log(
      [`lint findings over ${byFile.size} corpus files`, `${"rule".padEnd(24)} ${"default".padEnd(8)} ${"count".padStart(6)} ${"files".padStart(6)}`, ...rows, `${"total".padEnd(33)} ${String(total).padStart(6)}`].join("\n"),
    );
    console.log(`per file: ${[...byFile].map(([number, findings]) => `${number}:${summaryLine(findings).replace(/ errors?| warnings?| info/g, "").replace(/, /g, "/")}`).join(" ")} (error/warning/info)`);
  });

  test("known defects of the real files are found", (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const findingsOf = (number: string): Finding[] => {
      const file = corpus.manifest.find((candidate) => candidate.file.startsWith(`hx/${number}-`));
      assert.ok(file);
      return lint(parseCorpusFile(corpus, file));
    };
    const has = (findings: readonly Finding[], rule: string, line: number, pattern: RegExp): void => {
      const found = findings.find((finding) => finding.rule === rule && finding.location.line === line);
      assert.ok(found, `no ${rule} at line ${line}: ${JSON.stringify(only(findings, rule).map(where))}`);
      assert.match(found.message, pattern);
    };
    // 08 documents the PANDA record/replay commands with SQMP / foo / EQMP.
    assert.deepEqual(only(findingsOf("08"), "placeholder-doc").map((finding) => finding.location.line), [2006, 2015, 2024, 2034, 2044]);
    // 1.1: block_set_io_throttle's example passes integers as strings.
    has(findingsOf("09"), "example-rejected", 942, /Invalid parameter type for 'bps', expected: int/);
    // 0.14: `(josn-string, optional)`: the typo hides the type, not that "connected" is optional.
    assert.ok(!only(findingsOf("03"), "optional-mismatch").some((finding) => finding.location.line === 822));
    // COLO: the period is an integer, the example sends "1000".
    has(findingsOf("26"), "example-rejected", 819, /'colo-set-checkpoint-period'.*expected: int/);
    // 2.7: "enable": "true" is a string.
    const v27 = findingsOf("33");
    has(v27, "example-rejected", 4779, /'trace-event-set-state': Invalid parameter type for 'enable', expected: bool/);
    has(v27, "doc-missing-argument", 3806, /'compress-level' of 'migrate-set-parameters'/);
    has(v27, "title-not-command-name", 4882, /'Show rocker switch' is a sentence/);
    // From 2.3 on the last block is never closed.
    for (const number of ["26", "28", "29", "33", "35"]) assert.equal(only(findingsOf(number), "unterminated-doc").length, 1, number);
    for (const number of ["03", "06", "24", "32"]) assert.equal(only(findingsOf(number), "unterminated-doc").length, 0, number);
    // No file has two entries with one name; 0.14 has its 16 query commands only in docs.
    assert.equal(only(findingsOf("03"), "doc-without-entry").length, 16);
  });
});

// `qmp-hx drift` against real QEMUs: 2.7.0 and 1.1.0 with their own .hx files (no command
// drift; 2.7.0's introspection shows the known table/QAPI disagreements), and Debian's 7.2 with
// the last .hx, checked against query-commands read here and the table scanned independently.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runCli } from "../helpers.js";
import { corpusText, entry, requireCorpus, scanTable, type Corpus } from "../corpus/corpus.js";
import { requireQemu, requireRelease, withQemu } from "./qemu.js";

const x86 = ["-D", "TARGET_I386", "-U", "TARGET_S390X", "-U", "TARGET_ARM", "-U", "CONFIG_SPICE"];

interface JsonChange {
  readonly level: string;
  readonly kind: string;
  readonly name: string;
  readonly argument: string | null;
  readonly message: string;
}

async function drift(socket: string, file: string, options: readonly string[] = []): Promise<{ changes: JsonChange[]; stderr: string }> {
  const result = await runCli(["drift", "--socket", socket, file, "--format", "json", "--fail-on", "never", ...options]);
  assert.equal(result.code, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as { steps: { changes: JsonChange[] }[] };
  return { changes: parsed.steps[0]?.changes ?? [], stderr: result.stderr };
}

function names(changes: readonly JsonChange[], kind: string): string[] {
  return changes.filter((change) => change.kind === kind).map((change) => change.name).sort();
}

function corpusPath(corpus: Corpus, number: string): string {
  return join(corpus.dir, entry(corpus, number).file);
}

describe("qmp-hx drift against a running QEMU", { timeout: 180_000 }, () => {
  test("2.7.0 and its own .hx: no command drift; the arguments where the table and QAPI disagree", async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus || !requireRelease(t, "2.7.0")) return;
    await withQemu({ release: "2.7.0" }, async (qemu) => {
      const { changes } = await drift(qemu.socketPath, corpusPath(corpus, "33"), x86);
      assert.deepEqual(names(changes, "command-added"), []);
      assert.deepEqual(names(changes, "command-removed"), []);
      // Arguments only: results typed from the docs differ from QAPI's in many places (the docs' limits, shown as result drift).
      const breaking = changes.filter((change) => change.level === "breaking" && change.argument !== null).map((change) => `${change.name} ${change.argument ?? ""}`);
      // netdev_add's `type` and `id` are required, as its doc and QAPI say (issue 7, item 7).
      assert.deepEqual(breaking.sort(), ["dump-guest-memory end", "input-send-event console", "memsave cpu"]);
      assert.ok(changes.some((change) => change.name === "query-status" && change.kind === "result-type"), "result drift: QAPI's RunState has values the docs do not list");
      assert.ok(changes.some((change) => change.name === "migrate-set-parameters" && change.argument === "tls-creds" && change.level === "compatible"));
      assert.match(changes.find((change) => change.name === "memsave")?.message ?? "", /calling memsave with 'cpu' through these bindings will fail on this QEMU/);
    });
  });

  test("1.1.0 (no query-qmp-schema) and its own .hx: names only, no drift", async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus || !requireRelease(t, "1.1.0")) return;
    await withQemu({ release: "1.1.0" }, async (qemu) => {
      const { changes, stderr } = await drift(qemu.socketPath, corpusPath(corpus, "09"), x86);
      assert.deepEqual(changes, []);
      assert.match(stderr, /no query-qmp-schema \(before 2\.5\): compared command names only/);
    });
  });

  test("Debian's 7.2 and the last .hx: the gone, new and changed commands", async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus || !requireQemu(t)) return;
    await withQemu({}, async (qemu) => {
      const client = await qemu.connect();
      let live: Set<string>;
      try {
        live = new Set(((await client.execute("query-commands")) as { name: string }[]).map((command) => command.name));
      } finally {
        await client.close();
      }
      // As a user would run it first: every entry of the file, no build selected.
      const { changes } = await drift(qemu.socketPath, corpusPath(corpus, "35"));
      const table = new Set(scanTable(corpusText(corpus, entry(corpus, "35"))).flatMap((scanned) => (scanned.name === undefined ? [] : [scanned.name])));
      assert.deepEqual(names(changes, "command-removed"), [...table].filter((name) => !live.has(name)).sort());
      assert.deepEqual(names(changes, "command-added"), [...live].filter((name) => !table.has(name)).sort());
      // The figures of a hand-written comparison of the same pair (issue 8).
      assert.equal(names(changes, "command-removed").length, 17);
      assert.equal(names(changes, "command-added").length, 88);
      const changedArguments = new Set(changes.filter((change) => change.kind.startsWith("argument-")).map((change) => change.name));
      // With the docs' types: enums the docs list differ from 7.2's (MirrorSyncMode), netdev_add's
      // `type`/`id` are required as in 7.2, device_add's `id` is documented required ("must be unique").
      assert.equal(changedArguments.size, 26);
      assert.ok(changes.some((change) => change.name === "query-cpus" && change.kind === "command-removed" && /calling query-cpus through these bindings will fail on this QEMU/.test(change.message)));
    });
  });
});

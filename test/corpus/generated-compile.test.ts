// Every corpus file's generated client and validators pass tsc --strict, every command gets a
// docs page whose usage snippet compiles and whose links lead somewhere; the 2.7.0 client is
// typed as issue 7 demands. One TypeScript program checks all of them at once.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { generateFiles } from "../../src/index.js";
import { brokenDocLinks, typeCheck, withTempDir, writeUsageSnippets } from "../helpers.js";
import { eventsDocumentOf, isBroken, parseCorpusFileWithEvents, requireCorpus } from "./corpus.js";

/** The 2.7.0 release: typed results, enums, structured arguments. */
const release270 = "hx/33-2.7.0-qemu_qemu-1dc33ed90b.hx";

const prelude = `import { blockdevBackup, qomList, queryStatus, transaction, type QmpEvents } from "./index.js";
import { QmpClient } from "qmp-hx-runtime";
declare const qmp: QmpClient<QmpEvents>;
export async function check(): Promise<void> {
`;

/** Calls that must compile against the 2.7.0 client. */
const accepted = `${prelude}const running: boolean = (await queryStatus(qmp)).running;
await blockdevBackup(qmp, { device: "a", target: "b", sync: "full" });
await transaction(qmp, { actions: [{ type: "blockdev-snapshot-internal-sync", data: { device: "d", name: "n" } }, { type: "abort", data: {} }] });
const anything: unknown = await qomList(qmp, { path: "/" });
const completed = await qmp.waitForEvent("BLOCK_JOB_COMPLETED", (event) => event.data.device === "drive0");
const length: number | bigint = completed.data.len;
qmp.on("BLOCK_JOB_ERROR", (event) => { const action: "ignore" | "report" | "stop" = event.data.action; void action; });
for await (const event of qmp.events({ names: ["BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED"] })) {
  if (event.event === "BLOCK_JOB_COMPLETED") { const offset: number | bigint = event.data.offset; void offset; }
}
const future = await qmp.waitForEvent("EVENT_OF_A_LATER_QEMU");
const untyped: unknown = future.data["anything"];
void [running, anything, length, untyped];
}
`;

/** Each line after the prelude must fail to compile, and nothing else. */
const rejectedLines = [
  `await blockdevBackup(qmp, { device: "a", target: "b", sync: "fulll" });`,
  `await transaction(qmp, { actions: 42 });`,
  `await transaction(qmp, { actions: [{ type: "blockdev-snapshot-internal-sync", data: { device: "d" } }] });`,
  `const notString: string = (await queryStatus(qmp)).running; void notString;`,
  `const undocumented: string = await qomList(qmp, { path: "/" }); void undocumented;`,
  `const notLength: string = (await qmp.waitForEvent("BLOCK_JOB_COMPLETED")).data.len; void notLength;`,
];

describe("generated code for every corpus file", () => {
  // Generation runs 16 times (ts-morph and prettier each time): minutes on a loaded 2-core machine.
  it("compiles under tsc --strict (with its events document, and its docs' usage snippets), with a page per command and event whose links lead somewhere; 2.7.0's types accept and reject as the issue says", { timeout: 1_200_000 }, async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    await withTempDir(async (dir) => {
      const roots: string[] = [];
      const overrides = new Map<string, string>();
      for (const file of corpus.manifest.filter((candidate) => !isBroken(candidate))) {
        const { schema } = parseCorpusFileWithEvents(corpus, file);
        if (eventsDocumentOf(corpus, file) !== undefined) assert.ok(schema.events.length > 0, `${file.file}: events from its events document`);
        const out = join(dir, file.file.replace(/[^A-Za-z0-9.-]/g, "_"));
        const files = await generateFiles(schema);
        const pages = files.filter((generated) => generated.path.startsWith("docs/") && generated.path !== "docs/index.md" && generated.path !== "docs/sources.md");
        assert.equal(pages.filter((page) => !page.path.startsWith("docs/events/")).length, schema.commands.length, `${file.file}: one page per command`);
        assert.equal(pages.filter((page) => page.path.startsWith("docs/events/")).length, schema.events.length === 0 ? 0 : schema.events.length + 1, `${file.file}: one page per event, and their index`);
        assert.ok(schema.commands.length > 0, `${file.file}: commands`);
        for (const generated of files) {
          await mkdir(dirname(join(out, generated.path)), { recursive: true });
          await writeFile(join(out, generated.path), generated.content);
        }
        roots.push(join(out, "index.ts"), ...(await writeUsageSnippets(out, files)));
        assert.deepEqual(brokenDocLinks(files), [], `${file.file}: links`);
        if (file.file === release270) {
          roots.push(join(out, "accepted.ts"), join(out, "rejected.ts"));
          overrides.set(join(out, "accepted.ts"), accepted);
          overrides.set(join(out, "rejected.ts"), prelude + rejectedLines.join("\n") + "\n}\n");
        }
      }
      assert.ok(overrides.size > 0, `${release270} is in the corpus`);
      const diagnostics = typeCheck(roots, overrides);
      const firstRejected = prelude.split("\n").length;
      const rejected = diagnostics.filter((diagnostic) => /rejected\.ts:\d+:/.test(diagnostic));
      assert.deepEqual(
        diagnostics.filter((diagnostic) => !rejected.includes(diagnostic)),
        [],
        "generated code and the accepted calls compile",
      );
      const failingLines = new Set(rejected.map((diagnostic) => Number(/rejected\.ts:(\d+):/.exec(diagnostic)?.[1])));
      assert.deepEqual([...failingLines].sort((a, b) => a - b), rejectedLines.map((_, index) => firstRejected + index), rejected.join("\n"));
    });
  });
});

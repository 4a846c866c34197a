// One cold generate in this fresh process, phase by phase on one thread, with the heap after a
// full GC and the peak RSS so far after each phase, so that memory growth shows where it comes
// from. Run with --expose-gc. Prints JSON: phase -> { heapMb, peakMb, ms }.
// Usage: node --expose-gc memory-phases.js FILE.hx OUT-DIR
const [input, out] = process.argv.slice(2);
if (input === undefined || out === undefined) throw new Error("usage: node --expose-gc memory-phases.js FILE.hx OUT-DIR");
const collect = (globalThis as { gc?: () => void }).gc;
if (collect === undefined) throw new Error("run with node --expose-gc");
const { parseFile } = await import("../src/api.js");
const { markdownPages } = await import("../src/emit/generate.js");
const { formatFiles } = await import("../src/emit/format.js");
const { emitTypeScript } = await import("../src/emit/typescript-files.js");
const { writeOutput } = await import("../src/write/writer.js");
await Promise.all([import("../src/emit/client.js"), import("../src/emit/validators.js")]); // the emitters

const phases: Record<string, { heapMb: number; peakMb: number; ms: number }> = {};
let mark = performance.now();
function phase(name: string): void {
  const ms = performance.now() - mark;
  collect?.();
  phases[name] = { heapMb: process.memoryUsage().heapUsed / 1e6, peakMb: (process.resourceUsage().maxRSS * 1024) / 1e6, ms };
  mark = performance.now();
}
phase("load");
const { schema } = await parseFile(input, { defines: new Map([["RFQDN_REDHAT", "__com.redhat_"]]) });
phase("parse");
const pages = await formatFiles(markdownPages(schema));
phase("markdown");
const typeScript = await emitTypeScript(schema, "qmp-hx-runtime");
phase("typescript");
await writeOutput(out, [...pages, ...typeScript]);
phase("write");
console.log(JSON.stringify(phases));

// One cold `generate` in this fresh process, phase by phase on one thread, so that a regression
// shows where it comes from: load (CLI modules, ts-morph, prettier when needed), parse, emit,
// format, write. Prints the phases in ms as JSON. Usage: cold-phases.js FILE.hx OUT-DIR
const start = performance.now();
const phases: Record<string, number> = {};
let mark = start;
function lap(name: string): void {
  const now = performance.now();
  phases[name] = (phases[name] ?? 0) + (now - mark);
  mark = now;
}
const [input, out] = process.argv.slice(2);
if (input === undefined || out === undefined) throw new Error("usage: cold-phases.js FILE.hx OUT-DIR");
const { parseFile } = await import("../src/api.js");
const { markdownPages } = await import("../src/emit/generate.js");
const { formatFiles } = await import("../src/emit/format.js");
const { writeOutput } = await import("../src/write/writer.js");
const { typeScriptSources } = await import("../src/emit/typescript-files.js");
await Promise.all([import("../src/emit/client.js"), import("../src/emit/validators.js")]); // ts-morph
lap("load");
const { schema } = await parseFile(input, { defines: new Map([["RFQDN_REDHAT", "__com.redhat_"]]) });
lap("parse");
const files = [...markdownPages(schema), ...(await typeScriptSources(schema, "qmp-hx-runtime"))];
lap("emit");
const formatted = await formatFiles(files);
lap("format");
await writeOutput(out, formatted);
lap("write");
phases["total"] = performance.now() - start;
console.log(JSON.stringify(phases));

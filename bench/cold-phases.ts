// One cold `generate` in this fresh process, phase by phase on one thread, so that a regression
// shows where it comes from: load (CLI modules and emitters), parse, emit (Markdown pages as
// written, TypeScript modules as ts-morph structures), format (Markdown into prettier's form,
// TypeScript printed directly in it; prettier only for what the direct printers do not handle),
// write. Prints the phases in ms as JSON, and which TypeScript modules fell back to prettier.
// Usage: cold-phases.js FILE.hx OUT-DIR [--events FILE] [--qapi FILE]
const start = performance.now();
const phases: Record<string, number> = {};
let mark = start;
function lap(name: string): void {
  const now = performance.now();
  phases[name] = (phases[name] ?? 0) + (now - mark);
  mark = now;
}
const [input, out, ...companionArgs] = process.argv.slice(2);
if (input === undefined || out === undefined) throw new Error("usage: cold-phases.js FILE.hx OUT-DIR [--events FILE] [--qapi FILE]");
const companion = (option: string): string | undefined => {
  const at = companionArgs.indexOf(option);
  return at < 0 ? undefined : companionArgs[at + 1];
};
const events = companion("--events");
const qapi = companion("--qapi");
const { parseFile } = await import("../src/api.js");
const { markdownPages } = await import("../src/emit/generate.js");
const { formatFiles } = await import("../src/emit/format.js");
const { writeOutput } = await import("../src/write/writer.js");
const { typeScriptModules, printTypeScriptModules } = await import("../src/emit/typescript-files.js");
await Promise.all([import("../src/emit/client.js"), import("../src/emit/validators.js")]);
lap("load");
const { schema } = await parseFile(input, {
  defines: new Map([["RFQDN_REDHAT", "__com.redhat_"]]),
  ...(events === undefined ? {} : { events }),
  ...(qapi === undefined ? {} : { qapi }),
});
lap("parse");
const pages = markdownPages(schema);
const modules = await typeScriptModules(schema, "qmp-hx-runtime");
lap("emit");
const fallbacks: string[] = [];
const formatted = [
  ...(await formatFiles(pages)),
  ...(await printTypeScriptModules(modules, (path, printing) => {
    if (!printing.direct) fallbacks.push(`${path}: ${printing.reason}`);
  })),
];
lap("format");
await writeOutput(out, formatted);
lap("write");
phases["total"] = performance.now() - start;
console.log(JSON.stringify({ ...phases, ...(fallbacks.length > 0 ? { fallbacks } : {}) }));

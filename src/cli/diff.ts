import { parseFile } from "../api.js";
import { diffExitCode, type DiffFailOn, type DiffReport } from "../compare/diff/change.js";
import { diffSchemas } from "../compare/diff/diff.js";
import { formatDiffReports, type DiffFormat } from "../compare/diff/format.js";
import { parseVersionOf, sideOf } from "../compare/diff/versions.js";
import { buildOptionSpecs, buildOptionsFrom, buildOptionsHelp, parseCommandLine, reportingErrors, UsageError, type CliCommand } from "./command.js";

const formats: readonly DiffFormat[] = ["text", "markdown", "json"];
const failOnValues: readonly DiffFailOn[] = ["breaking", "compatible", "docs", "never"];

/** The options `diff` and `drift` share: output format and exit status. */
export const reportOptionSpecs = {
  format: { type: "string" },
  "fail-on": { type: "string" },
} as const;

export const reportOptionsHelp = `      --format FORMAT        text (default, grouped by command), markdown (a changelog
                             section) or json (stable shape, see the README)
      --fail-on LEVEL        exit 1 when a change is at least this severe: breaking
                             (default), compatible, docs, or never`;

export function reportOptionsFrom(values: { readonly format?: string | undefined; readonly "fail-on"?: string | undefined }): { format: DiffFormat; failOn: DiffFailOn } {
  const format = values.format ?? "text";
  if (!(formats as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: expected ${formats.join(", ")}`);
  const failOn = values["fail-on"] ?? "breaking";
  if (!(failOnValues as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on ${failOn}: expected ${failOnValues.join(", ")}`);
  return { format: format as DiffFormat, failOn: failOn as DiffFailOn };
}

/** `--version-of FILE=X.Y`, repeated. */
export function versionsFrom(options: readonly string[] | undefined): Map<string, string> {
  const versions = new Map<string, string>();
  for (const option of options ?? []) {
    const parsed = parseVersionOf(option);
    if (!parsed) throw new UsageError(`--version-of ${option}: expected FILE=VERSION`);
    versions.set(parsed[0], parsed[1]);
  }
  return versions;
}

export const versionOfSpec = { "version-of": { type: "string", multiple: true } } as const;

export const versionOfHelp = `      --version-of FILE=X.Y  the QEMU version of a file (default: the first X.Y in its name,
                             e.g. 33-2.7.0-qemu.hx; reports say which); may be repeated`;

export const diffCommand: CliCommand = {
  name: "diff",
  usage: `Usage: qmp-hx diff <old> <new> [<newer> ...] [options]

Compares the models of two files (.hx or docs/qmp-commands.txt): commands added and removed,
arguments added, removed, made optional or required, args_type codes (with their wire meaning),
O, #if conditions, handlers, result and event types, and docs. Each change is breaking (a call
QEMU accepted before is rejected now, or something a client reads is gone), compatible or docs.
With more than two files (in release order), prints each step.

Options:
${reportOptionsHelp}
${versionOfHelp}
${buildOptionsHelp}
                             (-D and -U apply to every file)
  -h, --help                 show this help`,
  async run(argv, io) {
    return reportingErrors(this, io, async () => {
      const { values, positionals } = parseCommandLine(argv, { ...reportOptionSpecs, ...versionOfSpec, ...buildOptionSpecs });
      if (values.help) {
        io.stdout(this.usage + "\n");
        return 0;
      }
      if (positionals.length < 2) throw new UsageError("expected at least two files: the old one, then the new one");
      const { format, failOn } = reportOptionsFrom(values);
      const versions = versionsFrom(values["version-of"]);
      const build = buildOptionsFrom(values);
      const schemas = [];
      for (const file of positionals) schemas.push((await parseFile(file, build)).schema);
      const reports: DiffReport[] = [];
      for (let step = 1; step < schemas.length; step++) {
        const [before, after] = [schemas[step - 1], schemas[step]];
        const [oldFile, newFile] = [positionals[step - 1], positionals[step]];
        if (!before || !after || oldFile === undefined || newFile === undefined) continue;
        reports.push(diffSchemas(before, after, { old: sideOf(oldFile, versions), new: sideOf(newFile, versions) }));
      }
      io.stdout(formatDiffReports(reports, format));
      return diffExitCode(reports, failOn);
    });
  },
};

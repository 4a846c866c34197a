import { generate } from "../api.js";
import { versionOfHelp, versionOfSpec, versionsFrom } from "./diff.js";
import { parseQemuVersion } from "../runtime/arguments.js";
import { stagingName } from "../write/writer.js";
import { buildOptionSpecs, buildOptionsFrom, buildOptionsHelp, companionFilesFrom, companionOptionsHelp, companionOptionSpecs, oneInputFile, parseCommandLine, reportingErrors, UsageError, type CliCommand } from "./command.js";

export const generateCommand: CliCommand = {
  name: "generate",
  usage: `Usage: qmp-hx generate <file.hx> [options]

Writes DIR/index.ts (exports everything), DIR/client.ts, DIR/validators.ts and DIR/docs/.
The folder changes as a unit; unchanged files are left untouched; only files qmp-hx wrote
(recorded with their hashes in DIR/.qmp-hx-manifest) are ever overwritten or removed.

Options:
  -o, --out DIR              output folder (default: generated)
      --check                write nothing; exit 1 naming the files that are stale
      --history FILE         an older file (repeat, in release order): each command's JSDoc
                             and page say the first version that has it and its arguments
${versionOfHelp}
      --force                overwrite files at output paths that qmp-hx did not write
                             (or that were edited since)
${buildOptionsHelp}
${companionOptionsHelp}
      --runtime-import MOD   module the client imports the runtime from (default: qmp-hx-runtime)
      --client-import MOD    module named in the docs' usage snippets (default: DIR/index.js,
                             relative to the current folder)
      --qemu-version X.Y[.Z] the QEMU whose monitor the validators follow (default: 2.7, the last
                             with qmp-commands.hx); calls through a QmpClient use its greeting's
  -h, --help                 show this help`,
  async run(argv, io) {
    return reportingErrors(this, io, async () => {
      const { values, positionals } = parseCommandLine(argv, {
        out: { type: "string", short: "o" },
        check: { type: "boolean" },
        history: { type: "string", multiple: true },
        ...versionOfSpec,
        force: { type: "boolean" },
        ...buildOptionSpecs,
        ...companionOptionSpecs,
        "runtime-import": { type: "string" },
        "client-import": { type: "string" },
        "qemu-version": { type: "string" },
      });
      if (values.help) {
        io.stdout(this.usage + "\n");
        return 0;
      }
      const input = oneInputFile(positionals);
      const out = values.out ?? "generated";
      if (out === "") throw new UsageError("--out: expected a folder, not an empty name");
      const qemuVersion = values["qemu-version"];
      if (qemuVersion !== undefined) {
        try {
          parseQemuVersion(qemuVersion);
        } catch (error) {
          throw new UsageError(`--qemu-version: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const report = await generate(input, {
        out,
        check: values.check ?? false,
        history: values.history ?? [],
        versionOf: versionsFrom(values["version-of"]),
        force: values.force ?? false,
        ...buildOptionsFrom(values),
        ...companionFilesFrom(values),
        ...(values["runtime-import"] ? { runtimeImport: values["runtime-import"] } : {}),
        ...(values["client-import"] ? { clientImport: values["client-import"] } : {}),
        ...(qemuVersion === undefined ? {} : { qemuVersion }),
      });
      if (values.check) {
        const stale = [
          ...(report.interrupted ? [`interrupted: ${out}/${stagingName} (a run was stopped; run generate to finish it)`] : []),
          ...report.written.map((path) => `stale: ${out}/${path}`),
          ...report.removed.map((path) => `no longer generated: ${out}/${path}`),
        ];
        if (stale.length === 0) {
          io.stdout(`${out}: up to date (${report.unchanged.length} files)\n`);
          return 0;
        }
        io.stderr(`${stale.join("\n")}\n${out}: ${stale.length} stale file(s); run the same qmp-hx generate command without --check\n`);
        return 1;
      }
      for (const path of report.kept) io.stderr(`kept ${out}/${path}: no longer generated, but changed since qmp-hx wrote it\n`);
      io.stdout(`${out}: ${report.written.length} written, ${report.unchanged.length} unchanged, ${report.removed.length} removed\n`);
      return 0;
    });
  },
};

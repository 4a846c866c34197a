import { parseFile } from "../api.js";
import { diffExitCode } from "../compare/diff/change.js";
import { formatDiffReports } from "../compare/diff/format.js";
import { sideOf } from "../compare/diff/versions.js";
import { driftReport, readLiveSchema } from "../compare/drift/drift.js";
import { IntrospectionError } from "../compare/drift/introspect.js";
import { QmpClient, QmpHxError } from "../runtime/index.js";
import { reportOptionSpecs, reportOptionsFrom, reportOptionsHelp, versionOfHelp, versionOfSpec, versionsFrom } from "./diff.js";
import { buildOptionSpecs, buildOptionsFrom, buildOptionsHelp, oneInputFile, parseCommandLine, reportingErrors, timeoutOption, type CliCommand } from "./command.js";
import { connectionOptionSpecs, connectionOptionsHelp, connectOptions } from "./exec.js";

export const driftCommand: CliCommand = {
  name: "drift",
  usage: `Usage: qmp-hx drift (--socket PATH | --tcp HOST:PORT) <file.hx> [options]

Connects to a QEMU's QMP monitor and compares the file's model with what that QEMU offers:
query-commands (every QEMU), and from 2.5 on query-qmp-schema (arguments: names, optional,
JSON type; results where the model has them; events). Breaking changes are calls through the
generated bindings that will fail on that QEMU. Same formats and exit status as diff.

Options:
${connectionOptionsHelp}
      --timeout MS           limit for connecting and each query (default 10000)
${reportOptionsHelp}
${versionOfHelp}
${buildOptionsHelp}
  -h, --help                 show this help`,
  async run(argv, io) {
    return reportingErrors(this, io, async () => {
      const { values, positionals } = parseCommandLine(argv, {
        ...connectionOptionSpecs,
        timeout: { type: "string" },
        ...reportOptionSpecs,
        ...versionOfSpec,
        ...buildOptionSpecs,
      });
      if (values.help) {
        io.stdout(this.usage + "\n");
        return 0;
      }
      const input = oneInputFile(positionals);
      const timeout = timeoutOption(values.timeout, 10_000);
      const { format, failOn } = reportOptionsFrom(values);
      const versions = versionsFrom(values["version-of"]);
      const address = connectOptions(values.socket, values.tcp);
      // The file first: bad input is reported before any connection is made.
      const { schema } = await parseFile(input, buildOptionsFrom(values));
      const where = values.socket ?? values.tcp ?? "";
      let qmp: QmpClient;
      try {
        qmp = await QmpClient.connect({ ...address, connectTimeout: timeout, commandTimeout: timeout });
      } catch (error) {
        io.stderr(`qmp-hx drift: cannot talk QMP at ${where}: ${error instanceof Error ? error.message : String(error)}\n`);
        return 1;
      }
      try {
        const live = await readLiveSchema(qmp, where);
        const report = driftReport(schema, sideOf(input, versions), live);
        io.stdout(formatDiffReports([report], format));
        if (!live.introspected) io.stderr(`qmp-hx drift: ${live.side.label} has no query-qmp-schema (before 2.5): compared command names only\n`);
        return diffExitCode([report], failOn);
      } catch (error) {
        if (error instanceof IntrospectionError || error instanceof QmpHxError) {
          io.stderr(`qmp-hx drift: ${where}: ${error.message}\n`);
          return 1;
        }
        throw error;
      } finally {
        await qmp.close();
      }
    });
  },
};

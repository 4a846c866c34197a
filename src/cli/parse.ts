import { parseFile } from "../api.js";
import { buildOptionSpecs, buildOptionsFrom, buildOptionsHelp, qapiOptionHelp, qapiOptionSpec, oneInputFile, parseCommandLine, reportingErrors, type CliCommand } from "./command.js";

export const parseCommand: CliCommand = {
  name: "parse",
  summary: "print the command model of a .hx file as JSON",
  usage: `Usage: qmp-hx parse <file.hx> [options]

Prints the model every emitter reads: commands with arguments, conditions, fields, docs and
source locations.

Options:
${buildOptionsHelp}
${qapiOptionHelp}
  -h, --help                 show this help`,
  async run(argv, io) {
    return reportingErrors(this, io, async () => {
      const { values, positionals } = parseCommandLine(argv, { ...buildOptionSpecs, ...qapiOptionSpec });
      if (values.help) {
        io.stdout(this.usage + "\n");
        return 0;
      }
      const input = oneInputFile(positionals);
      const { schema } = await parseFile(input, { ...buildOptionsFrom(values), ...(values.qapi ? { qapi: values.qapi } : {}) });
      io.stdout(JSON.stringify(schema, null, 2) + "\n");
      return 0;
    });
  },
};

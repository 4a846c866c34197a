import { parseFile } from "../api.js";
import { exitCodeFor, formatFindings, lint, LintConfigError, lintRules, parseRuleOption, type FailOn, type RuleSetting } from "../compare/lint/index.js";
import { buildOptionSpecs, buildOptionsFrom, buildOptionsHelp, companionFilesFrom, companionOptionsHelp, companionOptionSpecs, oneInputFile, parseCommandLine, reportingErrors, UsageError, type CliCommand } from "./command.js";

const failOnValues: readonly FailOn[] = ["error", "warning", "info", "never"];

function isFailOn(value: string): value is FailOn {
  return (failOnValues as readonly string[]).includes(value);
}

function ruleTable(): string {
  const width = Math.max(...lintRules.map((rule) => rule.id.length));
  return lintRules.map((rule) => `  ${rule.id.padEnd(width)}  ${rule.severity.padEnd(7)}  ${rule.summary}`).join("\n");
}

export const lintCommand: CliCommand = {
  name: "lint",
  usage: `Usage: qmp-hx lint <file.hx> [options]

Prints one line per finding (file:line:column: severity: message [rule]) and a summary.

Options:
      --format text|json     output format (default: text)
      --fail-on LEVEL        exit 1 when a finding is at least this severe:
                             error (default), warning, info, or never
      --rule ID=SEVERITY     change a rule's severity (error, warning, info) or turn it off
                             (off); may be repeated
${buildOptionsHelp}
${companionOptionsHelp}
  -h, --help                 show this help

Rules (default severity):
${ruleTable()}`,
  async run(argv, io) {
    return reportingErrors(this, io, async () => {
      const { values, positionals } = parseCommandLine(argv, {
        format: { type: "string" },
        "fail-on": { type: "string" },
        rule: { type: "string", multiple: true },
        ...buildOptionSpecs,
        ...companionOptionSpecs,
      });
      if (values.help) {
        io.stdout(this.usage + "\n");
        return 0;
      }
      const input = oneInputFile(positionals);
      const format = values.format ?? "text";
      if (format !== "text" && format !== "json") throw new UsageError(`--format ${format}: expected text or json`);
      const failOn = values["fail-on"] ?? "error";
      if (!isFailOn(failOn)) throw new UsageError(`--fail-on ${failOn}: expected ${failOnValues.join(", ")}`);
      const rules: Record<string, RuleSetting> = {};
      for (const option of values.rule ?? []) {
        try {
          const [id, setting] = parseRuleOption(option);
          rules[id] = setting;
        } catch (error) {
          if (error instanceof LintConfigError) throw new UsageError(error.message);
          throw error;
        }
      }
      // Options are checked before the file is read: a typo is reported even for a missing file.
      const result = await parseFile(input, { ...buildOptionsFrom(values), ...companionFilesFrom(values) });
      const findings = lint(result, { rules });
      io.stdout(formatFindings(findings, format));
      return exitCodeFor(findings, failOn);
    });
  },
};

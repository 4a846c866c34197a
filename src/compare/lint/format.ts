// Printing findings and turning them into an exit status, for `qmp-hx lint`.
import type { Severity } from "../../model/notices.js";
import type { Finding } from "./lint.js";

export type FindingsFormat = "text" | "json";
export type FailOn = Severity | "never";

const severities: readonly Severity[] = ["error", "warning", "info"];
const rank: Readonly<Record<Severity, number>> = { error: 3, warning: 2, info: 1 };

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

function plural(count: number, word: string): string {
  // "info" is a mass noun: "3 info", not "3 infos".
  return `${count} ${word}${count === 1 || word === "info" ? "" : "s"}`;
}

/** `2 errors, 1 warning, 0 info` or `no findings`. */
export function summaryLine(findings: readonly Finding[]): string {
  if (findings.length === 0) return "no findings";
  const counts = countBySeverity(findings);
  return severities.map((severity) => plural(counts[severity], severity)).join(", ");
}

/**
 * `text`: one `file:line:column: severity: message [rule-id]` line per finding, then the
 * summary line. `json`: an array of objects whose keys are always in the same order.
 * Both end with a newline.
 */
export function formatFindings(findings: readonly Finding[], format: FindingsFormat): string {
  if (format === "json") {
    const rows = findings.map((finding) => ({
      file: finding.location.file,
      line: finding.location.line,
      column: finding.location.column,
      severity: finding.severity,
      rule: finding.rule,
      message: finding.message,
    }));
    return `${JSON.stringify(rows, null, 2)}\n`;
  }
  const lines = findings.map(
    ({ location, severity, message, rule }) => `${location.file}:${location.line}:${location.column}: ${severity}: ${message} [${rule}]`,
  );
  lines.push(summaryLine(findings));
  return `${lines.join("\n")}\n`;
}

/** 1 when a finding is at least as severe as `failOn`, else 0; `never` always gives 0. */
export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === "never") return 0;
  return findings.some((finding) => rank[finding.severity] >= rank[failOn]) ? 1 : 0;
}

// Printing diff reports: `text` (grouped by command, for a terminal), `markdown` (a changelog
// section for release notes) and `json` (a stable shape with a version field, documented in
// the README). One or more reports: `diff A B C` prints one per step.
import type { SourceLocation } from "../../model/types.js";
import { changeLevels, countByLevel, type Change, type ChangeLevel, type DiffReport, type SideInfo } from "./change.js";

export type DiffFormat = "text" | "markdown" | "json";

/** The `version` of the JSON shape; raised only when a field changes meaning or goes away. */
export const diffJsonVersion = 1;

export function formatDiffReports(reports: readonly DiffReport[], format: DiffFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify({ format: "qmp-hx-diff", version: diffJsonVersion, steps: reports.map(jsonStep) }, null, 2)}\n`;
    case "markdown":
      return reports.map(markdownStep).join("\n");
    case "text":
      return reports.map(textStep).join("\n");
  }
}

function sideText(side: SideInfo): string {
  return side.version ? `${side.label} (${side.version.value}, from the ${side.version.from})` : side.label;
}

/** `2 breaking, 1 compatible, 0 docs`, or `no changes`. */
export function diffSummary(changes: readonly Change[]): string {
  if (changes.length === 0) return "no changes";
  const counts = countByLevel(changes);
  return changeLevels.map((level) => `${counts[level]} ${level}`).join(", ");
}

function subjectTitle(change: Change): string {
  return change.subject === "event" ? `event ${change.name}` : change.name;
}

function textStep(report: DiffReport): string {
  const lines = [`${report.mode === "drift" ? "Bindings" : "Old"}: ${sideText(report.old)}`, `${report.mode === "drift" ? "QEMU" : "New"}: ${sideText(report.new)}`];
  const width = Math.max(...changeLevels.map((level) => level.length));
  let subject = "";
  for (const change of report.changes) {
    const title = subjectTitle(change);
    if (title !== subject) {
      lines.push("", title);
      subject = title;
    }
    lines.push(`  ${change.level.padEnd(width)}  ${change.message}${whereText(change)}`);
  }
  lines.push("", diffSummary(report.changes));
  return `${lines.join("\n")}\n`;
}

function whereText(change: Change): string {
  // A running QEMU's side has no lines (line 0): the bindings' file is the place to look.
  const where = [change.new, change.old].find((candidate) => candidate !== undefined && candidate.line > 0);
  return where ? `  [${where.file}:${where.line}]` : "";
}

const markdownHeadings: Readonly<Record<ChangeLevel, string>> = { breaking: "Breaking changes", compatible: "Compatible changes", docs: "Documentation" };

function markdownStep(report: DiffReport): string {
  const name = (side: SideInfo): string => side.version?.value ?? side.label;
  const sections = [`## QMP changes: ${markdownText(name(report.old))} → ${markdownText(name(report.new))}`];
  sections.push(`${markdownText(sideText(report.old))} → ${markdownText(sideText(report.new))}: ${diffSummary(report.changes)}.`);
  for (const level of changeLevels) {
    const changes = report.changes.filter((change) => change.level === level);
    if (changes.length === 0) continue;
    const items = changes.map((change) => `- ${change.subject === "event" ? "event " : ""}${code(change.name)}: ${markdownText(change.message)}`);
    sections.push(`### ${markdownHeadings[level]}`, items.join("\n"));
  }
  return `${sections.join("\n\n")}\n`;
}

function code(value: string): string {
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((match) => match[0].length));
  const marks = "`".repeat(longest + 1);
  return longest > 0 ? `${marks} ${value} ${marks}` : `${marks}${value}${marks}`;
}

function markdownText(value: string): string {
  return value.replace(/[\\`*_[\]<|#~]/g, "\\$&");
}

function location(where: SourceLocation | undefined): { file: string; line: number } | undefined {
  return where && where.line > 0 ? { file: where.file, line: where.line } : undefined;
}

function jsonStep(report: DiffReport) {
  return {
    mode: report.mode,
    old: { label: report.old.label, version: report.old.version ?? null },
    new: { label: report.new.label, version: report.new.version ?? null },
    summary: countByLevel(report.changes),
    changes: report.changes.map((change) => ({
      level: change.level,
      kind: change.kind,
      subject: change.subject,
      name: change.name,
      argument: change.argument ?? null,
      path: change.path ?? null,
      message: change.message,
      old: location(change.old) ?? null,
      new: location(change.new) ?? null,
    })),
  };
}

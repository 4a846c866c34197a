// What `diff` and `drift` report: changes between two models, each classified by what it
// does to a client that was written against the old side.
import type { SourceLocation } from "../../model/types.js";

/**
 * `breaking`: a call QEMU accepted before is rejected now, or something a client may read is
 * gone; `compatible`: the wire accepts what it did and a reader finds what it found;
 * `docs`: only documentation changed.
 */
export type ChangeLevel = "breaking" | "compatible" | "docs";

export const changeLevels: readonly ChangeLevel[] = ["breaking", "compatible", "docs"];

export type ChangeKind =
  | "command-added"
  | "command-removed"
  | "argument-added"
  | "argument-removed"
  | "argument-optional"
  | "argument-required"
  | "argument-code"
  | "argument-type"
  | "open-keys"
  | "condition"
  | "handler"
  | "result-type"
  | "docs"
  | "event-added"
  | "event-removed"
  | "event-data";

export interface Change {
  readonly level: ChangeLevel;
  readonly kind: ChangeKind;
  /** What changed: a command or an event, by its wire name. */
  readonly subject: "command" | "event";
  readonly name: string;
  /** The argument concerned, for argument changes. */
  readonly argument?: string;
  /** Inside a data type: `.member`, `[]` (array element), starting from the argument, result or event data. */
  readonly path?: string;
  /** One line, without the name of the command. */
  readonly message: string;
  /** Where the old and the new side define it, when they are files. */
  readonly old?: SourceLocation;
  readonly new?: SourceLocation;
}

/** One side of a comparison: the label and version a report names, and what that side can tell. */
export interface SideInfo {
  /** A file name, or `QEMU 7.2.0 at /run/qmp.sock`. */
  readonly label: string;
  readonly version: { readonly value: string; readonly from: "option" | "file name" | "greeting" } | undefined;
}

export interface DiffReport {
  /** `drift`: the new side is a running QEMU, and breaking changes are phrased as calls that will fail there. */
  readonly mode: "diff" | "drift";
  readonly old: SideInfo;
  readonly new: SideInfo;
  /** Grouped by command, in the new side's order, then removed commands, then events. */
  readonly changes: readonly Change[];
}

const rank: Readonly<Record<ChangeLevel, number>> = { breaking: 3, compatible: 2, docs: 1 };

export type DiffFailOn = ChangeLevel | "never";

/** 1 when a change is at least as severe as `failOn`, else 0; `never` always gives 0. */
export function diffExitCode(reports: readonly DiffReport[], failOn: DiffFailOn): 0 | 1 {
  if (failOn === "never") return 0;
  return reports.some((report) => report.changes.some((change) => rank[change.level] >= rank[failOn])) ? 1 : 0;
}

export function countByLevel(changes: readonly Change[]): Record<ChangeLevel, number> {
  const counts: Record<ChangeLevel, number> = { breaking: 0, compatible: 0, docs: 0 };
  for (const change of changes) counts[change.level]++;
  return counts;
}

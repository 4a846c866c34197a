import type { SourceLocation } from "../frontend/source.js";

export type Severity = "error" | "warning" | "info";

/** Something worth telling the user about a file that still parsed: a lint finding. */
export interface Notice {
  /** A stable id such as `doc-missing-argument`; lint can be configured by it. */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly location: SourceLocation;
}

// The lint rules: stable ids, default severities and what each one means. The ids are the
// public interface of `qmp-hx lint --rule id=severity`; renaming one breaks users' configs.
import type { Severity } from "../../model/notices.js";

export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  /** One line for `--help` and docs. */
  readonly summary: string;
  /**
   * `builder`: reported by src/frontend/hx/build.ts while building the model; `qapi`: by the
   * QAPI front end (src/frontend/qapi/) when a schema is given (`--qapi`). Lint passes both on.
   */
  readonly reportedBy: "lint" | "builder" | "qapi";
}

// Severity policy: `error` for a real contradiction between the docs and the dispatch table
// (a client written from the docs would be rejected or would miss an argument), `warning`
// for documentation that is missing, empty or about something else, `info` for cosmetics.
export const lintRules = [
  {
    id: "doc-missing-argument",
    severity: "error",
    summary: "an args_type argument is missing from the command's documented Arguments",
    reportedBy: "lint",
  },
  {
    id: "doc-unknown-argument",
    severity: "error",
    summary: "the doc lists an argument that args_type does not have",
    reportedBy: "lint",
  },
  {
    id: "optional-mismatch",
    severity: "error",
    summary: "the doc and args_type disagree on whether an argument is optional",
    reportedBy: "lint",
  },
  {
    id: "type-mismatch",
    severity: "error",
    summary: "the doc's JSON type of an argument disagrees with its args_type code",
    reportedBy: "lint",
  },
  {
    id: "example-rejected",
    severity: "error",
    summary: "an example's arguments would be rejected by QEMU's argument check for the command",
    reportedBy: "lint",
  },
  {
    id: "duplicate-command",
    severity: "error",
    summary: "two table entries have the same name (info when they sit under different #if conditions)",
    reportedBy: "lint",
  },
  {
    id: "example-reply-mismatch",
    severity: "warning",
    summary: "an example reply (or example event) does not fit the result (or data) type the docs give",
    reportedBy: "lint",
  },
  {
    id: "example-other-command",
    severity: "warning",
    summary: "an example in a command's doc executes a different command",
    reportedBy: "lint",
  },
  {
    id: "example-invalid-json",
    severity: "warning",
    summary: "an example message is not valid JSON",
    reportedBy: "lint",
  },
  {
    id: "missing-doc",
    severity: "warning",
    summary: "a table entry has no SQMP doc block",
    reportedBy: "lint",
  },
  {
    id: "doc-without-entry",
    severity: "warning",
    summary: "a documented command has no table entry",
    reportedBy: "lint",
  },
  {
    id: "placeholder-doc",
    severity: "warning",
    summary: "an SQMP block holds nothing but a title",
    reportedBy: "lint",
  },
  {
    id: "unterminated-doc",
    severity: "warning",
    summary: "the last SQMP block is not closed by EQMP",
    reportedBy: "lint",
  },
  {
    id: "title-underline-length",
    severity: "info",
    summary: "a doc title's underline is not as long as the title",
    reportedBy: "lint",
  },
  {
    id: "title-not-command-name",
    severity: "info",
    summary: "a command's doc title is not the command's name (a sentence, an @name, another name)",
    reportedBy: "lint",
  },
  // Reported by the model builder (src/frontend/hx/build.ts); listed so that they can be configured.
  {
    id: "duplicate-argument",
    severity: "error",
    summary: "an argument appears twice in one args_type",
    reportedBy: "builder",
  },
  {
    id: "duplicate-doc",
    severity: "warning",
    summary: "a second doc block for the same command",
    reportedBy: "builder",
  },
  {
    id: "missing-args-type",
    severity: "warning",
    summary: "a table entry has no .args_type field",
    reportedBy: "builder",
  },
  {
    id: "doc-values-contradict-args-type",
    severity: "warning",
    summary: "the doc lists string values for an argument whose args_type code takes no string (the client keeps the code's type)",
    reportedBy: "builder",
  },
  {
    id: "doc-type-contradicts-example",
    severity: "warning",
    summary: "an argument's documented values or structure do not fit the doc's own example (the client keeps the code's type)",
    reportedBy: "builder",
  },
  {
    id: "ignored-directive",
    severity: "info",
    summary: "a preprocessor directive that qmp-hx passes over (#define, #include ...)",
    reportedBy: "builder",
  },
  // Reported by the QAPI front end (src/frontend/qapi/), with --qapi.
  {
    id: "qapi-argument-mismatch",
    severity: "error",
    summary: "args_type and the QAPI schema disagree on a command's arguments (one lacks an argument, or they differ on optional)",
    reportedBy: "qapi",
  },
  {
    id: "qapi-type-mismatch",
    severity: "error",
    summary: "the QAPI type of an argument contradicts its args_type code (args_type decides)",
    reportedBy: "qapi",
  },
  {
    id: "qapi-schema",
    severity: "error",
    summary: "the QAPI schema refers to a type it does not define, or defines a name twice",
    reportedBy: "qapi",
  },
  {
    id: "qapi-unmatched-command",
    severity: "info",
    summary: "a table command has no QAPI definition, or QAPI defines a command the table lacks",
    reportedBy: "qapi",
  },
] as const satisfies readonly RuleInfo[];

export type RuleId = (typeof lintRules)[number]["id"];

const ruleById: ReadonlyMap<string, RuleInfo> = new Map(lintRules.map((rule) => [rule.id, rule]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return ruleById.get(id);
}

export function isRuleId(id: string): id is RuleId {
  return ruleById.has(id);
}

// `lint(result)`: every finding about a built model, the builder's notices included, with
// the user's severity overrides applied, in file order. A pure function of its input.
import type { BuildResult } from "../../frontend/hx/build.js";
import type { Notice, Severity } from "../../model/notices.js";
import { runChecks } from "./checks.js";
import { isRuleId, lintRules, ruleInfo, type RuleId } from "./rules.js";

/** A lint finding is the model's Notice: rule id, severity, message, location. */
export type Finding = Notice;

export type RuleSetting = Severity | "off";

export interface LintOptions {
  /** Per rule id: a severity replacing the default, or `off`. */
  readonly rules?: Readonly<Partial<Record<string, RuleSetting>>>;
}

const settings: readonly RuleSetting[] = ["error", "warning", "info", "off"];

/** Bad lint configuration (an unknown rule id or severity): the CLI reports it as a usage error. */
export class LintConfigError extends Error {
  override readonly name = "LintConfigError";
}

export function isRuleSetting(value: string): value is RuleSetting {
  return (settings as readonly string[]).includes(value);
}

/** `id=severity` as given to `--rule`. */
export function parseRuleOption(text: string): readonly [RuleId, RuleSetting] {
  const equals = text.indexOf("=");
  const id = equals === -1 ? text : text.slice(0, equals).trim();
  const setting = equals === -1 ? "" : text.slice(equals + 1).trim();
  if (!isRuleId(id)) throw new LintConfigError(`unknown lint rule '${id}': expected one of ${lintRules.map((rule) => rule.id).join(", ")}`);
  if (!isRuleSetting(setting)) throw new LintConfigError(`--rule ${text}: expected ${id}=error, ${id}=warning, ${id}=info or ${id}=off`);
  return [id, setting];
}

function checkedSettings(options: LintOptions): ReadonlyMap<string, RuleSetting> {
  const result = new Map<string, RuleSetting>();
  for (const [id, setting] of Object.entries(options.rules ?? {})) {
    if (setting === undefined) continue;
    // A misspelt id silently doing nothing would hide the findings the user meant to see.
    if (ruleInfo(id) === undefined) throw new LintConfigError(`unknown lint rule '${id}': expected one of ${lintRules.map((rule) => rule.id).join(", ")}`);
    if (!isRuleSetting(setting)) throw new LintConfigError(`rule '${id}': unknown setting '${String(setting)}': expected error, warning, info or off`);
    result.set(id, setting);
  }
  return result;
}

export function lint(result: BuildResult, options: LintOptions = {}): Finding[] {
  const overrides = checkedSettings(options);
  const findings: Finding[] = [];
  const add = (finding: Finding): void => {
    const setting = overrides.get(finding.rule);
    if (setting === "off") return;
    findings.push(setting === undefined ? finding : { ...finding, severity: setting });
  };

  for (const notice of result.notices) add(notice);
  runChecks(result.schema, (rule, message, location, severity) => {
    add({ rule, severity: severity ?? ruleInfo(rule)?.severity ?? "error", message, location });
  });
  return findings.sort(compareFindings);
}

const ruleOrder = new Map<string, number>(lintRules.map((rule, index) => [rule.id, index]));

/** File position first; ties (several findings at one place) by rule, then by message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    (ruleOrder.get(a.rule) ?? lintRules.length) - (ruleOrder.get(b.rule) ?? lintRules.length) ||
    compareText(a.rule, b.rule) ||
    compareText(a.message, b.message)
  );
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

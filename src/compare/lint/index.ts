// The linter's public surface, for the CLI and library users.
export { lint, compareFindings, parseRuleOption, isRuleSetting, LintConfigError } from "./lint.js";
export type { Finding, LintOptions, RuleSetting } from "./lint.js";
export { formatFindings, exitCodeFor, summaryLine, countBySeverity } from "./format.js";
export type { FindingsFormat, FailOn } from "./format.js";
export { lintRules, ruleInfo, isRuleId } from "./rules.js";
export type { RuleId, RuleInfo } from "./rules.js";

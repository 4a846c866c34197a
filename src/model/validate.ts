// QEMU's monitor argument check (monitor.c qmp_check_client_args, 0.14 to 2.7), interpreted
// from the model. The generated validators compile the same rules into straight-line code;
// this version serves `qmp-hx exec` on a freshly parsed file, the linter's example check, and
// the property test that holds the two to the same answers.
import { argCodes, type JsonKind } from "./codes.js";
import type { Argument, Command } from "./types.js";

export type ValidationIssueClass = "MissingParameter" | "InvalidParameter" | "InvalidParameterType" | "QMPBadInputObjectMember" | "CommandNotFound";

export interface ValidationIssue {
  /** `arguments` for the object itself, else `arguments.NAME`. */
  readonly path: string;
  readonly class: ValidationIssueClass;
  readonly message: string;
}

/** Arguments QEMU checked: what args_type names (doc-listed properties of `O` commands pass unchecked). */
export function checkedArguments(command: Command): readonly Argument[] {
  return command.origin === "table" ? command.args.filter((arg) => arg.source === "args_type") : command.args;
}

export const issueText = {
  notObject: (): ValidationIssue => ({
    path: "arguments",
    class: "QMPBadInputObjectMember",
    message: "QMP input object member 'arguments' expects 'object'",
  }),
  missing: (name: string): ValidationIssue => ({
    path: `arguments.${name}`,
    class: "MissingParameter",
    message: `Parameter '${name}' is missing`,
  }),
  unknown: (name: string): ValidationIssue => ({
    path: `arguments.${name}`,
    class: "InvalidParameter",
    message: `Invalid parameter '${name}'`,
  }),
  commandNotFound: (command: string): ValidationIssue => ({
    path: "execute",
    class: "CommandNotFound",
    message: `The command ${command} has not been found`,
  }),
  wrongType: (name: string, expected: string): ValidationIssue => ({
    path: `arguments.${name}`,
    class: "InvalidParameterType",
    message: `Invalid parameter type for '${name}', expected: ${expected}`,
  }),
};

/** Whether a value is of the JSON type QEMU wanted for an args_type code. */
function valueFits(kind: JsonKind, value: unknown): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
    case "number":
      return typeof value === "bigint" || (typeof value === "number" && Number.isFinite(value));
    case "boolean":
      return typeof value === "boolean";
    case "any":
      return true;
  }
}

/** Every issue QEMU would have raised, in the order it would have met them. */
export function validateCommandArguments(command: Command, args: unknown): ValidationIssue[] {
  if (args === undefined) args = {};
  if (args === null || typeof args !== "object" || Array.isArray(args)) return [issueText.notObject()];
  const record = args as Readonly<Record<string, unknown>>;
  const checked = checkedArguments(command);
  const issues: ValidationIssue[] = [];
  for (const arg of checked) {
    // Set to undefined is missing: JSON drops the key.
    if (!arg.optional && arg.code !== "-" && arg.code !== "O" && record[arg.name] === undefined) {
      issues.push(issueText.missing(arg.name));
    }
  }
  const byName = new Map(checked.map((arg) => [arg.name, arg]));
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value === undefined) continue; // JSON.stringify drops it: never on the wire
    const arg = byName.get(key);
    if (!arg) {
      if (!command.acceptsUnknownKeys) issues.push(issueText.unknown(key));
      continue;
    }
    const info = argCodes[arg.code];
    if (info.expected !== undefined && !valueFits(info.kind, value)) issues.push(issueText.wrongType(key, info.expected));
  }
  return issues;
}

// QEMU's monitor argument check for a command of the model: the runtime's check
// (src/runtime/arguments.ts, one implementation for generated validators, the client and this)
// over the command's args_type. It serves `qmp-hx exec` on a freshly parsed file, the linter's
// example check, and the property test that holds the generated fast paths to the same answers.
import { checkArguments, type ArgumentsSpec, type ValidateOptions, type ValidationIssue } from "../runtime/arguments.js";
import { argType } from "./codes.js";
import type { Argument, Command } from "./types.js";

export type { ValidationIssue, ValidationIssueClass, ValidationIssueKind, ValidateOptions } from "../runtime/arguments.js";

/** Arguments QEMU checked: what args_type names (doc-listed properties of `O` commands pass unchecked). */
export function checkedArguments(command: Command): readonly Argument[] {
  return command.origin === "table" ? command.args.filter((arg) => arg.source === "args_type") : command.args;
}

const specs = new WeakMap<Command, ArgumentsSpec>();

/** The command's checked arguments as the runtime's check takes them: `[name, type]` in args_type order. */
export function argumentsSpec(command: Command): ArgumentsSpec {
  let spec = specs.get(command);
  if (spec === undefined) {
    spec = checkedArguments(command).map((arg) => [arg.name, argType(arg)] as const);
    specs.set(command, spec);
  }
  return spec;
}

/** Every issue QEMU (by default 2.7) would have raised, in its order: the first is its reply. */
export function validateCommandArguments(command: Command, args: unknown, options: ValidateOptions = {}): readonly ValidationIssue[] {
  return checkArguments(argumentsSpec(command), args, options.qemuVersion);
}

// Emits validators.ts: plain TypeScript with no runtime library. Per command a function that
// checks arguments as QEMU's monitor did (mandatory arguments in args_type order, then each
// key the client sent: unknown key, wrong JSON type), returning every issue; and
// validateArguments(command, args) by wire name. The rules and message texts are those of
// src/model/validate.ts, compiled into straight-line code.
import { StructureKind, VariableDeclarationKind, type FunctionDeclarationStructure, type StatementStructures } from "ts-morph";
import { argCodes, type JsonKind } from "../model/codes.js";
import { checkedArguments, issueText } from "../model/validate.js";
import type { Command, Schema } from "../model/types.js";
import type { CommandNames } from "./names.js";
import { jsDoc, typeScriptText } from "./typescript.js";

/** The check of one JSON kind, as an expression over `value`. */
const kindChecks: Readonly<Record<Exclude<JsonKind, "any">, string>> = {
  string: '(typeof value === "string")',
  integer: '(typeof value === "number" ? Number.isInteger(value) : typeof value === "bigint")',
  number: '(typeof value === "number" ? Number.isFinite(value) : typeof value === "bigint")',
  boolean: '(typeof value === "boolean")',
};

export function emitValidators(schema: Schema, names: ReadonlyMap<Command, CommandNames>): string {
  const statements: StatementStructures[] = [...issueSupport()];
  const byWireName = new Map<string, string>();
  for (const command of schema.commands) {
    const assigned = names.get(command);
    if (!assigned) throw new Error(`no names assigned to ${command.name}`);
    statements.push(commandValidator(command, assigned.validator));
    // The first entry of a wire name is the one QEMU registered first and dispatched to.
    if (!byWireName.has(command.name)) byWireName.set(command.name, assigned.validator);
  }
  statements.push(...dispatcher(byWireName));
  return typeScriptText(`Argument validators for the commands of ${schema.file.split(/[\\/]/).at(-1) ?? schema.file}, as QEMU's monitor checked them.`, statements);
}

function sample(issue: { path: string; class: string; message: string }, name: string): { path: string; message: string } {
  // Turn the model's message for a placeholder name into a template literal over `name`.
  const template = (text: string): string => "`" + text.split(name).map(escapeTemplate).join("${name}") + "`";
  return { path: template(issue.path), message: template(issue.message) };
}

function escapeTemplate(text: string): string {
  return text.replace(/[`\\$]/g, (char) => `\\${char}`);
}

function issueSupport(): StatementStructures[] {
  const placeholder = "\u0000NAME\u0000";
  const makers = [
    { name: "missing", issue: issueText.missing(placeholder), parameters: [{ name: "name", type: "string" }] },
    { name: "unknown", issue: issueText.unknown(placeholder), parameters: [{ name: "name", type: "string" }] },
  ];
  const wrongType = issueText.wrongType(placeholder, "\u0000EXPECTED\u0000");
  const notObject = issueText.notObject();
  const makerFunctions: FunctionDeclarationStructure[] = makers.map(({ name, issue, parameters }) => {
    const text = sample(issue, placeholder);
    return {
      kind: StructureKind.Function,
      name,
      parameters,
      returnType: "ValidationIssue",
      statements: [`return { path: ${text.path}, class: ${JSON.stringify(issue.class)}, message: ${text.message} };`],
    };
  });
  const wrongTypeText = sample(wrongType, placeholder);
  return [
    {
      kind: StructureKind.TypeAlias,
      name: "ValidationIssueClass",
      isExported: true,
      type: '"MissingParameter" | "InvalidParameter" | "InvalidParameterType" | "QMPBadInputObjectMember" | "CommandNotFound"',
      docs: [jsDoc("QEMU's error classes for bad arguments (CommandNotFound: validateArguments was given an unknown command).")],
    },
    {
      kind: StructureKind.Interface,
      name: "ValidationIssue",
      isExported: true,
      docs: [jsDoc("One problem with the arguments, as QEMU's monitor would have reported it.")],
      properties: [
        { name: "path", type: "string", isReadonly: true, docs: [jsDoc("`arguments` or `arguments.NAME`.")] },
        { name: "class", type: "ValidationIssueClass", isReadonly: true },
        { name: "message", type: "string", isReadonly: true, docs: [jsDoc("QEMU's own text for the error.")] },
      ],
    },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: "valid", type: "readonly ValidationIssue[]", initializer: "Object.freeze([])" }],
    },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [
        {
          name: "notObject",
          type: "readonly ValidationIssue[]",
          initializer: `Object.freeze([{ path: ${JSON.stringify(notObject.path)}, class: ${JSON.stringify(notObject.class)}, message: ${JSON.stringify(notObject.message)} }])`,
        },
      ],
    },
    ...makerFunctions,
    {
      kind: StructureKind.Function,
      name: "wrongType",
      parameters: [
        { name: "name", type: "string" },
        { name: "expected", type: "string" },
      ],
      returnType: "ValidationIssue",
      statements: [
        `return { path: ${wrongTypeText.path}, class: ${JSON.stringify(wrongType.class)}, message: ${wrongTypeText.message.replace("\u0000EXPECTED\u0000", "${expected}")} };`,
      ],
    },
    {
      kind: StructureKind.Function,
      name: "isRecord",
      parameters: [{ name: "value", type: "unknown" }],
      returnType: "value is Readonly<Record<string, unknown>>",
      statements: ['return typeof value === "object" && value !== null && !Array.isArray(value);'],
    },
  ];
}

function commandValidator(command: Command, name: string): FunctionDeclarationStructure {
  const checked = checkedArguments(command);
  const mandatory = checked.filter((arg) => !arg.optional && arg.code !== "-" && arg.code !== "O");
  const statements: string[] = [
    "if (args === undefined) args = {};",
    "if (!isRecord(args)) return notObject;",
    "let issues: ValidationIssue[] | undefined;",
    ...mandatory.map(
      (arg) => `if (!Object.hasOwn(args, ${JSON.stringify(arg.name)})) (issues ??= []).push(missing(${JSON.stringify(arg.name)}));`,
    ),
  ];
  // Group keys by the check they get, so each check is written once.
  const groups = new Map<string, string[]>();
  for (const arg of checked) {
    const info = argCodes[arg.code];
    const key = info.expected === undefined ? "any" : `${info.kind}:${info.expected}`;
    groups.set(key, [...(groups.get(key) ?? []), arg.name]);
  }
  const cases: string[] = [];
  for (const [key, keys] of groups) {
    const labels = keys.map((wireName) => `case ${JSON.stringify(wireName)}:`).join("\n");
    if (key === "any") {
      cases.push(`${labels}\nbreak;`);
      continue;
    }
    const [kind, expected] = key.split(":") as [Exclude<JsonKind, "any">, string];
    cases.push(`${labels}\nif (!${kindChecks[kind]}) (issues ??= []).push(wrongType(key, ${JSON.stringify(expected)}));\nbreak;`);
  }
  const typeChecks = [...groups.keys()].some((key) => key !== "any");
  // With an `O` argument unknown keys pass, so only typed keys need a look.
  if (typeChecks || !command.acceptsUnknownKeys) {
    const fallback = command.acceptsUnknownKeys ? "" : "\ndefault:\n(issues ??= []).push(unknown(key));";
    statements.push(
      "for (const key of Object.keys(args)) {",
      "const value = args[key];",
      "if (value === undefined) continue;",
      `switch (key) {\n${cases.join("\n")}${fallback}\n}`,
      "}",
    );
  }
  statements.push("return issues ?? valid;");
  return {
    kind: StructureKind.Function,
    name,
    isExported: true,
    parameters: [{ name: "args", type: "unknown" }],
    returnType: "readonly ValidationIssue[]",
    docs: [jsDoc(`Checks arguments of \`${command.name}\` (args_type \`${command.argsType ?? "derived from docs"}\`); returns every issue, in QEMU's order.`)],
    statements,
  };
}

function dispatcher(byWireName: ReadonlyMap<string, string>): StatementStructures[] {
  const entries = [...byWireName].map(([wireName, validator]) => `[${JSON.stringify(wireName)}, ${validator}]`);
  return [
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [
        {
          name: "validators",
          type: "ReadonlyMap<string, (args: unknown) => readonly ValidationIssue[]>",
          initializer: `new Map<string, (args: unknown) => readonly ValidationIssue[]>([${entries.join(", ")}])`,
        },
      ],
    },
    {
      kind: StructureKind.Function,
      name: "validateArguments",
      isExported: true,
      parameters: [
        { name: "command", type: "string" },
        { name: "args", type: "unknown" },
      ],
      returnType: "readonly ValidationIssue[]",
      docs: [jsDoc("Checks the arguments of any command by its wire name; an unknown command is one issue.")],
      statements: [
        "const validator = validators.get(command);",
        "if (validator === undefined) return [{ path: \"execute\", class: \"CommandNotFound\", message: `The command ${command} has not been found` }];",
        "return validator(args);",
      ],
    },
  ];
}

// Emits validators.ts: plain TypeScript with no runtime library. Per command a function that
// checks arguments as QEMU's monitor did (mandatory arguments in args_type order, then each
// key the client sent: unknown key, wrong JSON type), returning every issue; and
// validateArguments(command, args) by wire name. The rules and message texts are those of
// src/model/validate.ts, compiled into straight-line code.
import { StructureKind, VariableDeclarationKind, type FunctionDeclarationStructure, type StatementStructures } from "ts-morph";
import { argCodes, type JsonKind } from "../model/codes.js";
import { checkedArguments, issueText } from "../model/validate.js";
import type { Command, Schema } from "../model/types.js";
import { namesOf, type CommandNames } from "./names.js";
import { fileBaseName } from "./common.js";
import { jsDoc, typeScriptText } from "./typescript.js";

export function emitValidators(schema: Schema, names: ReadonlyMap<Command, CommandNames>): string {
  const validators: StatementStructures[] = [];
  const used = new Set<string>();
  const byWireName = new Map<string, string>();
  for (const command of schema.commands) {
    const assigned = namesOf(names, command);
    validators.push(...commandValidator(command, assigned.validator, used));
    // The first entry of a wire name is the one QEMU registered first and dispatched to.
    if (!byWireName.has(command.name)) byWireName.set(command.name, assigned.validator);
  }
  // Only the helpers some validator uses: generated code passes noUnusedLocals too.
  const support = issueSupport().filter((statement) => {
    const declared = "declarations" in statement ? statement.declarations[0]?.name : "name" in statement ? statement.name : undefined;
    return declared === undefined || !helperNames.has(declared) || used.has(declared);
  });
  return typeScriptText(`Argument validators for the commands of ${fileBaseName(schema.file)}, as QEMU's monitor checked them.`, [
    ...support,
    ...validators,
    ...dispatcher(byWireName),
  ]);
}

/** Module-private helpers, emitted only when used. */
const helperNames = new Set(["valid", "notObject", "missing", "unknown", "wrongType"]);

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
  ];
}

/**
 * One command's validator. A fast path checks everything with no allocation and returns the
 * shared empty result; only a call with problems walks the keys again, in the client's order,
 * to list every issue as QEMU would have met them. Issues about known arguments are made once.
 */
function commandValidator(command: Command, name: string, used: Set<string>): StatementStructures[] {
  const checked = checkedArguments(command);
  const typed = checked.filter((arg) => argCodes[arg.code].expected !== undefined);
  const mandatory = checked.filter((arg) => !arg.optional && arg.code !== "-" && arg.code !== "O");
  const issuesName = `${name}Issues`;
  const key = (wireName: string): string => `[${JSON.stringify(wireName)}]`;
  const read = (wireName: string): string => `record${key(wireName)}`;
  const fits = (arg: (typeof checked)[number], value: string): string => valueCheck(argCodes[arg.code].kind, value);

  const fastConditions = [
    ...mandatory.filter((arg) => !typed.includes(arg)).map((arg) => `${read(arg.name)} !== undefined`),
    ...typed.map((arg) => (mandatory.includes(arg) ? fits(arg, read(arg.name)) : `(${read(arg.name)} === undefined || ${fits(arg, read(arg.name))})`)),
  ];
  const knownLabels = checked.map((arg) => `case ${JSON.stringify(arg.name)}:`).join("\n");
  const notAnObject = `if (typeof args !== "object" || args === null || Array.isArray(args)) return args === undefined ? ${name}({}) : notObject;`;
  const docs = [jsDoc(`Checks arguments of \`${command.name}\` (args_type \`${command.argsType ?? "derived from docs"}\`); returns every issue, in QEMU's order.`)];
  const signature: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    name,
    isExported: true,
    parameters: [{ name: "args", type: "unknown" }],
    returnType: "readonly ValidationIssue[]",
    docs,
  };
  // An `O` command with nothing mandatory and nothing typed takes any object.
  used.add("notObject").add("valid");
  if (command.acceptsUnknownKeys && typed.length === 0 && mandatory.length === 0) {
    return [{ ...signature, statements: [notAnObject, "return valid;"] }];
  }
  if (mandatory.length > 0) used.add("missing");
  if (typed.length > 0) used.add("wrongType");
  if (!command.acceptsUnknownKeys) used.add("unknown");
  const statements: string[] = [
    notAnObject,
    "const record = args as Readonly<Record<string, unknown>>;",
    `let fast = ${fastConditions.length > 0 ? fastConditions.join(" && ") : "true"};`,
  ];
  if (!command.acceptsUnknownKeys) {
    statements.push(
      "if (fast) {",
      "for (const key in record) {",
      knownLabels ? `switch (key) {\n${knownLabels}\ncontinue;\n}` : "",
      // Only own keys with a value go on the wire.
      "if (Object.hasOwn(record, key) && record[key] !== undefined) { fast = false; break; }",
      "}",
      "}",
    );
  }
  statements.push("if (fast) return valid;", "const issues: ValidationIssue[] = [];");
  statements.push(...mandatory.map((arg) => `if (${read(arg.name)} === undefined) issues.push(${issuesName}.missing${key(arg.name)});`));
  const cases = [
    ...typed.map((arg) => `case ${JSON.stringify(arg.name)}:\nif (!(${fits(arg, "value")})) issues.push(${issuesName}.wrongType${key(arg.name)});\nbreak;`),
    ...(command.acceptsUnknownKeys ? [] : [`${checked.filter((arg) => !typed.includes(arg)).map((arg) => `case ${JSON.stringify(arg.name)}:`).join("\n")}\nbreak;`.trimStart(), "default:\nif (Object.hasOwn(record, key)) issues.push(unknown(key));"]),
  ].filter((text) => text !== "break;");
  if (cases.length > 0) {
    statements.push("for (const key in record) {", "const value = record[key];", "if (value === undefined) continue;", `switch (key) {\n${cases.join("\n")}\n}`, "}");
  }
  statements.push("return issues.length > 0 ? issues : valid;");

  const issueTable = (entries: readonly string[]): string => `{ ${entries.join(", ")} }`;
  const issueStatements: StatementStructures[] =
    mandatory.length + typed.length === 0
      ? []
      : [
          {
            kind: StructureKind.VariableStatement,
            declarationKind: VariableDeclarationKind.Const,
            declarations: [
              {
                name: issuesName,
                initializer: `{ missing: ${issueTable(mandatory.map((arg) => `${JSON.stringify(arg.name)}: missing(${JSON.stringify(arg.name)})`))}, wrongType: ${issueTable(
                  typed.map((arg) => `${JSON.stringify(arg.name)}: wrongType(${JSON.stringify(arg.name)}, ${JSON.stringify(argCodes[arg.code].expected)})`),
                )} }`,
              },
            ],
          },
        ];
  return [...issueStatements, { ...signature, statements }];
}

/** The check of a JSON kind on an expression. */
function valueCheck(kind: JsonKind, value: string): string {
  switch (kind) {
    case "string":
      return `typeof ${value} === "string"`;
    case "integer":
      return `(typeof ${value} === "number" ? Number.isInteger(${value}) : typeof ${value} === "bigint")`;
    case "number":
      return `(typeof ${value} === "number" ? Number.isFinite(${value}) : typeof ${value} === "bigint")`;
    case "boolean":
      return `typeof ${value} === "boolean"`;
    case "any":
      return "true";
  }
}

function dispatcher(byWireName: ReadonlyMap<string, string>): StatementStructures[] {
  const placeholder = "\u0000COMMAND\u0000";
  const notFound = issueText.commandNotFound(placeholder);
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
        `if (validator === undefined) return [{ path: ${JSON.stringify(notFound.path)}, class: ${JSON.stringify(notFound.class)}, message: ${sample(notFound, placeholder).message.split("${name}").join("${command}")} }];`,
        "return validator(args);",
      ],
    },
  ];
}

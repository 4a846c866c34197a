// Emits client.ts: per command an arguments interface keyed by wire names and a function that
// validates locally and calls QmpExecutor.execute; then the QmpCommands map and a typed
// generic execute. Built as ts-morph structures; function bodies are laid out in prettier's form.
import {
  StructureKind,
  type FunctionDeclarationStructure,
  type InterfaceDeclarationStructure,
  type OptionalKind,
  type PropertySignatureStructure,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
} from "./structures.js";
import { callArguments, code, stringLiteral, verbatim } from "./code-layout.js";
import { argCodes, argsTypeItem } from "../model/codes.js";
import type { Argument, Command, Schema } from "../model/types.js";
import {
  argumentType,
  conditionOf,
  descriptionOf,
  exampleArguments,
  exampleProblems,
  fileBaseName,
  firstSentence,
  hasRequiredArguments,
  historyNote,
  isOptional,
  jsonTypeOf,
  paragraphsToText,
  propertyArguments,
  summaryOf,
  takesArguments,
  typeScriptLiteral,
} from "./common.js";
import { assignTypeNames, namesOf, propertyKey, type CommandNames } from "./names.js";
import { namedTypeDeclarations } from "./data-types.js";
import { typeOriginNote, typeScriptType, type TypeNames } from "./type-text.js";
import { escapeDocText, jsDoc, type TypeScriptModule } from "./typescript.js";

export interface ClientOptions {
  /** Where the generated code imports the runtime from. */
  readonly runtimeImport: string;
}

export function emitClient(schema: Schema, names: ReadonlyMap<Command, CommandNames>, options: ClientOptions): TypeScriptModule {
  const statements: StatementStructures[] = [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: options.runtimeImport,
      namedImports: [
        { name: "prepareArguments" },
        { name: "QmpCallOptions", isTypeOnly: true },
        { name: "QmpExecutor", isTypeOnly: true },
        { name: "ValidateOptions", isTypeOnly: true },
      ],
    },
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: "./validators.js",
      namedImports: [
        { name: "ValidationIssue", isTypeOnly: true },
        { name: "validateArguments" },
        ...schema.commands.filter(takesArguments).map((command) => ({ name: namesOf(names, command).validator })),
      ],
    },
    {
      kind: StructureKind.Interface,
      name: "QmpCommandOptions",
      isExported: true,
      extends: ["QmpCallOptions"],
      docs: [jsDoc("Options of every generated command function.")],
      properties: [{ name: "validate", type: "boolean", hasQuestionToken: true, docs: [jsDoc("Check the arguments as QEMU's monitor would before sending them (default `true`).")] }],
    },
    callHelper(),
  ];
  const assignedTypeNames = assignTypeNames(schema, names);
  const typeNames = assignedTypeNames.types;
  statements.push(...namedTypeDeclarations(schema.types, typeNames));
  for (const command of schema.commands) {
    const commandNames = namesOf(names, command);
    if (takesArguments(command)) statements.push(argumentsInterface(command, commandNames, typeNames));
    if (command.result !== undefined) statements.push(resultType(command, commandNames, typeNames));
    statements.push(commandFunction(command, commandNames));
  }
  statements.push(commandMap(schema, names), ...genericExecute(), ...eventTypes(schema, assignedTypeNames.events, typeNames));
  return { summary: `Typed QMP client for the commands of ${fileBaseName(schema.file)}.`, statements };
}

function callHelper(): FunctionDeclarationStructure {
  return {
    kind: StructureKind.Function,
    name: "call",
    isAsync: true,
    parameters: [
      { name: "qmp", type: "QmpExecutor" },
      { name: "command", type: "string" },
      { name: "args", type: "object | undefined" },
      { name: "validate", type: "((args: unknown, options?: ValidateOptions) => readonly ValidationIssue[]) | undefined" },
      { name: "options", type: "QmpCommandOptions | undefined" },
    ],
    returnType: "Promise<unknown>",
    docs: [
      jsDoc(
        "Validates locally (unless turned off) as the monitor of the QEMU that greeted `qmp` did, then sends what was validated. Rejects rather than throws, like the call itself.",
      ),
    ],
    // Argument interfaces have no index signature; every one of them is a plain record.
    statements: [
      code(
        verbatim(`const { validate: check = true, ...callOptions } = options ?? {};
const version = qmp.version;
const validateOptions = version === undefined ? undefined : { qemuVersion: version.qemu };
const sent =
  check && validate
    ? prepareArguments(command, args, (wire) => validate(wire, validateOptions))
    : (args as Readonly<Record<string, unknown>> | undefined);
return qmp.execute(command, sent, callOptions);`),
      ),
    ],
  };
}

function argumentsInterface(command: Command, names: CommandNames, typeNames: TypeNames): InterfaceDeclarationStructure {
  const properties: OptionalKind<PropertySignatureStructure>[] = propertyArguments(command).map((arg) => ({
    name: propertyKey(arg.name),
    type: argumentType(arg, typeNames),
    hasQuestionToken: isOptional(arg),
    isReadonly: true,
    docs: [jsDoc(argumentDoc(command, arg))],
  }));
  return {
    kind: StructureKind.Interface,
    name: names.arguments,
    isExported: true,
    docs: [jsDoc(`Arguments of \`${command.name}\`${command.origin === "derived-from-docs" ? " (derived from its documentation: the file has no args_type)" : ""}.`)],
    properties,
    indexSignatures: command.acceptsUnknownKeys
      ? [{ keyName: "property", keyType: "string", returnType: "unknown", isReadonly: true, docs: [jsDoc("Further properties: the command takes an open set of options (`O` in args_type).")] }]
      : [],
  };
}

/** `export type QueryStatusResult = { ... }`: what the command's reply holds, where it was read. */
function resultType(command: Command, names: CommandNames, typeNames: TypeNames): TypeAliasDeclarationStructure {
  return {
    kind: StructureKind.TypeAlias,
    name: names.result,
    isExported: true,
    type: command.result === undefined ? "unknown" : typeScriptType(command.result.type, typeNames),
    docs: [jsDoc(`What \`${command.name}\` returns. ${typeOriginNote(command.result, "its result")}`)],
  };
}

/** The TypeScript type a command's promise resolves to. */
function resultTypeName(command: Command, names: CommandNames): string {
  return command.result === undefined ? "unknown" : names.result;
}

function argumentDoc(command: Command, arg: Argument): string {
  const origin =
    arg.source === "doc"
      ? command.origin === "derived-from-docs"
        ? "From the documented Arguments list (the file has no args_type)."
        : "A documented property, not named in args_type."
      : `args_type \`${argsTypeItem(arg)}\`: ${argCodes[arg.code].meaning}.`;
  const firstIn = arg.firstIn && arg.firstIn.version !== command.firstIn?.version ? `First in ${arg.firstIn.version}.` : undefined;
  return [arg.doc?.text, `JSON type: ${jsonTypeOf(arg)}. ${origin}`, firstIn].filter((text) => text !== undefined && text !== "").join("\n\n");
}

function commandFunction(command: Command, names: CommandNames): FunctionDeclarationStructure {
  const withArgs = takesArguments(command);
  const description = [
    summaryOf(command) ? paragraphsToText(descriptionOf(command)) : `Sends \`${command.name}\`.`,
    originNote(command),
  ]
    .filter((text) => text !== "")
    .join("\n\n");
  const tags: { tagName: string; text: string }[] = [];
  const condition = conditionOf(command);
  if (condition) tags.push({ tagName: "remarks", text: `Only in builds where \`${condition}\`.` });
  const example = exampleArguments(command);
  if (example !== undefined) {
    const call = withArgs ? `await ${names.function}(qmp, ${typeScriptLiteral(example)});` : `await ${names.function}(qmp);`;
    const problems = exampleProblems(command, example);
    // Never offered as a working call when this client would reject it.
    const caption = problems.length === 0 ? "" : `QEMU's documented example, which this client rejects (\`qmp-hx lint\` reports it): ${problems.join("; ")}.`;
    tags.push({ tagName: "example", text: `${caption}\n\`\`\`ts\n${call}\n\`\`\`` });
  }
  if (command.result === undefined || command.result.origin !== "docs") tags.push({ tagName: "returns", text: typeOriginNote(command.result, "the result") });
  // Not the line itself: it shifts with unrelated edits, and every function's JSDoc would change.
  const history = historyNote(command);
  if (history) tags.push({ tagName: "since", text: history });
  tags.push({ tagName: "see", text: `QMP command \`${command.name}\`; its source line is listed in docs/sources.md` });
  const argsParameter = withArgs
    ? [{ name: "args", type: names.arguments, ...(hasRequiredArguments(command) ? {} : { initializer: "{}" }) }]
    : [];
  return {
    kind: StructureKind.Function,
    name: names.function,
    isExported: true,
    parameters: [{ name: "qmp", type: "QmpExecutor" }, ...argsParameter, { name: "options", type: "QmpCommandOptions", hasQuestionToken: true }],
    returnType: `Promise<${resultTypeName(command, names)}>`,
    docs: [{ ...jsDoc(description), tags: tags.map((tag) => ({ ...tag, text: escapeDocText(tag.text) })) }],
    statements: [code(["return call", callArguments(["qmp", stringLiteral(command.name), withArgs ? "args" : "undefined", withArgs ? names.validator : "undefined", "options"]), command.result === undefined ? "" : ` as Promise<${names.result}>`, ";"])],
  };
}

function originNote(command: Command): string {
  switch (command.origin) {
    case "table":
      return "";
    case "doc-only":
      return "Documented but not in the dispatch table of this file.";
    case "derived-from-docs":
      return "Derived from the documentation: the file has no dispatch table, so the arguments come from the Arguments list.";
  }
}

function commandMap(schema: Schema, names: ReadonlyMap<Command, CommandNames>): InterfaceDeclarationStructure {
  const seen = new Set<string>();
  const properties: OptionalKind<PropertySignatureStructure>[] = [];
  for (const command of schema.commands) {
    // Two entries with one wire name (under different #if branches) are one command on the wire.
    if (seen.has(command.name)) continue;
    seen.add(command.name);
    const commandNames = namesOf(names, command);
    const argumentsType = takesArguments(command) ? commandNames.arguments : "Record<string, never>";
    properties.push({
      name: JSON.stringify(command.name),
      type: `{ readonly arguments: ${argumentsType}; readonly result: ${resultTypeName(command, commandNames)} }`,
      isReadonly: true,
      docs: summaryOf(command) ? [jsDoc(summaryOf(command))] : [],
    });
  }
  return {
    kind: StructureKind.Interface,
    name: "QmpCommands",
    isExported: true,
    docs: [jsDoc("Every command by its wire name: its arguments and its result.")],
    properties,
  };
}

/**
 * Per event a data type, and the `QmpEvents` map that types the runtime's events API:
 * `QmpClient.connect<QmpEvents>(...)`.
 */
function eventTypes(schema: Schema, eventNames: ReadonlyMap<string, string>, typeNames: TypeNames): StatementStructures[] {
  const statements: StatementStructures[] = [];
  const properties: OptionalKind<PropertySignatureStructure>[] = [];
  for (const event of schema.events) {
    const name = eventNames.get(event.name);
    if (name === undefined || properties.some((property) => property.name === JSON.stringify(event.name))) continue;
    const description = paragraphsToText(event.doc?.description ?? []);
    statements.push({
      kind: StructureKind.TypeAlias,
      name,
      isExported: true,
      // The runtime hands out `{}` for an event without data, so the data is always an object.
      type: event.data === undefined ? "{ readonly [key: string]: unknown }" : typeScriptType(event.data.type, typeNames),
      docs: [jsDoc([`The \`data\` of the \`${event.name}\` event.`, description, typeOriginNote(event.data, "its data")].filter((text) => text !== "").join("\n\n"))],
    });
    properties.push({ name: JSON.stringify(event.name), type: name, isReadonly: true, docs: description === "" ? [] : [jsDoc(firstSentence(description))] });
  }
  statements.push(
    {
      kind: StructureKind.Interface,
      name: "QmpEvents",
      isExported: true,
      docs: [
        jsDoc(
          schema.events.length === 0
            ? "Events by name and the type of their data: none are known (no events document was read), so every event is untyped."
            : "Events by name and the type of their data. `QmpClient.connect<QmpEvents>(...)` types `waitForEvent`, `on` and `events` by it; other names stay accepted, untyped.",
        ),
      ],
      properties,
    },
    { kind: StructureKind.TypeAlias, name: "QmpEventName", isExported: true, type: "keyof QmpEvents" },
  );
  return statements;
}

function genericExecute(): StatementStructures[] {
  return [
    {
      kind: StructureKind.TypeAlias,
      name: "QmpCommandName",
      isExported: true,
      type: "keyof QmpCommands",
    },
    {
      kind: StructureKind.Function,
      name: "execute",
      isExported: true,
      typeParameters: [{ name: "K", constraint: "QmpCommandName" }],
      parameters: [
        { name: "qmp", type: "QmpExecutor" },
        { name: "command", type: "K" },
        { name: "args", type: 'QmpCommands[K]["arguments"]' },
        { name: "options", type: "QmpCommandOptions", hasQuestionToken: true },
      ],
      returnType: 'Promise<QmpCommands[K]["result"]>',
      docs: [jsDoc("Sends a command by its wire name, with its typed arguments, validated like the named functions.")],
      // The cast states the map's result type; it also keeps a file with no commands compiling.
      statements: [
        code(
          verbatim(`return call(
  qmp,
  command,
  args,
  (value, validateOptions) => validateArguments(command, value, validateOptions),
  options,
) as Promise<QmpCommands[K]["result"]>;`),
        ),
      ],
    },
  ];
}

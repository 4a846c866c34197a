// Emits validators.ts: per command a validator that answers as QEMU's monitor did, and
// validateArguments(command, args, options) by wire name. The check itself is the runtime's
// (checkArguments in src/runtime/arguments.ts: the QEMU version's classes, integer and null
// rules, QEMU's hash-table order); each validator puts a compiled fast path in front of it that
// accepts the common valid call without allocating, and hands everything else to the check.
import { StructureKind, VariableDeclarationKind, type FunctionDeclarationStructure, type StatementStructures } from "./ts-morph.js";
import { argCodes, argType, type JsonKind } from "../model/codes.js";
import { argumentsSpec, checkedArguments } from "../model/validate.js";
import type { Argument, Command, Schema } from "../model/types.js";
import { NEWEST_HX_QEMU, parseQemuVersion } from "../runtime/arguments.js";
import { namesOf, type CommandNames } from "./names.js";
import { fileBaseName } from "./common.js";
import { jsDoc, typeScriptText } from "./typescript.js";

export interface ValidatorsOptions {
  /** Module the validators import the runtime's check from (default `qmp-hx-runtime`). */
  readonly runtimeImport?: string;
  /** The QEMU whose monitor the validators follow when a call names none (default 2.7.0). */
  readonly qemuVersion?: string;
}

/** `X.Y[.Z]` as `X.Y.Z`; throws RangeError for anything else. */
export function normalizeQemuVersion(version: string): string {
  return parseQemuVersion(version).join(".");
}

export function emitValidators(schema: Schema, names: ReadonlyMap<Command, CommandNames>, options: ValidatorsOptions = {}): string {
  const validators: StatementStructures[] = [];
  const byWireName = new Map<string, string>();
  let fastPaths = 0;
  for (const command of schema.commands) {
    const assigned = namesOf(names, command);
    const validator = commandValidator(command, assigned.validator);
    if (validator.fastPath) fastPaths++;
    validators.push(...validator.statements);
    // The first entry of a wire name is the one QEMU registered first and dispatched to.
    if (!byWireName.has(command.name)) byWireName.set(command.name, assigned.validator);
  }
  const qemuVersion = normalizeQemuVersion(options.qemuVersion ?? NEWEST_HX_QEMU);
  return typeScriptText(`Argument validators for the commands of ${fileBaseName(schema.file)}, as the monitor of QEMU ${qemuVersion} checked them.`, [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: options.runtimeImport ?? "qmp-hx-runtime",
      // Generated code passes noUnusedLocals: with no commands only the dispatcher remains.
      namedImports: [
        ...(schema.commands.length > 0 ? [{ name: "ArgumentsCheck" }] : []),
        { name: "commandNotFound" },
        { name: "ValidateOptions", isTypeOnly: true },
        { name: "ValidationIssue", isTypeOnly: true },
      ],
    },
    {
      kind: StructureKind.ExportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: options.runtimeImport ?? "qmp-hx-runtime",
      namedExports: ["ValidateOptions", "ValidationIssue", "ValidationIssueClass", "ValidationIssueKind"],
    },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: [jsDoc("The QEMU whose monitor these validators follow when a call names no `qemuVersion` (`qmp-hx generate --qemu-version`). Calls through a QmpClient use the version of its greeting.")],
      declarations: [{ name: "targetQemuVersion", initializer: JSON.stringify(qemuVersion) }],
    },
    ...(fastPaths > 0
      ? [
          {
            kind: StructureKind.VariableStatement,
            declarationKind: VariableDeclarationKind.Const,
            declarations: [{ name: "valid", type: "readonly ValidationIssue[]", initializer: "Object.freeze([])" }],
          } satisfies StatementStructures,
        ]
      : []),
    ...validators,
    ...dispatcher(byWireName),
  ]);
}

/** Names Object.prototype has: reading them from a plain object finds the prototype's when the object lacks its own. */
const inheritedNames = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * One command's validator: its args_type as the runtime's check takes it, and a function whose
 * fast path proves a plain object valid (each value read once, typeof and range tests that
 * hold for every QEMU version) and otherwise asks the check, which names every issue.
 */
function commandValidator(command: Command, name: string): { statements: StatementStructures[]; fastPath: boolean } {
  // A name listed twice is one argument to QEMU: the later type, the earlier place.
  const checked = [...new Map(checkedArguments(command).map((arg) => [arg.name, arg])).values()];
  const checkName = `${name}Check`;
  const check: StatementStructures = {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name: checkName, initializer: `new ArgumentsCheck(${JSON.stringify(argumentsSpec(command))})` }],
  };
  const signature: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    name,
    isExported: true,
    parameters: [
      { name: "args", type: "unknown" },
      { name: "options", type: "ValidateOptions", hasQuestionToken: true },
    ],
    returnType: "readonly ValidationIssue[]",
    docs: [jsDoc(`Checks arguments of \`${command.name}\` (args_type \`${command.argsType ?? checked.map((arg) => `${arg.name}:${argType(arg)}`).join(",")}\`${command.argsType === undefined ? ", derived from its docs" : ""}); returns every issue, the first being QEMU's reply.`)],
  };
  const fullCheck = `return ${checkName}.run(args, qemuVersion);`;
  const version = "const qemuVersion = options?.qemuVersion ?? targetQemuVersion;";
  // toJSON would replace the object on the wire; an args_type naming it gets no fast path.
  if (checked.some((arg) => arg.name === "toJSON")) return { statements: [check, { ...signature, statements: [version, fullCheck] }], fastPath: false };

  const mandatory = checked.filter(isMandatoryArgument);
  const reads = checked.map((arg, index) => {
    const key = JSON.stringify(arg.name);
    const read = inheritedNames.has(arg.name) ? `(Object.hasOwn(record, ${key}) ? record[${key}] : undefined)` : `record[${key}]`;
    return `const v${index} = ${read};`;
  });
  // Type tests first, well-formedness (a call each) after: a wrong type fails fast.
  const conditions = [...checked.map((arg, index) => valueCondition(arg, `v${index}`)), ...checked.flatMap((arg, index) => wellFormedCondition(arg, `v${index}`))];
  // Only keys for-in visits are written (a non-enumerable property is not): mandatory ones are counted.
  const fastCases = [
    ...(mandatory.length > 0 ? [`${mandatory.map((arg) => `case ${JSON.stringify(arg.name)}:`).join("\n")}\nmandatorySeen++;\ncontinue;`] : []),
    ...(checked.length > mandatory.length ? [`${checked.filter((arg) => !isMandatoryArgument(arg)).map((arg) => `case ${JSON.stringify(arg.name)}:`).join("\n")}\ncontinue;`] : []),
  ];
  const fastLoop =
    fastCases.length > 0
      ? `for (const key in record) {\nswitch (key) {\n${fastCases.join("\n")}\n}\nonlyKnownKeys = false;\nbreak;\n}`
      : "for (const _key in record) {\nonlyKnownKeys = false;\nbreak;\n}";
  const statements = [
    version,
    "let plain = false;",
    "try {",
    'if (typeof args === "object" && args !== null) {',
    "const record = args as Readonly<Record<string, unknown>>;",
    ...reads,
    // After the reads, V8 knows the object's shape and tests the prototype by it, without a call
    // (before them it calls a builtin). A getter that throws leaves `plain` false.
    "plain = Object.getPrototypeOf(record) === Object.prototype;",
    `if (plain${conditions.map((condition) => ` && ${condition}`).join("")}) {`,
    "let onlyKnownKeys = true;",
    ...(mandatory.length > 0 ? ["let mandatorySeen = 0;"] : []),
    fastLoop,
    `if (onlyKnownKeys${mandatory.length > 0 ? ` && mandatorySeen === ${mandatory.length}` : ""}) return valid;`,
    "}",
    "}",
    "} catch {",
    "// A getter or Proxy threw: the full check reads again and names where.",
    "}",
    `return plain ? ${checkName}.runPlain(args as Readonly<Record<string, unknown>>, qemuVersion) : ${checkName}.run(args, qemuVersion);`,
  ];
  return { statements: [check, { ...signature, statements }], fastPath: true };
}

/** A test of one argument's JSON type that passes only what QEMU of every version accepts. */
function valueCondition(arg: Argument, value: string): string {
  const test = kindTest(argCodes[arg.code].kind, value);
  return isMandatoryArgument(arg) ? test : `(${value} === undefined || ${test})`;
}

/** For a value its type test has proven a string (for `any`, maybe one): no lone surrogate. */
function wellFormedCondition(arg: Argument, value: string): string[] {
  const kind = argCodes[arg.code].kind;
  if (kind !== "string" && kind !== "any") return [];
  const test = `(${value} as string & { isWellFormed(): boolean }).isWellFormed()`;
  if (kind === "any") return [`(typeof ${value} !== "string" || ${test})`];
  return [isMandatoryArgument(arg) ? test : `(${value} === undefined || ${test})`];
}

function isMandatoryArgument(arg: Argument): boolean {
  return !arg.optional && arg.code !== "-" && arg.code !== "O";
}

function kindTest(kind: JsonKind, value: string): string {
  switch (kind) {
    case "string":
      return `typeof ${value} === "string"`;
    case "integer":
      // A digit string within int64: an integer to every QEMU (beyond it, versions differ). A double
      // strictly between -2^63 and 2^63 is written within int64; -(2 ** 63) is written -9223372036854776000.
      return `(typeof ${value} === "number" ? Number.isInteger(${value}) && ${value} > -9223372036854775808 && ${value} < 9223372036854775808 : typeof ${value} === "bigint" && BigInt.asIntN(64, ${value}) === ${value})`;
    case "number":
      return `(typeof ${value} === "number" ? Number.isFinite(${value}) : typeof ${value} === "bigint")`;
    case "boolean":
      return `typeof ${value} === "boolean"`;
    case "any":
      // Only scalars here: null (a syntax error up to 2.3) and nested values take the full check.
      return `(typeof ${value} === "string" || typeof ${value} === "boolean" || typeof ${value} === "bigint" || (typeof ${value} === "number" && Number.isFinite(${value})))`;
  }
}

function dispatcher(byWireName: ReadonlyMap<string, string>): StatementStructures[] {
  const entries = [...byWireName].map(([wireName, validator]) => `[${JSON.stringify(wireName)}, ${validator}]`);
  const validatorType = "(args: unknown, options?: ValidateOptions) => readonly ValidationIssue[]";
  return [
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: "validators", type: `ReadonlyMap<string, ${validatorType}>`, initializer: `new Map<string, ${validatorType}>([${entries.join(", ")}])` }],
    },
    {
      kind: StructureKind.Function,
      name: "validateArguments",
      isExported: true,
      parameters: [
        { name: "command", type: "string" },
        { name: "args", type: "unknown" },
        { name: "options", type: "ValidateOptions", hasQuestionToken: true },
      ],
      returnType: "readonly ValidationIssue[]",
      docs: [jsDoc("Checks the arguments of any command by its wire name; a command the file lacks is QEMU's CommandNotFound.")],
      statements: [
        "const validator = validators.get(command);",
        "return validator === undefined ? [commandNotFound(command, options?.qemuVersion ?? targetQemuVersion)] : validator(args, options);",
      ],
    },
  ];
}

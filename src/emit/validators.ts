// Emits validators.ts: per command a validator that answers as QEMU's monitor did, and
// validateArguments(command, args, options) by wire name. The check itself is the runtime's
// (checkArguments in src/runtime/arguments.ts: the QEMU version's classes, integer and null
// rules, QEMU's hash-table order); each validator puts a compiled fast path in front of it that
// accepts the common valid call without allocating, and a coded path behind it: for a plain
// object it could not pass, a second function codes each argument read (a runtime helper per
// type, in QEMU's walk order, known here) and the check turns the codes into the issues. Only
// what the codes cannot tell (null, integers beyond int64, values JSON does not write as they
// stand, several unknown keys ...) takes the check's full reading.
import { StructureKind, VariableDeclarationKind, type FunctionDeclarationStructure, type StatementStructures } from "./structures.js";
import {
  argumentsHuggingLast,
  arrayLiteral,
  atom,
  binary,
  block,
  callArguments,
  chain,
  code,
  computedMember,
  conditional,
  constBreakingAfterOperator,
  constFluid,
  expression,
  ifStatement,
  statementList,
  stringLiteral,
  verbatim,
  type Expression,
} from "./code-layout.js";
import { group, hardline, indent, join, line, softline, type Doc } from "./layout.js";
import { argCodes, argType, type JsonKind } from "../model/codes.js";
import { argumentsSpec, checkedArguments } from "../model/validate.js";
import type { Argument, Command, Schema } from "../model/types.js";
import { CODED_ARGUMENTS, isMandatoryType, NEWEST_HX_QEMU, parseQemuVersion, qdictWalk } from "../runtime/arguments.js";
import { namesOf, type CommandNames } from "./names.js";
import { fileBaseName } from "./common.js";
import { jsDoc, type TypeScriptModule } from "./typescript.js";

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

export function emitValidators(schema: Schema, names: ReadonlyMap<Command, CommandNames>, options: ValidatorsOptions = {}): TypeScriptModule {
  const validators: StatementStructures[] = [];
  const byWireName = new Map<string, string>();
  let fastPaths = 0;
  const codeHelpers = new Set<string>();
  for (const command of schema.commands) {
    const assigned = namesOf(names, command);
    const validator = commandValidator(command, assigned.validator);
    if (validator.fastPath) fastPaths++;
    for (const helper of validator.codeHelpers) codeHelpers.add(helper);
    validators.push(...validator.statements);
    // The first entry of a wire name is the one QEMU registered first and dispatched to.
    if (!byWireName.has(command.name)) byWireName.set(command.name, assigned.validator);
  }
  const qemuVersion = normalizeQemuVersion(options.qemuVersion ?? NEWEST_HX_QEMU);
  return {
    summary: `Argument validators for the commands of ${fileBaseName(schema.file)}, as the monitor of QEMU ${qemuVersion} checked them.`,
    statements: [
    {
      kind: StructureKind.ImportDeclaration,
      moduleSpecifier: options.runtimeImport ?? "qmp-hx-runtime",
      // Generated code passes noUnusedLocals: with no commands only the dispatcher remains.
      namedImports: [
        ...[...(schema.commands.length > 0 ? ["ArgumentsCheck"] : []), ...codeHelpers, "commandNotFound", "heldKey"].sort().map((name) => ({ name })),
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
      declarations: [{ name: "targetQemuVersion", initializer: code(stringLiteral(qemuVersion), "break-after-operator") }],
    },
    ...(fastPaths > 0
      ? [
          {
            kind: StructureKind.VariableStatement,
            declarationKind: VariableDeclarationKind.Const,
            declarations: [{ name: "valid", type: "readonly ValidationIssue[]", initializer: code("Object.freeze([])") }],
          } satisfies StatementStructures,
        ]
      : []),
    ...validators,
    ...dispatcher(byWireName),
    ],
  };
}

/** Names Object.prototype has: reading them from a plain object finds the prototype's when the object lacks its own. */
const inheritedNames = new Set(Object.getOwnPropertyNames(Object.prototype));

/** What a command's validator statements need at the top of the file. */
interface CommandValidator {
  readonly statements: StatementStructures[];
  readonly fastPath: boolean;
  /** The runtime's value-code helpers its coded path calls. */
  readonly codeHelpers: readonly string[];
}

/**
 * One command's validator: its args_type as the runtime's check takes it, and a function whose
 * fast path proves a plain object valid (each value read once, typeof and range tests that
 * hold for every QEMU version) and otherwise hands the values read to the coded path (up to
 * CODED_ARGUMENTS arguments), or asks the check, which names every issue.
 */
function commandValidator(command: Command, name: string): CommandValidator {
  // A name listed twice is one argument to QEMU: the later type, the earlier place.
  const checked = [...new Map(checkedArguments(command).map((arg) => [arg.name, arg])).values()];
  const checkName = `${name}Check`;
  const spec = argumentsSpec(command);
  const specArray = arrayLiteral(
    spec.map((entry) => arrayLiteral(entry.map(stringLiteral), { isMatrix: false })),
    { isMatrix: spec.length > 1 && spec.every((entry) => entry.length > 1) },
  );
  const check: StatementStructures = {
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name: checkName, initializer: code(["new ArgumentsCheck", spec.length === 0 ? callArguments(["[]"]) : argumentsHuggingLast([], specArray, spec.length > 1)]) }],
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
  const fullCheck: Doc = ["return ", checkName, ".run", callArguments(["args", "options?.qemuVersion ?? targetQemuVersion"]), ";"];
  // toJSON would replace the object on the wire; an args_type naming it gets no fast path.
  if (checked.some((arg) => arg.name === "toJSON")) return { statements: [check, { ...signature, statements: [code(fullCheck)] }], fastPath: false, codeHelpers: [] };

  const mandatory = checked.filter(isMandatoryArgument);
  const reads = checked.map((arg, index) => {
    const key = stringLiteral(arg.name);
    const variable = `v${index}`;
    if (!inheritedNames.has(arg.name)) return constBreakingAfterOperator(variable, computedMember("record", key));
    return constFluid(variable, expression(conditional(atom(["Object.hasOwn", callArguments(["record", key])]), atom(computedMember("record", key)), atom("undefined")), "variable"));
  });
  const conditions = checked.map((arg, index) => valueCondition(arg, `v${index}`));
  // Only keys for-in visits are written (a non-enumerable property is not): mandatory ones are counted.
  const caseLabels = (args: readonly Argument[]): Doc => join(hardline, args.map((arg) => `case ${stringLiteral(arg.name)}:`));
  const optional = checked.filter((arg) => !isMandatoryArgument(arg));
  const fastCases: Doc[] = [
    ...(mandatory.length > 0 ? [[caseLabels(mandatory), indent([hardline, "mandatorySeen++;", hardline, "continue;"])]] : []),
    ...(optional.length > 0 ? [[caseLabels(optional), indent([hardline, "continue;"])]] : []),
  ];
  const fastLoop =
    fastCases.length > 0
      ? ["for (const key in record) ", block([["switch (key) ", block(fastCases)], "onlyKnownKeys = false;", "break;"])]
      : ["for (const _key in record) ", block(["onlyKnownKeys = false;", "break;"])];
  const allKnown = mandatory.length > 0 ? chain("&&", [atom("onlyKnownKeys"), binary(atom("mandatorySeen"), "===", atom(String(mandatory.length)))]) : atom("onlyKnownKeys");
  const fastStatements = [
    "let onlyKnownKeys = true;",
    ...(mandatory.length > 0 ? ["let mandatorySeen = 0;"] : []),
    fastLoop,
    undefined,
    ifStatement(allKnown, "return valid;", false),
  ];
  // Without arguments any key is unknown: the full check names them, no coded path is worth its lines.
  const coded = checked.length > 0 && checked.length <= CODED_ARGUMENTS;
  const issuesName = `${name}Issues`;
  const plainStatements = [
    conditions.length > 0 ? ifStatement(chain("&&", conditions), block(fastStatements), true) : statementList(fastStatements),
    ...(coded ? [["return ", issuesName, callArguments(["record", ...checked.map((_, index) => `v${index}`), "options"]), ";"]] : []),
  ];
  const objectBlock = block([
    "const record = args as Readonly<Record<string, unknown>>;",
    ...reads,
    // After the reads, V8 knows the object's shape and tests the prototype by it, without a call
    // (before them it calls a builtin).
    ifStatement(atom("Object.getPrototypeOf(record) === Object.prototype"), block(plainStatements), true),
  ]);
  const isObject = chain("&&", [typeofIs("args", "object"), binary(atom("args"), "!==", atom("null"))]);
  const body = statementList([
    ["try ", block([ifStatement(isObject, objectBlock, true)]), " catch ", block(["// A getter or Proxy threw: the full check reads again and names where."])],
    undefined,
    fullCheck,
  ]);
  const validator: StatementStructures = { ...signature, statements: [code(body)] };
  if (!coded) return { statements: [check, validator], fastPath: true, codeHelpers: [] };
  const issues = codedPath(checked, issuesName, checkName);
  return { statements: [check, validator, issues.statement], fastPath: true, codeHelpers: issues.helpers };
}

/**
 * The coded path of a validator: the keys for-in gives (a bit each, at the argument's place in
 * QEMU's walk), the one key that is no argument, and a code per argument value; the check makes
 * the issues of them. Arguments are coded in the walk's order, the one the check expects.
 */
function codedPath(checked: readonly Argument[], name: string, checkName: string): { statement: StatementStructures; helpers: string[] } {
  const walk = qdictWalk(checked.map((arg) => arg.name));
  const cases = walk.map((index, place) => [`case ${stringLiteral((checked[index] as Argument).name)}:`, indent([hardline, `seen |= ${place === 0 ? "1" : `1 << ${2 * place}`};`, hardline, "continue;"])]);
  const helpers = walk.map((index) => codeHelper(checked[index] as Argument));
  const codes = walk.map((index, place) => (place === 0 ? `let state = ${helpers[0]}(v${index});` : `state |= ${helpers[place]}(v${index}) << ${2 * place};`));
  const fullCheck: Doc = ["return ", checkName, ".runPlain", callArguments(["record", "qemuVersion"]), ";"];
  const loop = [
    "for (const key in record) ",
    block([
      ["switch (key) ", block(cases)],
      "// A second key that is no argument: the full check.",
      ifStatement(atom("stranger !== undefined"), fullCheck, false),
      "stranger = key;",
      "strangerValue = record[key];",
    ]),
  ];
  const body = statementList([
    "const qemuVersion = options?.qemuVersion ?? targetQemuVersion;",
    "let seen = 0;",
    "let stranger: string | undefined;",
    "let strangerValue: unknown;",
    loop,
    ...codes,
    ["return ", checkName, ".runCoded", callArguments(["record", "state", "seen", "stranger", "strangerValue", "qemuVersion"]), ";"],
  ]);
  return {
    statement: {
      kind: StructureKind.Function,
      name,
      parameters: [{ name: "record", type: "Readonly<Record<string, unknown>>" }, ...checked.map((_, index) => ({ name: `v${index}`, type: "unknown" })), { name: "options", type: "ValidateOptions | undefined" }],
      returnType: "readonly ValidationIssue[]",
      docs: [jsDoc("The issues of a plain object whose arguments the validator above read (`v0` ...) but could not pass at once.")],
      statements: [code(body)],
    },
    helpers: [...new Set(helpers)],
  };
}

/** The runtime's value-code helper for an argument's type. */
function codeHelper(arg: Argument): string {
  switch (argCodes[arg.code].kind) {
    case "string":
      return "stringCode";
    case "integer":
      return "intCode";
    case "number":
      return "numberCode";
    case "boolean":
      return "boolCode";
    case "any":
      return "anyCode";
  }
}

const typeofIs = (value: string, type: string): Expression => binary(atom(`typeof ${value}`), "===", atom(stringLiteral(type)));

/** A test of one argument's JSON type that passes only what QEMU of every version accepts. */
function valueCondition(arg: Argument, value: string): Expression {
  const test = kindTest(argCodes[arg.code].kind, value);
  return whenSent(arg, value, test);
}

/** `test`, which an argument that may be left out also passes by being absent. */
function whenSent(arg: Argument, value: string, test: Expression): Expression {
  return isMandatoryArgument(arg) ? test : chain("||", [binary(atom(value), "===", atom("undefined")), test]);
}

function isMandatoryArgument(arg: Argument): boolean {
  return isMandatoryType(argType(arg));
}

function kindTest(kind: JsonKind, value: string): Expression {
  switch (kind) {
    case "string":
      return typeofIs(value, "string");
    case "integer":
      // A digit string within int64: an integer to every QEMU (beyond it, versions differ). A double
      // strictly between -2^63 and 2^63 is written within int64; -(2 ** 63) is written -9223372036854776000.
      // A bigint takes the coded path (intCode): the test stays short enough for V8 to inline the validator.
      return chain("&&", [typeofIs(value, "number"), atom(`Number.isInteger(${value})`), binary(atom(value), ">", atom("-9223372036854775808")), binary(atom(value), "<", atom("9223372036854775808"))]);
    case "number":
      return conditional(typeofIs(value, "number"), atom(`Number.isFinite(${value})`), typeofIs(value, "bigint"));
    case "boolean":
      return typeofIs(value, "boolean");
    case "any":
      // Only scalars here: null (a syntax error up to 2.3) and nested values take the full check.
      return chain("||", [typeofIs(value, "string"), typeofIs(value, "boolean"), typeofIs(value, "bigint"), chain("&&", [typeofIs(value, "number"), atom(`Number.isFinite(${value})`)])]);
  }
}

function dispatcher(byWireName: ReadonlyMap<string, string>): StatementStructures[] {
  const entries = [...byWireName].map(([wireName, validator]) => arrayLiteral([stringLiteral(wireName), validator], { isMatrix: false }));
  const validatorType = "(args: unknown, options?: ValidateOptions) => readonly ValidationIssue[]";
  const typeArguments = group(["<", indent([softline, join([",", line], ["string", validatorType])]), softline, ">"]);
  const mapArguments = entries.length === 0 ? callArguments(["[]"]) : argumentsHuggingLast([], arrayLiteral(entries, { isMatrix: entries.length > 1 }), entries.length > 1);
  return [
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: "validators", type: `ReadonlyMap<string, ${validatorType}>`, initializer: code(["new Map", typeArguments, mapArguments]) }],
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
        code(
          verbatim(`// QEMU's parser drops a NUL from a name: \`qom-li\\u0000st\` is qom-list.
const validator = validators.get(command) ?? validators.get(heldKey(command));
return validator === undefined
  ? [commandNotFound(command, options?.qemuVersion ?? targetQemuVersion)]
  : validator(args, options);`),
        ),
      ],
    },
  ];
}

// Parse tree -> Schema: preprocessor conditions, entry fields, macro expansion, args_type,
// and attaching each doc block to its command by name.
import { HxError, type Diagnostic, type SourceText } from "../source.js";
import { decodeLiterals, parseArgsType, parseCondition } from "./parse.js";
import type { ConditionNode, DirectiveNode, EntryNode, FieldValueNode, HxFileNode, DocOnlyFileNode, StringNode } from "./parse-tree.js";
import { codeForDocType, isArgCode } from "../../model/codes.js";
import { and, evaluateCondition, not, type BuildSymbols, type ConditionValue } from "./conditions.js";
import { buildDoc, splitDocuments } from "./doc.js";
import { collectNamedValueLists, docItemType, relaxToExamples, resultFromExamples, resultFromReturns, valueList, type NamedValueLists } from "./doc-types.js";
import { executedCommand, exampleRequests, isJsonObject, type JsonObject } from "../../model/examples.js";
import type { Argument, Command, CommandDoc, Condition, DocItem, EntryField, FieldValue, Schema, TypedValue } from "../../model/types.js";
import { argCodes } from "../../model/codes.js";
import { misfit } from "../../model/data-check.js";
import type { Notice } from "../../model/notices.js";

/**
 * `defines` give macro values for names such as `RFQDN_REDHAT "drive_add"`, like a C
 * compiler's -D; with `undefines` they also select the entries of one build: an entry whose
 * #if is known to be false is left out.
 */
export type BuildOptions = BuildSymbols;

export interface BuildResult {
  readonly schema: Schema;
  /** Things the builder noticed that are not errors: the linter reports them. */
  readonly notices: readonly Notice[];
}

/** Preprocessor directives that do not change which entries exist; they are passed over. */
const ignoredDirectives = new Set(["define", "undef", "include", "pragma", "line", "warning"]);

/** A table entry before its doc is attached. */
type TableCommand = Omit<Command, "doc" | "args" | "acceptsUnknownKeys" | "result"> & { readonly args: Argument[] };

/** An #if group being read: the condition of its current branch and what is known of it. */
interface OpenCondition {
  condition: Condition;
  /** The current branch's value for the selected build. */
  value: ConditionValue;
  /** Whether an earlier branch of the group holds: #elif and #else hold only when none did. */
  earlier: ConditionValue;
  /** The expressions of the branches so far, for the `!(...)` of the next one. */
  readonly branches: string[];
  readonly offset: number;
}

export function buildSchema(source: SourceText, tree: HxFileNode, options: BuildOptions = {}): BuildResult {
  const diagnostics: Diagnostic[] = [];
  const notices: Notice[] = [];
  const conditions: OpenCondition[] = [];
  const entries: TableCommand[] = [];
  const leftOut = new Set<TableCommand>();
  const docs: CommandDoc[] = [];

  for (const item of tree.items) {
    switch (item.kind) {
      case "comment":
        break;
      case "directive": {
        const problem = applyDirective(source, conditions, options, item);
        if (problem === "ignored") {
          notices.push({ rule: "ignored-directive", severity: "info", message: `#${item.name} is passed over`, location: source.locate(item.offset) });
        } else if (problem) {
          diagnostics.push(problem);
        }
        break;
      }
      case "entry":
        try {
          const entry = buildEntry(source, item, conditions.map((open) => open.condition), options, notices);
          entries.push(entry);
          if (conditions.some((open) => open.value === 0)) leftOut.add(entry);
        } catch (error) {
          if (!(error instanceof HxError)) throw error;
          diagnostics.push(...error.diagnostics);
        }
        break;
      case "doc":
        for (const lines of splitDocuments(item.lines)) {
          docs.push(buildDoc(source, lines, item.offset, item.end === null));
        }
        break;
    }
  }
  for (const open of conditions) {
    diagnostics.push(source.diagnostic(open.offset, `unterminated ${open.condition.directive}: expected a matching #endif`));
  }
  if (diagnostics.length > 0) throw new HxError(diagnostics);

  return { schema: attachDocs(source.file, "hx", entries, docs, notices, leftOut), notices };
}

/** docs/qmp-commands.txt: every command comes from its doc; arguments from its Arguments list. */
export function buildDocOnlySchema(source: SourceText, tree: DocOnlyFileNode): BuildResult {
  const notices: Notice[] = [];
  const docs = splitDocuments(tree.lines, true).map((lines) => buildDoc(source, lines, lines[0]?.offset ?? 0, false));
  return { schema: attachDocs(source.file, "doc-only", [], docs, notices), notices };
}

function applyDirective(
  source: SourceText,
  open: OpenCondition[],
  symbols: BuildSymbols,
  { name, argument, offset, argumentOffset }: DirectiveNode,
): Diagnostic | "ignored" | undefined {
  const directive = `#${name}${argument ? ` ${argument}` : ""}`;
  const location = source.locate(offset);
  const top = open.at(-1);
  switch (name) {
    case "if":
    case "ifdef":
    case "ifndef": {
      if (argument === "") return source.diagnostic(offset, `${directive} needs a condition`);
      const tested = name === "if" ? argument : `defined(${argument})`;
      const parsed = conditionOf(source, tested, name === "if" ? argumentOffset : argumentOffset - "defined(".length);
      const expression = name === "ifndef" ? `!${tested}` : tested;
      const value = "message" in parsed ? undefined : evaluateCondition(parsed, symbols);
      const holds = name === "ifndef" ? not(value) : value;
      // Opened even when its expression is bad, so that its #endif is not reported too.
      open.push({ condition: { directive, expression, location }, value: holds, earlier: holds, branches: [expression], offset });
      return "message" in parsed ? parsed : undefined;
    }
    case "elif":
    case "else": {
      if (!top) return source.diagnostic(offset, `${directive} without a matching #if`);
      const previous = top.branches.map((branch) => `!(${branch})`).join(" && ");
      if (name === "else") {
        top.condition = { directive, expression: previous, location };
        top.value = not(top.earlier);
        return undefined;
      }
      const parsed = conditionOf(source, argument, argumentOffset);
      if ("message" in parsed) return parsed;
      const value = evaluateCondition(parsed, symbols);
      top.condition = { directive, expression: `${previous} && (${argument})`, location };
      top.value = and(not(top.earlier), value);
      top.earlier = not(and(not(top.earlier), not(value)));
      top.branches.push(argument);
      return undefined;
    }
    case "endif":
      if (!open.pop()) return source.diagnostic(offset, "#endif without a matching #if");
      return undefined;
    default:
      if (ignoredDirectives.has(name)) return "ignored";
      return source.diagnostic(offset, `unknown preprocessor directive '#${name}'`, ["#if", "#ifdef", "#ifndef", "#elif", "#else", "#endif"]);
  }
}

/** An #if expression parsed, or its syntax error located in the file. */
function conditionOf(source: SourceText, expression: string, offset: number): ConditionNode | Diagnostic {
  try {
    return parseCondition(source, expression, offset);
  } catch (error) {
    if (!(error instanceof HxError) || error.diagnostics[0] === undefined) throw error;
    return error.diagnostics[0];
  }
}

function buildEntry(
  source: SourceText,
  node: EntryNode,
  conditions: readonly Condition[],
  options: BuildOptions,
  notices: Notice[],
): TableCommand {
  const diagnostics: Diagnostic[] = [];
  let name: string | undefined;
  let argsType: { value: string; literals: StringNode[] } | undefined;
  const fields: EntryField[] = [];
  const seen = new Set<string>();

  for (const field of node.fields) {
    if (seen.has(field.path)) {
      diagnostics.push(source.diagnostic(field.offset, `duplicate field '.${field.path}' in this entry`));
      continue;
    }
    seen.add(field.path);
    if (field.path === "name") {
      const value = stringValue(source, field.value, options, diagnostics, ".name");
      if (value !== undefined && value === "") diagnostics.push(source.diagnostic(field.value.offset, "empty command name"));
      name = value;
    } else if (field.path === "args_type") {
      const literals = field.value.kind === "concat" ? field.value.parts.filter((part): part is StringNode => part.kind === "string") : [];
      if (field.value.kind !== "concat" || literals.length !== field.value.parts.length) {
        diagnostics.push(source.diagnostic(field.value.offset, "args_type must be one or more string literals"));
      } else {
        argsType = { value: decodeLiterals(literals).value, literals };
      }
    } else {
      fields.push({ name: field.path, value: otherFieldValue(field.value, options), location: source.locate(field.offset) });
    }
  }
  if (!seen.has("name")) diagnostics.push(source.diagnostic(node.offset, "entry has no '.name' field"));
  if (!seen.has("args_type")) {
    notices.push({ rule: "missing-args-type", severity: "warning", message: "entry has no '.args_type': it takes no arguments", location: source.locate(node.offset) });
  }

  const args: Argument[] = [];
  if (argsType) {
    try {
      const seenArgs = new Set<string>();
      for (const item of parseArgsType(source, argsType.literals)) {
        if (!isArgCode(item.code)) throw new Error(`grammar returned unknown args_type code ${item.code}`);
        if (seenArgs.has(item.name)) {
          notices.push({ rule: "duplicate-argument", severity: "error", message: `argument '${item.name}' appears twice in args_type; QEMU used the last`, location: source.locate(item.offset) });
          const earlier = args.findIndex((arg) => arg.name === item.name);
          args.splice(earlier, 1);
        }
        seenArgs.add(item.name);
        args.push({
          name: item.name,
          code: item.code,
          flag: item.flag,
          optional: item.optional,
          source: "args_type",
          location: source.locate(item.offset),
          doc: undefined,
          type: undefined,
        });
      }
    } catch (error) {
      if (!(error instanceof HxError)) throw error;
      diagnostics.push(...error.diagnostics);
    }
  }
  if (diagnostics.length > 0 || name === undefined) throw new HxError(diagnostics);
  return { name, origin: "table", location: source.locate(node.offset), conditions, argsType: argsType?.value ?? "", args, fields };
}

/** The value of a field that must be a string: literals and macros, concatenated. */
function stringValue(source: SourceText, value: FieldValueNode, options: BuildOptions, diagnostics: Diagnostic[], what: string): string | undefined {
  if (value.kind !== "concat") {
    diagnostics.push(source.diagnostic(value.offset, `${what} must be a string`));
    return undefined;
  }
  let text = "";
  for (const part of value.parts) {
    if (part.kind === "string") {
      text += decodeLiterals([part]).value;
      continue;
    }
    const defined = options.defines?.get(part.name);
    if (defined === undefined) {
      diagnostics.push(
        source.diagnostic(part.offset, `macro '${part.name}' is not defined: pass --define ${part.name}=VALUE to give its value`),
      );
      return undefined;
    }
    text += defined;
  }
  return text;
}

function otherFieldValue(value: FieldValueNode, options: BuildOptions): FieldValue {
  if (value.kind === "number") return { kind: "number", value: value.value };
  const [first] = value.parts;
  if (value.parts.length === 1 && first?.kind === "macro" && !options.defines?.has(first.name)) {
    return { kind: "identifier", name: first.name };
  }
  // A string made of literals and macros; an undefined macro stays visible by name.
  const text = value.parts
    .map((part) => (part.kind === "string" ? decodeLiterals([part]).value : (options.defines?.get(part.name) ?? part.name)))
    .join("");
  return { kind: "string", value: text };
}

const commandNamePattern = /^[A-Za-z_][A-Za-z0-9_.+-]*$/;

/**
 * Docs attach by name: the title when it is a command name, else the example's `execute`.
 * Left-out entries (another build's) still claim their docs, so those do not look doc-only.
 */
function attachDocs(
  file: string,
  format: Schema["format"],
  entries: readonly TableCommand[],
  docs: readonly CommandDoc[],
  notices: Notice[],
  leftOut: ReadonlySet<TableCommand> = new Set(),
): Schema {
  const tableNames = new Set(entries.map((entry) => entry.name));
  const docByName = new Map<string, CommandDoc>();
  const docOnlyOrder: string[] = [];
  const otherDocs: CommandDoc[] = [];

  for (const doc of docs) {
    const name = docName(doc, tableNames);
    if (name === undefined) {
      otherDocs.push(doc);
      continue;
    }
    if (docByName.has(name)) {
      notices.push({ rule: "duplicate-doc", severity: "warning", message: `a second doc block for '${name}'; the first one is used`, location: doc.location });
      otherDocs.push(doc);
      continue;
    }
    docByName.set(name, doc);
    if (!tableNames.has(name)) docOnlyOrder.push(name);
  }

  const untyped: Command[] = entries.filter((command) => !leftOut.has(command)).map((command) => withDoc(command, docByName.get(command.name)));
  for (const name of docOnlyOrder) {
    const doc = docByName.get(name);
    if (doc) untyped.push(docOnlyCommand(name, doc, format));
  }
  const named = collectNamedValueLists(docs);
  const commands = untyped.map((command) => withDocTypes(command, named, notices));
  return { file, format, commands, otherDocs, events: [], types: [] };
}

function docName(doc: CommandDoc, tableNames: ReadonlySet<string>): string | undefined {
  const titleIsName = commandNamePattern.test(doc.title);
  if (titleIsName && tableNames.has(doc.title)) return doc.title;
  // `@__com.redhat_change-backing-file` (RHEL) titles a table command that has no example.
  const atName = doc.title.startsWith("@") ? doc.title.slice(1) : undefined;
  if (atName !== undefined && tableNames.has(atName)) return atName;
  const executed = executedCommand(doc);
  if (executed !== undefined && tableNames.has(executed)) return executed;
  if (doc.placeholder) return undefined;
  // An underlined title names its command; a bare one (`dump` in docs/qmp-commands.txt)
  // yields to the command its example executes (`dump-guest-memory`).
  const documentsSomething = doc.examples.length > 0 || doc.arguments !== undefined;
  if (titleIsName && (doc.underline !== undefined || (executed === undefined && documentsSomething))) return doc.title;
  return executed;
}

function withDoc(command: TableCommand, doc: CommandDoc | undefined): Command {
  const items = new Map((doc?.arguments?.items ?? []).flatMap((item) => (item.name === undefined ? [] : [[item.name, item] as const])));
  const args: Argument[] = command.args.map((arg) => ({ ...arg, doc: items.get(arg.name) }));
  const acceptsUnknownKeys = command.args.some((arg) => arg.code === "O");
  if (acceptsUnknownKeys) {
    // An `O` command takes its properties as top-level keys: the ones its doc lists are known.
    const known = new Set(args.map((arg) => arg.name));
    // The doc's own examples are QEMU's evidence: a property one of them leaves out is optional
    // whatever the list says (RHEL 6's __com.redhat_drive_add lists `bps` ... unannotated).
    const examples = exampleArgumentObjects(doc, command.name);
    for (const [name, item] of items) {
      if (known.has(name)) continue;
      // Required when the doc says so (netdev_add's `type` and `id`, device_add's `driver`).
      args.push(documentedArgument(name, item, item.optional || examples.some((example) => !Object.hasOwn(example, name))));
    }
  }
  return { ...command, args, acceptsUnknownKeys, doc, result: undefined };
}

/** The `arguments` objects of a doc's example requests that execute `command`. */
function exampleArgumentObjects(doc: CommandDoc | undefined, command: string): JsonObject[] {
  return doc === undefined ? [] : exampleRequests(doc).flatMap((request) => (request.execute === command && isJsonObject(request.arguments) ? [request.arguments] : []));
}

/** An argument known only from a doc's Arguments item; its code follows the documented type. */
function documentedArgument(name: string, item: DocItem, optional: boolean): Argument {
  return { name, code: codeForDocType(item.type), flag: undefined, optional, source: "doc", location: item.location, doc: item, type: undefined };
}

function docOnlyCommand(name: string, doc: CommandDoc, format: Schema["format"]): Command {
  const derived = format === "doc-only";
  const args: Argument[] = [];
  if (derived) {
    const seen = new Set<string>();
    for (const item of doc.arguments?.items ?? []) {
      if (item.name === undefined || seen.has(item.name)) continue;
      seen.add(item.name);
      args.push(documentedArgument(item.name, item, item.optional));
    }
  }
  return {
    name,
    origin: derived ? "derived-from-docs" : "doc-only",
    location: doc.location,
    conditions: [],
    argsType: undefined,
    args,
    acceptsUnknownKeys: false,
    fields: [],
    doc,
    result: undefined,
  };
}


/**
 * The types the doc gives: the result from Returns (else from the example replies), and
 * arguments narrowed by their documented values or structure where args_type allows it.
 */
function withDocTypes(command: Command, named: NamedValueLists, notices: Notice[]): Command {
  const { doc } = command;
  if (!doc) return command;
  const fromReturns = doc.returns ? resultFromReturns(doc.returns, named) : undefined;
  const result = fromReturns ?? resultFromExamples(doc, command.name);
  const args = command.args.map((arg) => {
    const type = arg.doc ? narrowedType(command, arg, arg.doc, named, notices) : undefined;
    return type === undefined ? arg : { ...arg, type };
  });
  return { ...command, args, result };
}

/**
 * A documented type that narrows what the argument's code accepts: a value list for a string,
 * any documented shape for `q`. Docs never widen the code; a value list on a code that takes
 * no string contradicts args_type, which the linter reports instead of typing it.
 */
function narrowedType(command: Command, arg: Argument, item: DocItem, named: NamedValueLists, notices: Notice[]): TypedValue | undefined {
  const kind = argCodes[arg.code].kind;
  const values = valueList(item);
  if (values !== undefined && kind !== "string" && kind !== "any") {
    notices.push({
      rule: "doc-values-contradict-args-type",
      severity: "warning",
      message: `the doc of '${command.name}' lists values (${values.map((value) => JSON.stringify(value)).join(", ")}) for '${arg.name}', but args_type code '${arg.code}' takes a ${kind}: the client keeps the code's type`,
      location: item.location,
    });
    return undefined;
  }
  const type = docItemType(item, named);
  if (type === undefined) return undefined;
  // `q` takes any value, and so does a documented `O` argument (send-key's `keys:O` up to 2.2).
  const narrows = (kind === "string" && type.kind === "enum") || ((arg.code === "q" || arg.code === "O") && type.kind !== "unknown");
  if (narrows) {
    const examples = exampleArgumentObjects(command.doc, command.name).flatMap((args) => {
      const value = args[arg.name];
      return value === undefined ? [] : [value];
    });
    const relaxed = relaxToExamples(type, examples);
    // The doc's own example is QEMU's evidence: a documented shape it does not fit is wrong (send-key's `keys` up to 2.2).
    const contradiction = examples.map((value) => misfit(relaxed, value, arg.name)).find((found) => found !== undefined);
    if (contradiction === undefined) return { type: relaxed, origin: "docs", location: item.location };
    notices.push({
      rule: "doc-type-contradicts-example",
      severity: "warning",
      message: `the documented shape of '${arg.name}' of '${command.name}' does not fit the doc's own example (${contradiction}): the client keeps args_type's type`,
      location: item.location,
    });
    return undefined;
  }
  return undefined;
}

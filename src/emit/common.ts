// Facts about a command that more than one emitter shows: its TypeScript argument types,
// one-line summary, example arguments and source reference.
import { argCodes } from "../model/codes.js";
import { exampleRequests, isJsonObject, type JsonObject } from "../model/examples.js";
import { validateCommandArguments } from "../model/validate.js";
import { misfit } from "../model/data-check.js";
import { propertyKey } from "./names.js";
import { typeScriptType, type TypeNames } from "./type-text.js";
import type { ArgCode, Argument, Command, DataType, DocItem, FirstAppearance, JsonValue, Paragraph } from "../model/types.js";

/** The TypeScript type of an argument's value: its narrowed type (docs, QAPI) when it has one, else its code's. */
export function argumentType(arg: Argument, typeNames: TypeNames = new Map()): string {
  return typeScriptType(arg.type?.type ?? codeType(arg.code), typeNames);
}

/** What an args_type code accepts, as a DataType. */
function codeType(code: ArgCode): DataType {
  const info = argCodes[code];
  return info.kind === "integer" ? { kind: "integer", int64: info.wide } : info.kind === "any" ? { kind: "unknown" } : { kind: info.kind };
}

/**
 * Arguments that become properties: an `O` argument opens the object and names no key, unless
 * the doc documents it as one (send-key's `keys:O` and migrate-set-capabilities'
 * `capabilities:O` up to 2.2 are the command's real keys).
 */
export function propertyArguments(command: Command): readonly Argument[] {
  return command.args.filter((arg) => arg.code !== "O" || arg.doc !== undefined);
}

export function hasRequiredArguments(command: Command): boolean {
  return propertyArguments(command).some((arg) => !arg.optional);
}

export function takesArguments(command: Command): boolean {
  return command.acceptsUnknownKeys || propertyArguments(command).length > 0;
}

export function isOptional(arg: Argument): boolean {
  return arg.optional || arg.code === "-";
}

/** The JSON type a reader is told: the doc's annotation when present, else the code's. */
export function jsonTypeOf(arg: Argument): string {
  return arg.doc?.type ?? argCodes[arg.code].docType;
}

/**
 * What describes the command: its description; else (query commands that start straight with
 * "Return ...", which opens the Returns section) the Returns section's opening paragraph; else a
 * title written as a sentence ("Show rocker switch").
 */
export function descriptionOf(command: Command): readonly Paragraph[] {
  const doc = command.doc;
  if (!doc) return [];
  if (doc.description.some((paragraph) => paragraph.kind === "text")) return doc.description;
  const opening = doc.returns?.paragraphs[0];
  if (opening?.kind === "text") return [opening];
  if (/\s/.test(doc.title.trim())) return [{ kind: "text", text: doc.title.trim(), location: doc.location }];
  return doc.description;
}

/** The first sentence of the description, on one line. */
export function summaryOf(command: Command): string {
  const first = descriptionOf(command).find((paragraph): paragraph is Extract<Paragraph, { kind: "text" }> => paragraph.kind === "text");
  return first ? firstSentence(first.text) : "";
}

/** The first sentence of a text, on one line. */
export function firstSentence(text: string): string {
  // A paragraph ends a summary even without a full stop ("... KVM acceleration" then "Since: 0.14.0").
  const line = (text.trim().split(/\n\s*\n/)[0] ?? "").replace(/\s+/g, " ").trim();
  return /^(.+?[.!?])(\s|$)/.exec(line)?.[1] ?? line;
}

/** The `arguments` of the command's first example, when that example executes it. */
export function exampleArguments(command: Command): JsonObject | undefined {
  const [first] = command.doc ? exampleRequests(command.doc) : [];
  if (first?.execute !== command.name) return undefined;
  return isJsonObject(first.arguments) ? first.arguments : {};
}

/**
 * Why the doc's example arguments would not pass this client: QEMU's argument check (the
 * validator) or a narrowed argument type. Empty when the example is a working call.
 */
export function exampleProblems(command: Command, example: JsonObject): string[] {
  const problems = validateCommandArguments(command, example).map((issue) => issue.message);
  for (const arg of command.args) {
    const value = example[arg.name];
    const found = arg.type === undefined || value === undefined ? undefined : misfit(arg.type.type, value, arg.name);
    if (found !== undefined) problems.push(found);
  }
  return problems;
}

/** Where a reader finds the command: `file.hx:line`, with the directory left out for stable output. */
export function sourceReference(command: Command): string {
  return `${fileBaseName(command.location.file)}:${command.location.line}`;
}

/** A file's name without its folder: generated text must not depend on where the input lay. */
export function fileBaseName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}

/** The preprocessor condition of a command as one C expression, or undefined. */
export function conditionOf(command: Command): string | undefined {
  if (command.conditions.length === 0) return undefined;
  return command.conditions.map((condition) => condition.expression).join(" && ");
}

/** A plain-text rendering of paragraphs (for JSDoc). */
export function paragraphsToText(paragraphs: readonly Paragraph[]): string {
  return paragraphs
    .map((paragraph) =>
      paragraph.kind === "text" ? paragraph.text : paragraph.items.map((item) => itemToText(item, 0)).join("\n"),
    )
    .join("\n\n");
}

function itemToText(item: DocItem, depth: number): string {
  const name = item.name === undefined ? "" : `${item.quoted ? JSON.stringify(item.name) : item.name}: `;
  const annotation = [item.type, item.optional ? "optional" : undefined, ...item.annotationRest].filter(Boolean).join(", ");
  const line = `${"  ".repeat(depth)}- ${name}${item.text}${annotation ? ` (${annotation})` : ""}`;
  return [line, ...item.children.map((child) => itemToText(child, depth + 1))].join("\n");
}

/** A JSON value as a TypeScript literal: identifier keys bare, spaces as prettier would put them. */
export function typeScriptLiteral(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(typeScriptLiteral).join(", ")}]`;
  if (isJsonObject(value)) {
    const members = Object.entries(value).map(([key, member]) => `${propertyKey(key)}: ${typeScriptLiteral(member)}`);
    return members.length === 0 ? "{}" : `{ ${members.join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** `2.7.0 (version from the file name)`, for the history `generate --history` adds. */
export function firstInText(first: FirstAppearance): string {
  return first.from === "file" ? `${first.version} (no version known: the file)` : `${first.version} (version from ${first.from === "option" ? "--version-of" : "the file name"})`;
}

/** The command's first version and its arguments that came later: `2.5.0 (...); job-id in 2.7.0`. */
export function historyNote(command: Command): string | undefined {
  const first = command.firstIn;
  if (!first) return undefined;
  const later = propertyArguments(command).filter((arg) => arg.firstIn !== undefined && arg.firstIn.version !== first.version);
  const argumentsText = later.map((arg) => `${arg.name} in ${arg.firstIn?.version ?? ""}`).join(", ");
  return `${firstInText(first)}${argumentsText ? `; arguments added later: ${argumentsText}` : ""}`;
}

// TypeScript names for wire names: camelCase functions, PascalCase types, never a reserved
// word, never a clash (after camelCasing `block_resize` and `block-resize` are the same).
import { createHash } from "node:crypto";
import type { Command } from "../model/types.js";

/** Names the generated modules declare themselves. */
const moduleNames = new Set([
  "QmpCommands",
  "QmpCommandName",
  "QmpCommandOptions",
  "QmpExecutor",
  "QmpCallOptions",
  "ValidationError",
  "ValidationIssue",
  "ValidationIssueClass",
  "ValidationIssueKind",
  "ValidateOptions",
  "targetQemuVersion",
  "validateArguments",
  "execute",
  "commandNames",
  "call",
]);

const reservedWords = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "implements interface let package private protected public static yield await async of any boolean number string " +
    "symbol unknown never object undefined arguments eval constructor prototype " +
    // A module that exports `then` is a thenable: `await import()` of it would never settle.
    "then"
  ).split(" "),
);

function words(wireName: string): string[] {
  return wireName.split(/[^A-Za-z0-9]+/).filter((word) => word !== "");
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function camelCase(wireName: string): string {
  const [first = "command", ...rest] = words(wireName);
  const name = first.charAt(0).toLowerCase() + first.slice(1) + rest.map(capitalize).join("");
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

export interface CommandNames {
  /** The client function: `blockdevBackup`. */
  readonly function: string;
  /** The arguments interface: `BlockdevBackupArguments`. */
  readonly arguments: string;
  /** The validator: `validateBlockdevBackupArguments`. */
  readonly validator: string;
}

/**
 * Names for every command, stable for a given model: commands keep their camelCased name in
 * model order, and a later command whose name is taken gets `_2`, `_3`, ...
 */
export function assignNames(commands: readonly Command[]): ReadonlyMap<Command, CommandNames> {
  const taken = new Set<string>();
  const names = new Map<Command, CommandNames>();
  for (const command of commands) {
    const base = camelCase(command.name);
    let candidate = base;
    for (let suffix = 2; isTaken(candidate); suffix++) candidate = `${base}_${suffix}`;
    const pascal = capitalize(candidate);
    const assigned = { function: candidate, arguments: `${pascal}Arguments`, validator: `validate${pascal}Arguments` };
    for (const name of Object.values(assigned)) taken.add(name.toLowerCase());
    names.set(command, assigned);
  }
  return names;

  function isTaken(candidate: string): boolean {
    const pascal = capitalize(candidate);
    return [candidate, `${pascal}Arguments`, `validate${pascal}Arguments`].some(
      (name) => taken.has(name.toLowerCase()) || reservedWords.has(name) || moduleNames.has(name),
    );
  }
}

/** The names assigned to a command (assignNames covers every command of the schema). */
export function namesOf(names: ReadonlyMap<Command, CommandNames>, command: Command): CommandNames {
  const assigned = names.get(command);
  if (!assigned) throw new Error(`no names assigned to ${command.name}`);
  return assigned;
}

/** A property key as TypeScript writes it: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** Names no page may take: the docs index and source listing, and device names that Windows cannot create. */
const reservedPageNames = new Set(["index", "sources", "con", "prn", "aux", "nul", ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((digit) => [`com${digit}`, `lpt${digit}`])]);

/** Longer names are cut and told apart by a hash: file names are limited to 255 bytes. */
const maxPageBaseLength = 100;

/**
 * Page file names by command: the wire name, made safe for file systems, distinct (also where
 * case is not), never the docs index's, and short enough; stable for a given model.
 */
export function docPageNames(commands: readonly Command[]): ReadonlyMap<Command, string> {
  const pages = new Map<Command, string>();
  const taken = new Set<string>();
  for (const command of commands) {
    let base = command.name.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^\.+/, "_") || "command";
    if (base.length > maxPageBaseLength) base = `${base.slice(0, maxPageBaseLength - 9)}-${createHash("sha256").update(command.name).digest("hex").slice(0, 8)}`;
    let candidate = base;
    for (let suffix = 2; taken.has(candidate.toLowerCase()) || reservedPageNames.has(candidate.toLowerCase()); suffix++) candidate = `${base}-${suffix}`;
    taken.add(candidate.toLowerCase());
    pages.set(command, `${candidate}.md`);
  }
  return pages;
}

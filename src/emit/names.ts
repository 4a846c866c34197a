// TypeScript names for wire names: camelCase functions, PascalCase types, never a reserved
// word, never a clash (after camelCasing `block_resize` and `block-resize` are the same).
import { createHash } from "node:crypto";
import type { Command, Schema } from "../model/types.js";

/** Names the generated modules declare themselves. */
const moduleNames = new Set([
  "QmpCommands",
  "QmpCommandName",
  "QmpCommandOptions",
  "QmpEvents",
  "QmpEventName",
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
  /** The result type: `QueryStatusResult`. */
  readonly result: string;
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
    const assigned = { function: candidate, arguments: `${pascal}Arguments`, validator: `validate${pascal}Arguments`, result: `${pascal}Result` };
    for (const name of Object.values(assigned)) taken.add(name.toLowerCase());
    names.set(command, assigned);
  }
  return names;

  function isTaken(candidate: string): boolean {
    const pascal = capitalize(candidate);
    return [candidate, `${pascal}Arguments`, `validate${pascal}Arguments`, `${pascal}Result`].some(
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

export interface TypeNameAssignment {
  /** Schema.types by QAPI name. */
  readonly types: ReadonlyMap<string, string>;
  /** The data type of each event, by event name: `BLOCK_JOB_COMPLETED` -> `BlockJobCompletedEventData`. */
  readonly events: ReadonlyMap<string, string>;
}

/**
 * Names for the named types and event data types, after the commands' names: PascalCase, never
 * a name a command, the module or TypeScript already uses, `_2` ... on a clash.
 */
export function assignTypeNames(schema: Pick<Schema, "types" | "events">, commandNames: ReadonlyMap<Command, CommandNames>): TypeNameAssignment {
  const taken = new Set<string>();
  for (const assigned of commandNames.values()) for (const name of Object.values(assigned)) taken.add(name.toLowerCase());
  const claim = (base: string): string => {
    let candidate = base;
    for (let suffix = 2; taken.has(candidate.toLowerCase()) || reservedWords.has(candidate) || moduleNames.has(candidate); suffix++) candidate = `${base}_${suffix}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  };
  const types = new Map<string, string>();
  for (const type of schema.types) if (!types.has(type.name)) types.set(type.name, claim(pascalCase(type.name) || "Type"));
  const events = new Map<string, string>();
  for (const event of schema.events) {
    if (events.has(event.name)) continue;
    // SCREAMING_CASE words read as words: BLOCK_JOB_COMPLETED -> BlockJobCompleted.
    const readable = words(event.name).map((word) => (word === word.toUpperCase() ? word.toLowerCase() : word)).join("_");
    events.set(event.name, claim(`${pascalCase(readable) || "Event"}EventData`));
  }
  return { types, events };
}

/** `BlockdevOnError` stays, `q_obj_foo-arg` becomes `QObjFooArg`; a leading digit gets `_`. */
function pascalCase(name: string): string {
  const joined = words(name).map(capitalize).join("");
  return /^[0-9]/.test(joined) ? `_${joined}` : joined;
}

/** Names no page may take: the docs index and source listing, and device names that Windows cannot create. */
const reservedPageNames = new Set(["index", "sources", "events", "types", "con", "prn", "aux", "nul", ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((digit) => [`com${digit}`, `lpt${digit}`])]);

/** Longer names are cut and told apart by a hash: file names are limited to 255 bytes. */
const maxPageBaseLength = 100;

/** Page file names by command: the wire name made safe; see uniquePageNames. */
export function docPageNames(commands: readonly Command[]): ReadonlyMap<Command, string> {
  return uniquePageNames(commands, (command) => command.name);
}

/**
 * `NAME.md` per item in one folder: made safe for file systems, distinct (also where case is
 * not), never a reserved name, and short enough; stable for a given model.
 */
export function uniquePageNames<T>(items: readonly T[], nameOf: (item: T) => string): Map<T, string> {
  const pages = new Map<T, string>();
  const taken = new Set<string>();
  for (const item of items) {
    const name = nameOf(item);
    let base = name.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^\.+/, "_") || "page";
    if (base.length > maxPageBaseLength) base = `${base.slice(0, maxPageBaseLength - 9)}-${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
    let candidate = base;
    for (let suffix = 2; taken.has(candidate.toLowerCase()) || reservedPageNames.has(candidate.toLowerCase()); suffix++) candidate = `${base}-${suffix}`;
    taken.add(candidate.toLowerCase());
    pages.set(item, `${candidate}.md`);
  }
  return pages;
}

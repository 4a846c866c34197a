// `diffSchemas(old, new)`: every change between two models, classified for a client written
// against the old one. Commands pair by wire name (a rename is a removal and an addition);
// arguments by name. What each args_type code accepted comes from model/codes.ts.
import { argCodes, argsTypeItem } from "../../model/codes.js";
import type { Argument, Command, CommandDoc, Event, Schema } from "../../model/types.js";
import { conditionOf, isOptional, propertyArguments } from "../../emit/common.js";
import type { Change, ChangeLevel, DiffReport, SideInfo } from "./change.js";
import { compareDataTypes, lookupIn, type Direction } from "./data-types.js";

/** What to compare; `drift` turns off what a running QEMU cannot tell. All default to true. */
export interface DiffAspects {
  readonly arguments?: boolean;
  /** `args_type`: any code change (i -> l too); `json-type`: only a change of the JSON type checked (a live QEMU has no codes). */
  readonly argumentCodes?: "args_type" | "json-type";
  /** `O` gained or lost; a live QEMU cannot tell (commands with `gen: false` take options introspection does not list). */
  readonly openKeys?: boolean;
  readonly conditions?: boolean;
  readonly handlers?: boolean;
  readonly docs?: boolean;
  readonly results?: boolean;
  /** Compared when both sides have events (a side without any read none). */
  readonly events?: boolean;
}

export interface DiffOptions {
  readonly mode?: "diff" | "drift";
  readonly old?: SideInfo;
  readonly new?: SideInfo;
  readonly compare?: DiffAspects;
}

export function diffSchemas(oldSchema: Schema, newSchema: Schema, options: DiffOptions = {}): DiffReport {
  const aspects: Required<DiffAspects> = { arguments: true, argumentCodes: "args_type", openKeys: true, conditions: true, handlers: true, docs: true, results: true, events: true, ...options.compare };
  const lookups = { old: lookupIn(oldSchema.types), new: lookupIn(newSchema.types) };
  const changes: Change[] = [];
  const oldCommands = firstByName(oldSchema.commands);
  const newCommands = firstByName(newSchema.commands);

  for (const [name, command] of newCommands) {
    const before = oldCommands.get(name);
    if (!before) changes.push({ level: "compatible", kind: "command-added", subject: "command", name, message: "command added", new: command.location });
    else changes.push(...compareCommands(before, command, aspects, lookups, oldSchema, newSchema));
  }
  for (const [name, command] of oldCommands) {
    if (!newCommands.has(name)) changes.push({ level: "breaking", kind: "command-removed", subject: "command", name, message: "command removed", old: command.location });
  }
  if (aspects.events && oldSchema.events.length > 0 && newSchema.events.length > 0) changes.push(...compareEvents(oldSchema.events, newSchema.events, lookups));

  return {
    mode: options.mode ?? "diff",
    old: options.old ?? { label: oldSchema.file, version: undefined },
    new: options.new ?? { label: newSchema.file, version: undefined },
    changes,
  };
}

/** One entry per wire name: the first (a name under two #if branches is one command on the wire). */
function firstByName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  const byName = new Map<string, T>();
  for (const item of items) if (!byName.has(item.name)) byName.set(item.name, item);
  return byName;
}

type Lookups = Parameters<typeof compareDataTypes>[3];

function compareCommands(before: Command, after: Command, aspects: Required<DiffAspects>, lookups: Lookups, oldSchema: Schema, newSchema: Schema): Change[] {
  const changes: Change[] = [];
  const at = { subject: "command", name: after.name, old: before.location, new: after.location } as const;
  const add = (level: ChangeLevel, kind: Change["kind"], message: string, extra: Partial<Change> = {}): void => {
    changes.push({ level, kind, ...at, ...extra, message });
  };

  if (aspects.arguments) {
    compareArguments(before, after, aspects, lookups, add);
    if (aspects.openKeys && before.acceptsUnknownKeys !== after.acceptsUnknownKeys) {
      if (after.acceptsUnknownKeys) add("compatible", "open-keys", "now accepts further properties (O in args_type)");
      else add("breaking", "open-keys", "no longer accepts further properties (O removed from args_type): calls passing them are rejected");
    }
  }
  // A file without a table (docs/qmp-commands.txt) has no #if lines: it says nothing about them.
  if (aspects.conditions && before.origin === "table" && after.origin === "table") {
    const [was, now] = [conditionsOf(oldSchema, before.name), conditionsOf(newSchema, after.name)];
    if (was !== now) {
      if (now === undefined) add("compatible", "condition", `no longer conditional (was #if ${was})`);
      else add("breaking", "condition", `now only where #if ${now}${was === undefined ? "" : ` (was #if ${was})`}: absent from other builds`);
    }
  }
  if (aspects.handlers) {
    const [was, now] = [handlerOf(before), handlerOf(after)];
    // A file without handlers at all (the last .hx dropped .mhandler) says nothing about them.
    if (was !== undefined && now !== undefined && was !== now) add("compatible", "handler", `handler ${was} -> ${now}`);
  }
  if (aspects.results && before.result && after.result) {
    for (const change of compareDataTypes(before.result.type, after.result.type, "output", lookups)) {
      add(change.level, "result-type", `result${change.path}: ${change.message}`, { path: `return${change.path}` });
    }
  }
  if (aspects.docs && before.doc && after.doc) {
    const sections = changedDocSections(before.doc, after.doc);
    if (sections.length > 0) add("docs", "docs", `docs changed: ${sections.join(", ")}`);
  }
  return changes;
}

type AddChange = (level: ChangeLevel, kind: Change["kind"], message: string, extra?: Partial<Change>) => void;

function compareArguments(before: Command, after: Command, aspects: Required<DiffAspects>, lookups: Lookups, add: AddChange): void {
  // A code derived from a doc's JSON type says no more than that type.
  const byJsonType = aspects.argumentCodes === "json-type" || before.origin === "derived-from-docs" || after.origin === "derived-from-docs";
  const oldArgs = propertyArguments(before);
  const newArgs = propertyArguments(after);
  for (const arg of oldArgs) {
    const next = newArgs.find((candidate) => candidate.name === arg.name);
    const extra = { argument: arg.name };
    // A property only an O command's doc lists was never checked by the monitor.
    const checked = isChecked(before, arg) || (next !== undefined && isChecked(after, next));
    const level = (wire: ChangeLevel): ChangeLevel => (checked ? wire : "docs");
    if (!next) {
      // Without openKeys, the new side cannot say: an O command is taken to have stayed open.
      const stillOpen = after.acceptsUnknownKeys || (!aspects.openKeys && before.acceptsUnknownKeys);
      if (stillOpen) add(level("compatible"), "argument-removed", `argument '${arg.name}' removed; still passed on as a further property (O)`, extra);
      else add(level("breaking"), "argument-removed", `argument '${arg.name}' removed: calls passing it are rejected (Invalid parameter)`, extra);
      continue;
    }
    if (isOptional(arg) !== isOptional(next)) {
      if (isOptional(next)) add(level("compatible"), "argument-optional", `argument '${arg.name}' now optional`, extra);
      else add(level("breaking"), "argument-required", `argument '${arg.name}' now required: calls without it are rejected (Parameter is missing)`, extra);
    }
    const codeChanged = byJsonType ? argCodes[arg.code].kind !== argCodes[next.code].kind : arg.code !== next.code || arg.flag !== next.flag;
    if (codeChanged) add(level(codeChangeLevel(arg, next)), "argument-code", codeChangeMessage(arg, next), extra);
    if (arg.type && next.type) {
      for (const change of compareDataTypes(arg.type.type, next.type.type, "input", lookups)) {
        add(level(change.level), "argument-type", `argument '${arg.name}'${change.path}: ${change.message}`, { ...extra, path: `${arg.name}${change.path}` });
      }
    }
  }
  for (const arg of newArgs) {
    if (oldArgs.some((candidate) => candidate.name === arg.name)) continue;
    const extra = { argument: arg.name };
    const level = (wire: ChangeLevel): ChangeLevel => (isChecked(after, arg) ? wire : "docs");
    if (isOptional(arg)) add(level("compatible"), "argument-added", `argument '${arg.name}' added, optional (${argsTypeItem(arg)})`, extra);
    else add(level("breaking"), "argument-added", `argument '${arg.name}' added, required (${argsTypeItem(arg)}): calls without it are rejected`, extra);
  }
}

/** Whether QEMU's monitor checked the argument: from args_type, or a doc-only file's only source. */
function isChecked(command: Command, arg: Argument): boolean {
  return arg.source === "args_type" || command.origin === "derived-from-docs";
}

/** A call that passed the old code's check still passes the new one: the JSON type it accepts did not narrow. */
export function codeChangeLevel(before: Argument, after: Argument): ChangeLevel {
  const was = argCodes[before.code].kind;
  const now = argCodes[after.code].kind;
  return now === "any" || now === was || (was === "integer" && now === "number") ? "compatible" : "breaking";
}

function codeChangeMessage(before: Argument, after: Argument): string {
  const [was, now] = [argCodes[before.code], argCodes[after.code]];
  const change = `argument '${before.name}' args_type ${argsTypeItem(before)} -> ${argsTypeItem(after)} (${was.meaning} -> ${now.meaning})`;
  if (codeChangeLevel(before, after) === "breaking") return `${change}: a JSON ${was.kind} is now rejected${now.expected ? ` (expected: ${now.expected})` : ""}`;
  return was.kind === now.kind ? `${change}: the same JSON ${now.kind} on the wire` : `${change}: accepts more than before`;
}

/** Conditions of every entry with this name, or undefined when one of them is unconditional. */
function conditionsOf(schema: Schema, name: string): string | undefined {
  const entries = schema.commands.filter((command) => command.name === name).map(conditionOf);
  if (entries.some((condition) => condition === undefined)) return undefined;
  return entries.length === 1 ? entries[0] : entries.map((condition) => `(${condition ?? ""})`).join(" || ");
}

/** `cmd_new = qmp_marshal_query_status`, or undefined for an entry without a handler field. */
function handlerOf(command: Command): string | undefined {
  const handlers = command.fields.filter((field) => field.name.startsWith("mhandler."));
  if (handlers.length === 0) return undefined;
  return handlers
    .map((field) => `${field.name.slice("mhandler.".length)} = ${field.value.kind === "identifier" ? field.value.name : JSON.stringify(field.value.value)}`)
    .join(", ");
}

const docSections = ["title", "description", "arguments", "returns", "examples", "notes", "since"] as const;

/** The doc sections whose content differs, locations aside. */
export function changedDocSections(before: CommandDoc, after: CommandDoc): string[] {
  return docSections.filter((section) => !equalApartFromLocations(before[section], after[section]));
}

/** Deep equality of plain data, ignoring `location` keys (lines move with unrelated edits). */
function equalApartFromLocations(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Readonly<Record<string, unknown>>;
  const right = b as Readonly<Record<string, unknown>>;
  const keys = Object.keys(left).filter((key) => key !== "location");
  if (keys.length !== Object.keys(right).filter((key) => key !== "location").length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && equalApartFromLocations(left[key], right[key]));
}

function compareEvents(before: readonly Event[], after: readonly Event[], lookups: Lookups): Change[] {
  const changes: Change[] = [];
  const oldEvents = firstByName(before);
  const newEvents = firstByName(after);
  for (const [name, event] of newEvents) {
    const was = oldEvents.get(name);
    const at = { subject: "event", name, new: event.location } as const;
    if (!was) {
      changes.push({ ...at, level: "compatible", kind: "event-added", message: "event added" });
      continue;
    }
    if (was.data && event.data) {
      const direction: Direction = "output";
      for (const change of compareDataTypes(was.data.type, event.data.type, direction, lookups)) {
        changes.push({ ...at, old: was.location, level: change.level, kind: "event-data", path: `data${change.path}`, message: `data${change.path}: ${change.message}` });
      }
    }
  }
  for (const [name, event] of oldEvents) {
    if (!newEvents.has(name)) changes.push({ subject: "event", name, old: event.location, level: "breaking", kind: "event-removed", message: "event removed: a client waiting for it waits forever" });
  }
  return changes;
}

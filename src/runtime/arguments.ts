// QEMU's monitor argument check (monitor.c qmp_check_client_args, the .hx era: 0.14 to 2.7) for
// one target QEMU version, applied to the JSON the client will send. The facts per version
// (verified on the 1.1.0 and 2.7.0 binaries, see README.md "What the validators promise"):
// - classes: up to 1.1 MissingParameter/InvalidParameter/InvalidParameterType/
//   QMPBadInputObjectMember/JSONParsing with `data`; from 1.2 GenericError without `data`;
// - integers: a number with a fraction or exponent is a float; a digit string beyond int64
//   saturates and passes up to 1.5, is a float (rejected by `i l M o`) from 1.6;
// - null: up to 2.3 the parser knows no `null`: the whole command is "Invalid JSON syntax";
// - order: QEMU reports one error: the first mandatory argument missing, then the first bad
//   key, each walk in the order of its QDict hash table (tdb_hash % 512, buckets ascending,
//   the key inserted last first within a bucket). Every issue is reported here, in that order,
//   so the first is QEMU's reply.
import { ValidationError } from "./errors.js";
import { type JsonObject, type JsonValue, JsonEncodeError, toJsonValue } from "./json.js";

/** A QEMU version: `"2.7"`, `"1.1.0"`, or the `qemu` member of the QMP greeting's version. */
export type QemuVersionLike = string | { readonly major: number; readonly minor: number; readonly micro?: number };

export interface ValidateOptions {
  /** The QEMU whose monitor the check follows (default: the version the validators were generated for). */
  readonly qemuVersion?: QemuVersionLike | undefined;
}

/** The newest monitor that read a qmp-commands.hx table: the default target. */
export const NEWEST_HX_QEMU = "2.7.0";

/**
 * QEMU's error classes for bad arguments (those up to 1.1, and GenericError from 1.2), and
 * `Unencodable` for a value that cannot be written as JSON at all (nothing is sent).
 */
export type ValidationIssueClass =
  | "GenericError"
  | "MissingParameter"
  | "InvalidParameter"
  | "InvalidParameterType"
  | "QMPBadInputObjectMember"
  | "JSONParsing"
  | "CommandNotFound"
  | "Unencodable";

/** What is wrong, independent of the version's error class. */
export type ValidationIssueKind = "missing" | "unknown" | "wrong-type" | "not-object" | "json-syntax" | "command-not-found" | "unencodable";

export interface ValidationIssue {
  /** `arguments` for the object itself, `arguments.NAME`, deeper `arguments.NAME[0].key`; `execute` for the command. */
  readonly path: string;
  readonly kind: ValidationIssueKind;
  /** The error class QEMU replies with for this issue (at the target version). */
  readonly class: ValidationIssueClass;
  /** QEMU's own text (its `desc`), or why the value cannot be sent. */
  readonly message: string;
  /** The `data` member of QEMU's error (up to 1.1 only). */
  readonly data?: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------
// Versions

interface Monitor {
  /** Up to 1.1: the classes with `data`. */
  readonly legacyClasses: boolean;
  /** Up to 1.5: digit strings beyond int64 saturate and pass as integers. */
  readonly saturatesIntegers: boolean;
  /** Up to 2.3: `null` is a JSON syntax error. */
  readonly nullIsSyntaxError: boolean;
}

const monitors = new Map<string, Monitor>();

function monitorOf(version: QemuVersionLike): Monitor {
  const key = typeof version === "string" ? version : `${version.major}.${version.minor}.${version.micro ?? 0}`;
  let monitor = monitors.get(key);
  if (monitor === undefined) {
    const [major, minor] = typeof version === "string" ? parseQemuVersion(version) : [version.major, version.minor];
    const before = (x: number, y: number): boolean => major < x || (major === x && minor < y);
    monitor = { legacyClasses: before(1, 2), saturatesIntegers: before(1, 6), nullIsSyntaxError: before(2, 4) };
    monitors.set(key, monitor);
  }
  return monitor;
}

/** `X.Y` or `X.Y.Z` as numbers; throws RangeError for anything else. */
export function parseQemuVersion(text: string): [major: number, minor: number, micro: number] {
  const match = /^(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?$/.exec(text);
  if (!match) throw new RangeError(`QEMU version '${text}': expected X.Y or X.Y.Z, e.g. 2.7 or 1.1.0`);
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

// ---------------------------------------------------------------------------------------
// QEMU's QDict order

const utf8 = new TextEncoder();

/** QEMU's tdb_hash (qobject/qdict.c) of a key's UTF-8 bytes, in 32-bit unsigned arithmetic. */
export function tdbHash(key: string): number {
  const bytes = utf8.encode(key);
  // strlen: a NUL ends the C string.
  let length = bytes.indexOf(0);
  if (length === -1) length = bytes.length;
  let value = Math.imul(0x238f13af, length) >>> 0;
  for (let i = 0; i < length; i++) value = (value + (((bytes[i] ?? 0) << ((i * 5) % 24)) >>> 0)) >>> 0;
  return (Math.imul(1103515243, value) + 12345) >>> 0;
}

/** A key's bucket in a QDict (512 buckets). A walk goes bucket by bucket, the later-inserted key first. */
export function qdictBucket(key: string): number {
  return tdbHash(key) % 512;
}

/** Sorts entries into QDict walk order: bucket ascending, then inserted later first. */
function inWalkOrder<T extends { readonly bucket: number; readonly index: number }>(entries: T[]): T[] {
  return entries.sort((a, b) => a.bucket - b.bucket || b.index - a.index);
}

// ---------------------------------------------------------------------------------------
// Commands

/**
 * A command's arguments as its args_type lists them, in order: `[name, type]` with QEMU's type
 * string (`s`, `i?`, `-f`, `O`, `q?` ...). Generated validators and the model both build one.
 */
export type ArgumentsSpec = readonly (readonly [name: string, type: string])[];

type Expected = "string" | "int" | "number" | "bool";

interface KnownArgument {
  readonly expected: Expected | undefined;
  readonly bucket: number;
}

interface CommandCheck {
  readonly known: ReadonlyMap<string, KnownArgument>;
  /** Mandatory names in QEMU's walk order. */
  readonly mandatory: readonly string[];
  readonly acceptsUnknownKeys: boolean;
}

const checks = new WeakMap<ArgumentsSpec, CommandCheck>();

function commandCheck(spec: ArgumentsSpec): CommandCheck {
  let check = checks.get(spec);
  if (check !== undefined) return check;
  // qdict_from_args_type: a name seen again keeps its place and takes the later type.
  const types = new Map<string, { type: string; index: number }>();
  spec.forEach(([name, type], index) => {
    const seen = types.get(name);
    types.set(name, { type, index: seen?.index ?? index });
  });
  const known = new Map<string, KnownArgument>();
  const mandatory: { name: string; bucket: number; index: number }[] = [];
  let acceptsUnknownKeys = false;
  for (const [name, { type, index }] of types) {
    const bucket = qdictBucket(name);
    known.set(name, { expected: expectedFor(type.charAt(0)), bucket });
    if (type.startsWith("O")) acceptsUnknownKeys = true;
    else if (!type.startsWith("-") && type.charAt(1) !== "?") mandatory.push({ name, bucket, index });
  }
  check = { known, mandatory: inWalkOrder(mandatory).map((entry) => entry.name), acceptsUnknownKeys };
  checks.set(spec, check);
  return check;
}

/** check_client_args_type: the JSON type each code wants, by the word its error names. */
function expectedFor(code: string): Expected | undefined {
  switch (code) {
    case "s":
    case "F":
    case "B":
      return "string";
    case "i":
    case "l":
    case "M":
    case "o":
      return "int";
    case "T":
    case "f":
      return "number";
    case "b":
    case "-":
      return "bool";
    default:
      return undefined; // q, O: any value
  }
}

function isInt64(value: bigint): boolean {
  return BigInt.asIntN(64, value) === value;
}

/** Whether a JSON value, as QEMU's parser of that version reads its text, passes a code's type check. */
function fits(expected: Expected, value: JsonValue, monitor: Monitor): boolean {
  switch (expected) {
    case "string":
      return typeof value === "string";
    case "bool":
      return typeof value === "boolean";
    case "number":
      return typeof value === "number" || typeof value === "bigint";
    case "int":
      // Written as a digit string (no fraction, below 1e21 so no exponent); within int64 or saturated.
      if (typeof value === "bigint") return monitor.saturatesIntegers || isInt64(value);
      if (typeof value !== "number" || !Number.isInteger(value) || Math.abs(value) >= 1e21) return false;
      if (monitor.saturatesIntegers || Number.isSafeInteger(value)) return true;
      // Judge the digits written, not the double: -(2 ** 63) is written -9223372036854776000.
      return isInt64(BigInt(String(value)));
  }
}

// ---------------------------------------------------------------------------------------
// Issues

function issue(kind: ValidationIssueKind, path: string, message: string, monitor: Monitor, legacyClass: ValidationIssueClass, data: Readonly<Record<string, string>>): ValidationIssue {
  if (!monitor.legacyClasses) return { path, kind, class: kind === "command-not-found" ? "CommandNotFound" : "GenericError", message };
  return { path, kind, class: legacyClass, message, data };
}

const issueFor = {
  missing: (name: string, monitor: Monitor): ValidationIssue =>
    issue("missing", `arguments.${name}`, `Parameter '${name}' is missing`, monitor, "MissingParameter", { name }),
  unknown: (name: string, monitor: Monitor): ValidationIssue =>
    issue("unknown", `arguments.${name}`, `Invalid parameter '${name}'`, monitor, "InvalidParameter", { name }),
  wrongType: (name: string, expected: Expected, monitor: Monitor): ValidationIssue =>
    issue("wrong-type", `arguments.${name}`, `Invalid parameter type for '${name}', expected: ${expected}`, monitor, "InvalidParameterType", { name, expected }),
  notObject: (monitor: Monitor): ValidationIssue =>
    issue("not-object", "arguments", "QMP input object member 'arguments' expects 'object'", monitor, "QMPBadInputObjectMember", { member: "arguments", expected: "object" }),
  jsonSyntax: (path: string, monitor: Monitor): ValidationIssue => issue("json-syntax", path, "Invalid JSON syntax", monitor, "JSONParsing", {}),
  commandNotFound: (command: string, monitor: Monitor): ValidationIssue =>
    issue("command-not-found", "execute", `The command ${command} has not been found`, monitor, "CommandNotFound", { name: command }),
};

/** The one issue of a command the target QEMU does not have. */
export function commandNotFound(command: string, qemuVersion: QemuVersionLike = NEWEST_HX_QEMU): ValidationIssue {
  return issueFor.commandNotFound(command, monitorOf(qemuVersion));
}

const noIssues: readonly ValidationIssue[] = Object.freeze([]);

/**
 * Every issue QEMU's monitor of `qemuVersion` would find with `args` as the client sends them,
 * in its order: the first is the error QEMU replies with. Never throws: a value that cannot be
 * sent (NaN, a lone surrogate, a cycle, a getter that throws) is one `unencodable` issue.
 */
export function checkArguments(spec: ArgumentsSpec, args: unknown, qemuVersion: QemuVersionLike = NEWEST_HX_QEMU): readonly ValidationIssue[] {
  const monitor = monitorOf(qemuVersion);
  // No `arguments` member: QEMU takes an empty dict.
  if (args === undefined) return checkWire(commandCheck(spec), {}, monitor);
  const wire = readWire(args);
  return "unencodable" in wire ? [wire.unencodable] : checkWire(commandCheck(spec), wire.value, monitor);
}

/** `args` as the client writes them, or the issue that keeps them from being written. */
function readWire(args: unknown): { readonly value: JsonValue } | { readonly unencodable: ValidationIssue } {
  try {
    const value = toJsonValue(args, "arguments");
    if (value !== undefined) return { value };
    return { unencodable: { path: "arguments", kind: "unencodable", class: "Unencodable", message: `${typeof args} is not a JSON value` } };
  } catch (error) {
    if (!(error instanceof JsonEncodeError)) throw error;
    return { unencodable: { path: error.path, kind: "unencodable", class: "Unencodable", message: error.reason } };
  }
}

/**
 * What a generated command function sends: `args` read once, as the wire will carry them (a
 * plain snapshot: a getter is not read twice), checked by `validate`, and returned for sending,
 * so the check and the bytes see the same values. Throws ValidationError, and nothing is sent.
 */
export function prepareArguments(
  command: string,
  args: object | undefined,
  validate: (wire: unknown) => readonly ValidationIssue[],
): Readonly<Record<string, unknown>> | undefined {
  if (args === undefined) {
    const issues = validate(undefined);
    if (issues.length > 0) throw new ValidationError(command, issues);
    return undefined;
  }
  const wire = readWire(args);
  if ("unencodable" in wire) throw new ValidationError(command, [wire.unencodable]);
  const issues = validate(wire.value);
  if (issues.length > 0) throw new ValidationError(command, issues);
  // The check passed, so the snapshot is an object.
  return wire.value as Readonly<Record<string, unknown>>;
}

/** The check of a wire snapshot (what toJsonValue returned). */
function checkWire(check: CommandCheck, wire: JsonValue, monitor: Monitor): readonly ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (monitor.nullIsSyntaxError) findNulls(wire, "arguments", (path) => issues.push(issueFor.jsonSyntax(path, monitor)));
  if (typeof wire !== "object" || wire === null || Array.isArray(wire)) {
    issues.push(issueFor.notObject(monitor));
    return issues;
  }
  const record: JsonObject = wire;
  for (const name of check.mandatory) if (!Object.hasOwn(record, name)) issues.push(issueFor.missing(name, monitor));
  // The client's keys, inserted into QEMU's dict in the order they are written.
  const sent = Object.keys(record).map((key, index) => ({ key, bucket: check.known.get(key)?.bucket ?? qdictBucket(key), index }));
  for (const { key } of inWalkOrder(sent)) {
    const known = check.known.get(key);
    if (known === undefined) {
      if (!check.acceptsUnknownKeys) issues.push(issueFor.unknown(key, monitor));
    } else if (known.expected !== undefined && !fits(known.expected, record[key] as JsonValue, monitor)) {
      issues.push(issueFor.wrongType(key, known.expected, monitor));
    }
  }
  return issues.length === 0 ? noIssues : issues;
}

function findNulls(value: JsonValue, path: string, found: (path: string) => void): void {
  if (value === null) found(path);
  else if (Array.isArray(value)) value.forEach((item, index) => findNulls(item, `${path}[${index}]`, found));
  else if (typeof value === "object") for (const key of Object.keys(value)) findNulls(value[key] as JsonValue, `${path}.${key}`, found);
}

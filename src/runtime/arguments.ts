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
import { isWellFormed, type JsonValue, JsonEncodeError, toJsonValue } from "./json.js";

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

/** What one QEMU version's monitor does with arguments. */
export interface QemuMonitor {
  /** Which of the two issue shapes (0: GenericError, 1: the classes with data): issues are cached per shape. */
  readonly shape: 0 | 1;
  /** Up to 1.1: the classes with `data`. */
  readonly legacyClasses: boolean;
  /** Up to 1.5: digit strings beyond int64 saturate and pass as integers. */
  readonly saturatesIntegers: boolean;
  /** Up to 2.3: `null` is a JSON syntax error. */
  readonly nullIsSyntaxError: boolean;
}

const monitors = new Map<string, QemuMonitor>();
// Calls mostly name one version again and again.
let lastVersion: QemuVersionLike | undefined;
let lastMonitor: QemuMonitor | undefined;

/** The monitor of a QEMU version; throws RangeError for a malformed version string. */
export function qemuMonitor(version: QemuVersionLike): QemuMonitor {
  if (version === lastVersion && lastMonitor !== undefined) return lastMonitor;
  const key = typeof version === "string" ? version : `${version.major}.${version.minor}.${version.micro ?? 0}`;
  let monitor = monitors.get(key);
  if (monitor === undefined) {
    const [major, minor] = typeof version === "string" ? parseQemuVersion(version) : [version.major, version.minor];
    const before = (x: number, y: number): boolean => major < x || (major === x && minor < y);
    const legacyClasses = before(1, 2);
    monitor = { shape: legacyClasses ? 1 : 0, legacyClasses, saturatesIntegers: before(1, 6), nullIsSyntaxError: before(2, 4) };
    monitors.set(key, monitor);
  }
  lastVersion = version;
  lastMonitor = monitor;
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
  let ascii = true;
  for (let i = 0; i < key.length && ascii; i++) ascii = key.charCodeAt(i) < 0x80;
  const bytes: ArrayLike<number> = ascii ? Array.from(key, (char) => char.charCodeAt(0)) : utf8.encode(key);
  // strlen: a NUL ends the C string.
  let length = 0;
  while (length < bytes.length && bytes[length] !== 0) length++;
  let value = Math.imul(0x238f13af, length) >>> 0;
  for (let i = 0; i < length; i++) value = (value + (((bytes[i] ?? 0) << ((i * 5) % 24)) >>> 0)) >>> 0;
  return (Math.imul(1103515243, value) + 12345) >>> 0;
}

/** A key's bucket in a QDict (512 buckets). A walk goes bucket by bucket, the later-inserted key first. */
export function qdictBucket(key: string): number {
  return tdbHash(key) % 512;
}

// ---------------------------------------------------------------------------------------
// Issues

function issue(kind: ValidationIssueKind, path: string, message: string, monitor: QemuMonitor, legacyClass: ValidationIssueClass, data: Readonly<Record<string, string>>): ValidationIssue {
  if (!monitor.legacyClasses) return { path, kind, class: kind === "command-not-found" ? "CommandNotFound" : "GenericError", message };
  return { path, kind, class: legacyClass, message, data };
}

const issueFor = {
  missing: (name: string, monitor: QemuMonitor): ValidationIssue =>
    issue("missing", `arguments.${name}`, `Parameter '${name}' is missing`, monitor, "MissingParameter", { name }),
  unknown: (name: string, monitor: QemuMonitor): ValidationIssue =>
    issue("unknown", `arguments.${name}`, `Invalid parameter '${name}'`, monitor, "InvalidParameter", { name }),
  wrongType: (name: string, expected: ExpectedType, monitor: QemuMonitor): ValidationIssue =>
    issue("wrong-type", `arguments.${name}`, `Invalid parameter type for '${name}', expected: ${expected}`, monitor, "InvalidParameterType", { name, expected }),
  notObject: (monitor: QemuMonitor): ValidationIssue =>
    issue("not-object", "arguments", "QMP input object member 'arguments' expects 'object'", monitor, "QMPBadInputObjectMember", { member: "arguments", expected: "object" }),
  jsonSyntax: (path: string, monitor: QemuMonitor): ValidationIssue => issue("json-syntax", path, "Invalid JSON syntax", monitor, "JSONParsing", {}),
  commandNotFound: (command: string, monitor: QemuMonitor): ValidationIssue =>
    issue("command-not-found", "execute", `The command ${command} has not been found`, monitor, "CommandNotFound", { name: command }),
};

/** The one issue of a command the target QEMU does not have. */
export function commandNotFound(command: string, qemuVersion: QemuVersionLike = NEWEST_HX_QEMU): ValidationIssue {
  return issueFor.commandNotFound(command, qemuMonitor(qemuVersion));
}

// ---------------------------------------------------------------------------------------
// Commands

/**
 * A command's arguments as its args_type lists them, in order: `[name, type]` with QEMU's type
 * string (`s`, `i?`, `-f`, `O`, `q?` ...). Generated validators and the model both build one.
 */
export type ArgumentsSpec = readonly (readonly [name: string, type: string])[];

/** The word of QEMU's `expected:` for a typed argument. */
export type ExpectedType = "string" | "int" | "number" | "bool";

/** What the check knows of a key sent: an argument of the command, or a stranger to it. */
class KeyFacts {
  /** Its place in the walk over mandatory arguments, or -1. */
  mandatoryIndex = -1;
  /** Per issue shape, made on first use: the key's issue when it is bad (its value of the wrong type, or the key unknown). */
  private readonly keyIssues: [ValidationIssue | undefined, ValidationIssue | undefined] = [undefined, undefined];
  /** Per issue shape, made on first use: a mandatory argument's issue when it is not sent. */
  private readonly missingIssues: [ValidationIssue | undefined, ValidationIssue | undefined] = [undefined, undefined];

  constructor(
    readonly name: string,
    readonly bucket: number,
    /** An argument's type (undefined: any value); never read for a stranger. */
    readonly expected: ExpectedType | undefined,
    readonly isArgument: boolean,
    /** No lone surrogate: JSON can carry the key. */
    readonly wellFormed: boolean,
  ) {}

  keyIssue(monitor: QemuMonitor): ValidationIssue {
    return (this.keyIssues[monitor.shape] ??= this.isArgument ? issueFor.wrongType(this.name, this.expected ?? "string", monitor) : issueFor.unknown(this.name, monitor));
  }

  missingIssue(monitor: QemuMonitor): ValidationIssue {
    return (this.missingIssues[monitor.shape] ??= issueFor.missing(this.name, monitor));
  }
}

// Keys that are not arguments, shared by every command (their facts and texts do not depend on
// it); bounded, since any key may come.
const strangers = new Map<string, KeyFacts>();
function strangerFacts(key: string): KeyFacts {
  let stranger = strangers.get(key);
  if (stranger === undefined) {
    if (strangers.size >= 1024) strangers.clear();
    stranger = new KeyFacts(key, qdictBucket(key), undefined, false, isWellFormed(key));
    strangers.set(key, stranger);
  }
  return stranger;
}

/** check_client_args_type: the JSON type each code wants, by the word its error names. */
function expectedFor(code: string): ExpectedType | undefined {
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

/** Whether a value the wire carries, as QEMU's parser of that version reads its text, passes a code's type check. */
function fits(expected: ExpectedType, value: unknown, monitor: QemuMonitor): boolean {
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

/** A value written as it stands: a well-formed string, a finite number, a bigint, a boolean or null. */
function isWireScalar(value: unknown): boolean {
  switch (typeof value) {
    case "string":
      return isWellFormed(value);
    case "number":
      return Number.isFinite(value);
    case "boolean":
    case "bigint":
      return true;
    default:
      return value === null;
  }
}

const noIssues: readonly ValidationIssue[] = Object.freeze([]);

// Mandatory arguments seen in one call: a bit each in a number for the first ones (no allocation),
// an array beyond (commands with so many are rare).
const SEEN_BITS = 31;
// Calls of one command mostly send the same keys in the same order: the facts of the last key
// seen at each of the first places are kept, and a key found there needs no lookup.
const RECENT_PLACES = 16;
// Bad keys a call may have before their list grows.
const BAD_KEYS_ROOM = 8;

/** QEMU's check of one command's arguments, built once from its args_type (issues made once, then reused). */
export class ArgumentsCheck {
  private readonly known = new Map<string, KeyFacts>();
  /** Mandatory arguments in QEMU's walk order. */
  private readonly mandatory: readonly KeyFacts[];
  private readonly acceptsUnknownKeys: boolean;
  /** Filled at first with "" and its facts: only strings are compared (as V8 compares them fastest). */
  private readonly recentKeys: string[];
  private readonly recentFacts: KeyFacts[];

  constructor(spec: ArgumentsSpec) {
    // qdict_from_args_type: a name seen again keeps its place and takes the later type.
    const types = new Map<string, { type: string; index: number }>();
    spec.forEach(([name, type], index) => types.set(name, { type, index: types.get(name)?.index ?? index }));
    const mandatory: { argument: KeyFacts; index: number }[] = [];
    let acceptsUnknownKeys = false;
    for (const [name, { type, index }] of types) {
      const argument = new KeyFacts(name, qdictBucket(name), expectedFor(type.charAt(0)), true, true);
      this.known.set(name, argument);
      if (type.startsWith("O")) acceptsUnknownKeys = true;
      else if (!type.startsWith("-") && type.charAt(1) !== "?") mandatory.push({ argument, index });
    }
    mandatory.sort((a, b) => a.argument.bucket - b.argument.bucket || b.index - a.index);
    mandatory.forEach((entry, index) => (entry.argument.mandatoryIndex = index));
    this.mandatory = mandatory.map((entry) => entry.argument);
    this.acceptsUnknownKeys = acceptsUnknownKeys;
    this.recentKeys = new Array<string>(RECENT_PLACES).fill("");
    this.recentFacts = new Array<KeyFacts>(RECENT_PLACES).fill(this.known.get("") ?? strangerFacts(""));
  }

  /**
   * Every issue QEMU's monitor of `qemuVersion` would find with `args` as the client sends
   * them, in its order: the first is the error QEMU replies with. Never throws for `args`: a
   * value that cannot be sent is one `unencodable` issue. A malformed version is a RangeError.
   */
  run(args: unknown, qemuVersion: QemuVersionLike = NEWEST_HX_QEMU): readonly ValidationIssue[] {
    // No `arguments` member: QEMU takes an empty dict.
    if (args === undefined) return this.members({}, qemuMonitor(qemuVersion), false) ?? noIssues;
    if (isPlainObject(args)) return this.runPlain(args, qemuVersion);
    return this.runWire(args, qemuMonitor(qemuVersion));
  }

  /**
   * run() for an object whose prototype is Object.prototype (what generated validators have
   * just tested, so that it is not tested twice).
   */
  runPlain(args: Readonly<Record<string, unknown>>, qemuVersion: QemuVersionLike = NEWEST_HX_QEMU): readonly ValidationIssue[] {
    const monitor = qemuMonitor(qemuVersion);
    // A plain object of scalars is read as it stands (each value once); anything else is first
    // read as the wire will carry it.
    return this.members(args, monitor, true) ?? this.runWire(args, monitor);
  }

  /** The check of `args` as the wire will carry them. */
  private runWire(args: unknown, monitor: QemuMonitor): readonly ValidationIssue[] {
    const wire = readWire(args);
    if ("unencodable" in wire) return [wire.unencodable];
    const value = wire.value;
    const syntax: ValidationIssue[] = [];
    const nullAt = (path: string): void => void syntax.push(issueFor.jsonSyntax(path, monitor));
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      if (monitor.nullIsSyntaxError) findNulls(value, "arguments", nullAt);
      return [...syntax, issueFor.notObject(monitor)];
    }
    // Nulls nested in values (members() finds those at the top).
    if (monitor.nullIsSyntaxError) {
      for (const key of Object.keys(value)) {
        const member = value[key];
        if (typeof member === "object" && member !== null) findNulls(member, `arguments.${key}`, nullAt);
      }
    }
    const issues = this.members(value, monitor, false) ?? noIssues;
    return syntax.length === 0 ? issues : [...syntax, ...issues];
  }

  /**
   * The check of an object's members as written: keys in the order written, values as JSON.
   * With `scalarsOnly` the object is the caller's own, read once here; undefined then means a
   * value that must first be read as the wire carries it (an object, a boxed value, NaN, a
   * throwing getter ...). Without it the object is a wire snapshot.
   * The result: null syntax issues, missing arguments in the walk's order, then the bad keys in
   * theirs: bucket ascending, and within a bucket the later-written key first (each key is put
   * in place as it comes: before every earlier one of its bucket or a later bucket).
   */
  private members(record: Readonly<Record<string, unknown>>, monitor: QemuMonitor, scalarsOnly: boolean): readonly ValidationIssue[] | undefined {
    let syntax: ValidationIssue[] | undefined;
    // The bad keys so far, in the walk's order; room for a few made at once (push grows an array
    // from nothing in steps, each a copy).
    let badKeys: KeyFacts[] | undefined;
    let badCount = 0;
    let seenBits = 0;
    let seenBeyond: boolean[] | undefined;
    let seenCount = 0;
    let place = 0;
    // for-in: own enumerable keys in Object.keys order, read through V8's enum cache (the object
    // is plain; an enumerable property added to Object.prototype itself would be seen too).
    for (const key in record) {
      const facts = this.factsAt(place++, key);
      let value: unknown;
      if (scalarsOnly) {
        try {
          value = record[key];
        } catch {
          return undefined;
        }
        if (value === undefined) continue; // not written
        if (!isWireScalar(value) || !facts.wellFormed) return undefined;
      } else {
        value = record[key];
      }
      if (value === null && monitor.nullIsSyntaxError) (syntax ??= []).push(issueFor.jsonSyntax(`arguments.${key}`, monitor));
      if (facts.isArgument) {
        const index = facts.mandatoryIndex;
        if (index >= 0) {
          // Keys of an object are distinct: each mandatory argument is counted once.
          seenCount++;
          if (index < SEEN_BITS) seenBits |= 1 << index;
          else (seenBeyond ??= [])[index] = true;
        }
        if (facts.expected === undefined || fits(facts.expected, value, monitor)) continue;
      } else if (this.acceptsUnknownKeys) {
        continue;
      }
      badKeys ??= new Array<KeyFacts>(BAD_KEYS_ROOM);
      // In the walk's place: before every earlier key of its bucket or a later one.
      let at = badCount++;
      for (; at > 0 && (badKeys[at - 1] as KeyFacts).bucket >= facts.bucket; at--) badKeys[at] = badKeys[at - 1] as KeyFacts;
      badKeys[at] = facts;
    }
    const mandatory = this.mandatory;
    const missingCount = mandatory.length - seenCount;
    if (missingCount === 0 && badCount === 0) return syntax ?? noIssues;
    const syntaxCount = syntax === undefined ? 0 : syntax.length;
    const issues = new Array<ValidationIssue>(syntaxCount + missingCount + badCount);
    let at = 0;
    for (; at < syntaxCount; at++) issues[at] = (syntax as ValidationIssue[])[at] as ValidationIssue;
    if (missingCount > 0) {
      for (let index = 0; index < mandatory.length; index++) {
        const seen = index < SEEN_BITS ? (seenBits & (1 << index)) !== 0 : seenBeyond?.[index] === true;
        if (!seen) issues[at++] = (mandatory[index] as KeyFacts).missingIssue(monitor);
      }
    }
    for (let index = 0; index < badCount; index++) issues[at++] = ((badKeys as KeyFacts[])[index] as KeyFacts).keyIssue(monitor);
    return issues;
  }

  /** The facts of a key sent at a place (counting every key for-in gives). */
  private factsAt(place: number, key: string): KeyFacts {
    if (place >= RECENT_PLACES) return this.known.get(key) ?? strangerFacts(key);
    if (this.recentKeys[place] === key) return this.recentFacts[place] as KeyFacts;
    const facts = this.known.get(key) ?? strangerFacts(key);
    this.recentKeys[place] = key;
    this.recentFacts[place] = facts;
    return facts;
  }
}

const checks = new WeakMap<ArgumentsSpec, ArgumentsCheck>();

/** ArgumentsCheck.run() for a spec (its check built once). */
export function checkArguments(spec: ArgumentsSpec, args: unknown, qemuVersion: QemuVersionLike = NEWEST_HX_QEMU): readonly ValidationIssue[] {
  let check = checks.get(spec);
  if (check === undefined) checks.set(spec, (check = new ArgumentsCheck(spec)));
  return check.run(args, qemuVersion);
}

function isPlainObject(args: unknown): args is Readonly<Record<string, unknown>> {
  try {
    return typeof args === "object" && args !== null && Object.getPrototypeOf(args) === Object.prototype;
  } catch {
    return false; // a Proxy's trap threw: the full reading names it
  }
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

function findNulls(value: JsonValue, path: string, found: (path: string) => void): void {
  if (value === null) found(path);
  else if (Array.isArray(value)) value.forEach((item, index) => findNulls(item, `${path}[${index}]`, found));
  else if (typeof value === "object") for (const key of Object.keys(value)) findNulls(value[key] as JsonValue, `${path}.${key}`, found);
}

// QEMU's monitor argument check (monitor.c qmp_check_client_args, the .hx era: 0.14 to 2.7) for
// one target QEMU version, applied to the JSON the client will send. The facts per version
// (verified on the 1.1.0 and 2.7.0 binaries, see README.md "What the validators promise"):
// - classes: up to 1.1 MissingParameter/InvalidParameter/InvalidParameterType/
//   QMPBadInputObjectMember/JSONParsing with `data`; from 1.2 GenericError without `data`;
// - integers: a number with a fraction or exponent is a float; a digit string beyond int64
//   saturates and passes up to 1.5, is a float (rejected by `i l M o`) from 1.6;
// - null: up to 2.3 the parser knows no `null`: the whole command is "Invalid JSON syntax";
// - key texts: the parser takes a lone surrogate's `\ud800` as the bytes of its code unit; a
//   reply shows it as sent up to 1.4 (and a character beyond U+FFFF mangled), as U+FFFD from 1.5
//   (noncharacters too); a `\u0000` adds no byte;
// - order: QEMU reports one error: the first mandatory argument missing, then the first bad
//   key, each walk in the order of its QDict hash table (tdb_hash % 512, buckets ascending,
//   the key inserted last first within a bucket). Every issue is reported here, in that order,
//   so the first is QEMU's reply.
import { ValidationError } from "./errors.js";
import { type JsonObject, type JsonValue, JsonEncodeError, setMember, toJsonValue } from "./json.js";

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
  /**
   * Which of the issue shapes (0: GenericError, 1: GenericError and keys shown as sent, 2: the
   * classes with data): issues are cached per shape.
   */
  readonly shape: 0 | 1 | 2;
  /** Up to 1.1: the classes with `data`. */
  readonly legacyClasses: boolean;
  /** Up to 1.5: digit strings beyond int64 saturate and pass as integers. */
  readonly saturatesIntegers: boolean;
  /** Up to 2.3: `null` is a JSON syntax error. */
  readonly nullIsSyntaxError: boolean;
  /**
   * From 1.5, qjson's rewritten to_json: a reply's text shows a lone surrogate of a key as U+FFFD
   * and a character beyond U+FFFF as it is; before, the surrogate as sent and that character mangled.
   */
  readonly rewrittenJsonWriter: boolean;
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
    const rewrittenJsonWriter = !before(1, 5);
    const shape = legacyClasses ? 2 : rewrittenJsonWriter ? 0 : 1;
    monitor = { shape, legacyClasses, saturatesIntegers: before(1, 6), nullIsSyntaxError: before(2, 4), rewrittenJsonWriter };
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

/**
 * The bytes of a held key (heldKey): UTF-8, and a lone surrogate (which JSON.stringify writes as
 * a `\uXXXX` escape) as the three bytes QEMU's parser makes of its code unit.
 */
function keyBytes(key: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < key.length; i++) {
    let unit = key.charCodeAt(i);
    if (unit < 0x80) {
      bytes.push(unit);
      continue;
    }
    if (unit < 0x800) {
      bytes.push(0xc0 | (unit >> 6), 0x80 | (unit & 0x3f));
      continue;
    }
    const next = key.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
      unit = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
      i++;
      bytes.push(0xf0 | (unit >> 18), 0x80 | ((unit >> 12) & 0x3f), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
      continue;
    }
    bytes.push(0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f));
  }
  return bytes;
}

/** QEMU's tdb_hash (qobject/qdict.c) of the bytes it holds for a key, in 32-bit unsigned arithmetic. */
export function tdbHash(key: string): number {
  const bytes = keyBytes(heldKey(key));
  const length = bytes.length;
  let value = Math.imul(0x238f13af, length) >>> 0;
  for (let i = 0; i < length; i++) value = (value + (((bytes[i] ?? 0) << ((i * 5) % 24)) >>> 0)) >>> 0;
  return (Math.imul(1103515243, value) + 12345) >>> 0;
}

/** A key's bucket in a QDict (512 buckets). A walk goes bucket by bucket, the later-inserted key first. */
export function qdictBucket(key: string): number {
  return tdbHash(key) % 512;
}

/** The order in which QEMU walks a QDict of distinct `keys` inserted in this order: indices into `keys`. */
export function qdictWalk(keys: readonly string[]): number[] {
  const buckets = keys.map(qdictBucket);
  return keys.map((_, index) => index).sort((a, b) => (buckets[a] as number) - (buckets[b] as number) || b - a);
}

// ---------------------------------------------------------------------------------------
// Issues

/** Characters whose text QEMU's reply may show otherwise: surrogates, noncharacters, and beyond U+FFFF. */
const mayShowOtherwise = /[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]/;

/** A key or command name as QEMU holds it: its parser appends `\u0000` as an empty C string. */
export function heldKey(key: string): string {
  return key.includes("\u0000") ? key.replaceAll("\u0000", "") : key;
}

/**
 * A key as the text of QEMU's reply shows it: as held (heldKey). From 1.5 (qjson's
 * rewritten to_json, which takes surrogates and noncharacters for bad UTF-8) each lone surrogate
 * and each noncharacter (U+FDD0-U+FDEF, U+xFFFE, U+xFFFF) is U+FFFD. Up to 1.4 to_json read the
 * four bytes of a character beyond U+FFFF as a three-byte sequence (bits of the first three) and
 * a byte it printed `\uFFFF` (a negative char through `%04X`, cut to fit).
 */
export function shownKey(key: string, monitor: QemuMonitor): string {
  const held = heldKey(key);
  if (!mayShowOtherwise.test(held)) return held;
  let shown = "";
  // By code point: a pair is one character, a lone surrogate one of its own.
  for (const char of held) {
    const point = char.codePointAt(0) ?? 0;
    if (monitor.rewrittenJsonWriter) shown += (point >= 0xd800 && point <= 0xdfff) || (point >= 0xfdd0 && point <= 0xfdef) || (point & 0xfffe) === 0xfffe ? "\ufffd" : char;
    else shown += point > 0xffff ? String.fromCharCode(((point >> 18) << 12) | (((point >> 12) & 0x3f) << 6) | ((point >> 6) & 0x3f), 0xffff) : char;
  }
  return shown;
}

function issue(kind: ValidationIssueKind, path: string, message: string, monitor: QemuMonitor, legacyClass: ValidationIssueClass, data: Readonly<Record<string, string>>): ValidationIssue {
  if (!monitor.legacyClasses) return { path, kind, class: kind === "command-not-found" ? "CommandNotFound" : "GenericError", message };
  return { path, kind, class: legacyClass, message, data };
}

const issueFor = {
  missing: (name: string, monitor: QemuMonitor): ValidationIssue =>
    issue("missing", `arguments.${name}`, `Parameter '${name}' is missing`, monitor, "MissingParameter", { name }),
  unknown: (key: string, monitor: QemuMonitor): ValidationIssue => {
    const name = shownKey(key, monitor);
    return issue("unknown", `arguments.${key}`, `Invalid parameter '${name}'`, monitor, "InvalidParameter", { name });
  },
  wrongType: (name: string, expected: ExpectedType, monitor: QemuMonitor): ValidationIssue =>
    issue("wrong-type", `arguments.${name}`, `Invalid parameter type for '${name}', expected: ${expected}`, monitor, "InvalidParameterType", { name, expected }),
  notObject: (monitor: QemuMonitor): ValidationIssue =>
    issue("not-object", "arguments", "QMP input object member 'arguments' expects 'object'", monitor, "QMPBadInputObjectMember", { member: "arguments", expected: "object" }),
  jsonSyntax: (path: string, monitor: QemuMonitor): ValidationIssue => issue("json-syntax", path, "Invalid JSON syntax", monitor, "JSONParsing", {}),
  commandNotFound: (command: string, monitor: QemuMonitor): ValidationIssue => {
    const name = shownKey(command, monitor);
    return issue("command-not-found", "execute", `The command ${name} has not been found`, monitor, "CommandNotFound", { name });
  },
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
  private readonly keyIssues: [ValidationIssue | undefined, ValidationIssue | undefined, ValidationIssue | undefined] = [undefined, undefined, undefined];
  /** Per issue shape, made on first use: a mandatory argument's issue when it is not sent. */
  private readonly missingIssues: [ValidationIssue | undefined, ValidationIssue | undefined, ValidationIssue | undefined] = [undefined, undefined, undefined];

  constructor(
    readonly name: string,
    readonly bucket: number,
    /** An argument's type (undefined: any value); never read for a stranger. */
    readonly expected: ExpectedType | undefined,
    readonly isArgument: boolean,
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
    stranger = new KeyFacts(key, qdictBucket(key), undefined, false);
    strangers.set(key, stranger);
  }
  return stranger;
}

/** An args_type type QEMU reports missing when absent: not a flag (`-f`), not optional (`i?`), not `O`. */
export function isMandatoryType(type: string): boolean {
  return !type.startsWith("-") && !type.startsWith("O") && type.charAt(1) !== "?";
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

/** A value written as it stands: a string, a finite number, a bigint, a boolean or null. */
function isWireScalar(value: unknown): boolean {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value);
    case "string":
    case "boolean":
    case "bigint":
      return true;
    default:
      return value === null;
  }
}

const noIssues: readonly ValidationIssue[] = Object.freeze([]);
// What fills a result array before its issues are put in place.
const noIssue = undefined as unknown as ValidationIssue;

// Mandatory arguments seen in one call: a bit each in a number for the first ones (no allocation),
// an array beyond (commands with so many are rare).
const SEEN_BITS = 31;
// Calls of one command mostly send the same keys in the same order: the facts of the last key
// seen at each of the first places are kept, and a key found there needs no lookup.
const RECENT_PLACES = 16;
// Bad keys a call may have before their list grows.
const BAD_KEYS_ROOM = 8;
// Arguments whose codes fit a 32-bit state (two bits each); a command with more has no coded path.
export const CODED_ARGUMENTS = 15;
const LOW_BITS = 0x55555555;

function bitCount(bits: number): number {
  let count = bits - ((bits >>> 1) & 0x55555555);
  count = (count & 0x33333333) + ((count >>> 2) & 0x33333333);
  return (((count + (count >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * A value JSON writes as it stands, of any type: a string, a finite number, a bigint or a boolean
 * (isWireScalar less null). Written out rather than through isWireScalar's switch: the coded path
 * measured some 3% slower that way.
 */
function isPlainScalar(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  return typeof value === "string" || typeof value === "boolean" || typeof value === "bigint";
}

// ---------------------------------------------------------------------------------------
// Value codes: what a generated validator's coded path makes of each argument it read.

/**
 * An argument's value to its type: 0 fits in every QEMU version; 1 not sent (undefined); 2 a JSON
 * value of another type in every version; 3 only the full check can tell (null, an integer beyond
 * int64, NaN, anything not written as it stands).
 */
export type ValueCode = 0 | 1 | 2 | 3;

/** The code of a value of an argument of type `string` (`s F B`). */
export function stringCode(value: unknown): ValueCode {
  if (typeof value === "string") return 0;
  return value === undefined ? 1 : otherTypeCode(value);
}

/** The code of a value of an argument of type `int` (`i l M o`). */
export function intCode(value: unknown): ValueCode {
  if (typeof value === "number") {
    // A fraction or an exponent (from 1e21) is a float to every QEMU; digits beyond int64 saturate up to 1.5 only.
    if (!Number.isInteger(value)) return Number.isFinite(value) ? 2 : 3;
    if (value > -9223372036854775808 && value < 9223372036854775808) return 0;
    return Math.abs(value) >= 1e21 ? 2 : 3;
  }
  if (value === undefined) return 1;
  if (typeof value === "bigint") return BigInt.asIntN(64, value) === value ? 0 : 3;
  return otherTypeCode(value);
}

/** The code of a value of an argument of type `number` (`T`). */
export function numberCode(value: unknown): ValueCode {
  if (typeof value === "number") return Number.isFinite(value) ? 0 : 3;
  if (value === undefined) return 1;
  return typeof value === "bigint" ? 0 : otherTypeCode(value);
}

/** The code of a value of an argument of type `bool` (`b` and flags). */
export function boolCode(value: unknown): ValueCode {
  if (typeof value === "boolean") return 0;
  return value === undefined ? 1 : otherTypeCode(value);
}

/** The code of a value of an argument of any type (`q O`): only scalars are told here. */
export function anyCode(value: unknown): ValueCode {
  if (value === undefined) return 1;
  return isPlainScalar(value) ? 0 : 3;
}

/** A value not of the type asked: 2 when JSON writes it as it stands, else 3. */
function otherTypeCode(value: unknown): ValueCode {
  return isPlainScalar(value) ? 2 : 3;
}

/** QEMU's check of one command's arguments, built once from its args_type (issues made once, then reused). */
export class ArgumentsCheck {
  private readonly known = new Map<string, KeyFacts>();
  /** Mandatory arguments in QEMU's walk order. */
  private readonly mandatory: readonly KeyFacts[];
  private readonly acceptsUnknownKeys: boolean;
  /** Filled at first with "" and its facts: only strings are compared (as V8 compares them fastest). */
  private readonly recentKeys: string[];
  private readonly recentFacts: KeyFacts[];
  /** The arguments in QEMU's walk order: a generated validator's codes and `seen` bits follow it. */
  private readonly walk: readonly KeyFacts[];
  /** Per walked argument (up to CODED_ARGUMENTS) the low bit of its pair when it is mandatory. */
  private readonly mandatoryPairs: number;
  /** The bucket of each bit of the pairs (two entries per walked argument). */
  private readonly pairBuckets: readonly number[];
  /** The issues of the walked arguments for the version last asked (two a pair: missing, bad), made on first use. */
  private pairIssuesVersion: QemuVersionLike | undefined = undefined;
  private pairIssues: readonly ValidationIssue[] = noIssues;
  private pairMonitor: QemuMonitor = qemuMonitor(NEWEST_HX_QEMU);
  /** The key that was no argument in the last runCoded() call, and its facts. */
  private recentStranger = "";
  private recentStrangerFacts: KeyFacts | undefined = undefined;

  constructor(spec: ArgumentsSpec) {
    // qdict_from_args_type: a name seen again keeps its place and takes the later type.
    const types = new Map<string, string>();
    for (const [name, type] of spec) types.set(name, type);
    const mandatory = new Set<KeyFacts>();
    let acceptsUnknownKeys = false;
    for (const [name, type] of types) {
      const argument = new KeyFacts(name, qdictBucket(name), expectedFor(type.charAt(0)), true);
      this.known.set(name, argument);
      if (type.startsWith("O")) acceptsUnknownKeys = true;
      else if (isMandatoryType(type)) mandatory.add(argument);
    }
    const known = [...this.known.values()];
    this.walk = qdictWalk([...this.known.keys()]).map((index) => known[index] as KeyFacts);
    this.mandatory = this.walk.filter((argument) => mandatory.has(argument));
    this.mandatory.forEach((argument, index) => (argument.mandatoryIndex = index));
    this.acceptsUnknownKeys = acceptsUnknownKeys;
    let mandatoryPairs = 0;
    this.walk.forEach((argument, place) => {
      if (place < CODED_ARGUMENTS && mandatory.has(argument)) mandatoryPairs |= 1 << (2 * place);
    });
    this.mandatoryPairs = mandatoryPairs;
    this.pairBuckets = this.walk.flatMap((argument) => [argument.bucket, argument.bucket]);
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

  /**
   * The issues of a plain object from what a generated validator read of it: `state` holds a
   * ValueCode per argument (two bits each, in QEMU's walk order, the first in the lowest bits),
   * `seen` the low bit of the pair of each argument for-in gave, `stranger` the one key it gave
   * that is no argument (undefined: none) and `strangerValue` that key's value. A code only the
   * full check can tell, a stranger that is not a plain JSON scalar or that shares a bucket with a
   * bad argument (QEMU's order would depend on the order written) take the full check.
   */
  runCoded(
    args: Readonly<Record<string, unknown>>,
    state: number,
    seen: number,
    stranger: string | undefined,
    strangerValue: unknown,
    qemuVersion: QemuVersionLike = NEWEST_HX_QEMU,
  ): readonly ValidationIssue[] {
    const unsentOrHard = state & LOW_BITS;
    const otherOrHard = (state >>> 1) & LOW_BITS;
    if ((unsentOrHard & otherOrHard & seen) !== 0) return this.runPlain(args, qemuVersion);
    // An argument for-in did not give (not enumerable, inherited) is not sent either.
    const missing = ((unsentOrHard & ~otherOrHard) | ~seen) & this.mandatoryPairs;
    let bad = otherOrHard & ~unsentOrHard & seen;
    let count = bitCount(missing | bad);
    let strangerFacts: KeyFacts | undefined;
    if (strangerValue !== undefined) {
      strangerFacts = stranger === this.recentStranger ? this.recentStrangerFacts : this.strangerFactsOf(stranger ?? "");
      // Even a key an `O` argument accepts must be written, and its value carry no null.
      if (strangerFacts === undefined || !isPlainScalar(strangerValue)) return this.runPlain(args, qemuVersion);
      if (this.acceptsUnknownKeys) strangerFacts = undefined;
      else count++;
    }
    if (count === 0) return noIssues;
    const table = qemuVersion === this.pairIssuesVersion ? this.pairIssues : this.pairIssuesFor(qemuVersion);
    // The result's length known: a literal is made in place (new Array(n) is a builtin call).
    const issues: ValidationIssue[] = count === 1 ? [noIssue] : count === 2 ? [noIssue, noIssue] : count === 3 ? [noIssue, noIssue, noIssue] : new Array<ValidationIssue>(count);
    let at = 0;
    for (let bits = missing; bits !== 0; bits &= bits - 1) issues[at++] = table[31 - Math.clz32(bits & -bits)] as ValidationIssue;
    // Bucket ascending; two bad keys in one bucket come in the order written, which only the full
    // check knows (the stranger's place among the arguments likewise).
    let previous = -1;
    for (; bad !== 0; bad &= bad - 1) {
      const place = 32 - Math.clz32(bad & -bad);
      const bucket = this.pairBuckets[place] as number;
      if (bucket === previous) return this.runPlain(args, qemuVersion);
      previous = bucket;
      if (strangerFacts !== undefined && strangerFacts.bucket <= bucket) {
        if (strangerFacts.bucket === bucket) return this.runPlain(args, qemuVersion);
        issues[at++] = strangerFacts.keyIssue(this.pairMonitor);
        strangerFacts = undefined;
      }
      issues[at++] = table[place] as ValidationIssue;
    }
    if (strangerFacts !== undefined) issues[at++] = strangerFacts.keyIssue(this.pairMonitor);
    return issues;
  }

  private pairIssuesFor(qemuVersion: QemuVersionLike): readonly ValidationIssue[] {
    const monitor = qemuMonitor(qemuVersion);
    const issues = this.walk.flatMap((argument) => [argument.missingIssue(monitor), argument.keyIssue(monitor)]);
    this.pairIssuesVersion = qemuVersion;
    this.pairIssues = issues;
    this.pairMonitor = monitor;
    return issues;
  }

  /** The facts of the key that is no argument, or undefined for one with a NUL, which may be an argument to QEMU (heldKeys): the full check's. */
  private strangerFactsOf(key: string): KeyFacts | undefined {
    const facts = key.includes("\u0000") ? undefined : (this.known.get(key) ?? strangerFacts(key));
    this.recentStranger = key;
    this.recentStrangerFacts = facts;
    return facts;
  }

  /** The check of `args` as the wire will carry them. */
  private runWire(args: unknown, monitor: QemuMonitor): readonly ValidationIssue[] {
    const wire = readWire(args, false);
    if ("unencodable" in wire) return [wire.unencodable];
    const value = heldKeys(wire.value);
    const syntax: ValidationIssue[] = [];
    const nullAt = (path: string): void => void syntax.push(issueFor.jsonSyntax(path, monitor));
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      if (monitor.nullIsSyntaxError) findNulls(value, "arguments", nullAt);
      return [...syntax, issueFor.notObject(monitor)];
    }
    // Nulls nested in values (members() finds those at the top), and, since the parser meets
    // them before the dict holds its keys, those of members a later key replaced (heldKeys).
    if (monitor.nullIsSyntaxError) {
      const written = wire.value as JsonObject;
      for (const key of Object.keys(written)) {
        const member = written[key];
        if (typeof member === "object" && member !== null) findNulls(member, `arguments.${key}`, nullAt);
        else if (member === null && written !== value && value[heldKey(key)] !== null) nullAt(`arguments.${key}`);
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
      // A key with a NUL is another key to QEMU (heldKeys): the snapshot's check.
      if (scalarsOnly && key.includes("\u0000")) return undefined;
      const facts = this.factsAt(place++, key);
      let value: unknown;
      if (scalarsOnly) {
        try {
          value = record[key];
        } catch {
          return undefined;
        }
        if (value === undefined) continue; // not written
        if (!isWireScalar(value)) return undefined;
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

/**
 * `args` as JSON writes them, or the issue that keeps them from being written. `forSending`: as
 * the client sends them, which refuses lone surrogates; without it as JSON.stringify writes
 * them, `\uXXXX`, which the monitor takes.
 */
function readWire(args: unknown, forSending: boolean): { readonly value: JsonValue } | { readonly unencodable: ValidationIssue } {
  try {
    const value = toJsonValue(args, "arguments", { keepLoneSurrogates: !forSending });
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
  const wire = readWire(args, true);
  if ("unencodable" in wire) throw new ValidationError(command, [wire.unencodable]);
  const issues = validate(wire.value);
  if (issues.length > 0) throw new ValidationError(command, issues);
  // The check passed, so the snapshot is an object.
  return wire.value as Readonly<Record<string, unknown>>;
}

/**
 * The object QEMU's dict holds for a JSON object: each key without its NULs (`\u0000` adds no
 * byte), and of keys that then coincide the first one's place with the last one's value (QEMU's
 * dict replaces the value of a key put again). Other values as they are.
 */
function heldKeys(value: JsonValue): JsonValue {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (!keys.some((key) => key.includes("\u0000"))) return value;
  const held = new Map<string, JsonValue>();
  for (const key of keys) held.set(heldKey(key), value[key] as JsonValue);
  const object: JsonObject = {};
  for (const [key, member] of held) setMember(object, key, member);
  return object;
}

function findNulls(value: JsonValue, path: string, found: (path: string) => void): void {
  if (value === null) found(path);
  else if (Array.isArray(value)) value.forEach((item, index) => findNulls(item, `${path}[${index}]`, found));
  else if (typeof value === "object") for (const key of Object.keys(value)) findNulls(value[key] as JsonValue, `${path}.${key}`, found);
}

// Property: the runtime's argument check (built for speed: bits, places, issues put in order as
// they come) gives every issue exactly as a plain reading of the rules does: the oracle below
// sorts what it finds by QEMU's walk (bucket ascending, the later-inserted key first), types the
// digits JSON.stringify writes, and knows nothing of the check's caches. Random args_types
// (names repeated, `O`, flags), random keys in random order, every target version's rules.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ArgumentsCheck, parseQemuVersion, type ArgumentsSpec, type ValidationIssue } from "qmp-hx-runtime";
import { qdictBucket } from "../../src/runtime/arguments.js";

// With names of one bucket (bga and bgb share sync's, iaa target's, qka speed's), so that the order
// within a bucket is exercised too.
const names = ["sync", "device", "target", "speed", "id", "x-y", "a", "value", "bogus", "", "bga", "bgb", "iaa", "qka"];
const types = ["s", "F", "B", "i", "l", "M", "o", "T", "f", "b", "-f", "q", "O", "s?", "i?", "b?", "T?", "q?"];
const versions = ["1.1.0", "1.2", "1.5", "1.6", "2.3", "2.4", "2.7.0"];

type Value = string | number | boolean | bigint | null | undefined;
const values = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom<Value>(2 ** 63, -(2 ** 63), 1e21, 0.5, -0, 2n ** 63n, -(2n ** 63n), 2n ** 64n, 7n, true, false, null, undefined),
);

interface Expected {
  readonly path: string;
  readonly message: string;
  readonly class: string;
}

/** The check's answer by the rules as README.md states them, computed the slow, obvious way. */
function oracle(spec: ArgumentsSpec, record: Readonly<Record<string, Value>>, version: string): Expected[] {
  const [major, minor] = parseQemuVersion(version);
  const before = (x: number, y: number): boolean => major < x || (major === x && minor < y);
  const legacy = before(1, 2);
  // qdict_from_args_type: a repeated name keeps its first place and takes the later type.
  const args = new Map<string, { type: string; place: number }>();
  spec.forEach(([name, type], place) => args.set(name, { type, place: args.get(name)?.place ?? place }));
  const openEnded = [...args.values()].some(({ type }) => type.startsWith("O"));
  const written = Object.keys(record).filter((key) => record[key] !== undefined);
  const fitsType = (type: string, value: Value): boolean => {
    switch (type.charAt(0)) {
      case "s":
      case "F":
      case "B":
        return typeof value === "string";
      case "b":
      case "-":
        return typeof value === "boolean";
      case "T":
      case "f":
        return typeof value === "number" || typeof value === "bigint";
      case "i":
      case "l":
      case "M":
      case "o": {
        if (typeof value !== "number" && typeof value !== "bigint") return false;
        // The digits as written: JSON.stringify's for a number (1e21 is "1e+21"), a bigint's own.
        const digits = typeof value === "bigint" ? String(value) : JSON.stringify(value);
        if (!/^-?\d+$/.test(digits)) return false;
        return before(1, 6) || BigInt.asIntN(64, BigInt(digits)) === BigInt(digits);
      }
      default:
        return true;
    }
  };
  const issue = (path: string, message: string, legacyClass: string): Expected => ({ path, message, class: legacy ? legacyClass : "GenericError" });
  const syntax = before(2, 4) ? written.filter((key) => record[key] === null).map((key) => issue(`arguments.${key}`, "Invalid JSON syntax", "JSONParsing")) : [];
  const missing = [...args]
    .filter(([name, { type }]) => !type.startsWith("O") && !type.startsWith("-") && type.charAt(1) !== "?" && !written.includes(name))
    .sort(([a, { place: pa }], [b, { place: pb }]) => qdictBucket(a) - qdictBucket(b) || pb - pa)
    .map(([name]) => issue(`arguments.${name}`, `Parameter '${name}' is missing`, "MissingParameter"));
  const expectedWord = (type: string): string => ({ s: "string", F: "string", B: "string", b: "bool", "-": "bool", T: "number", f: "number" })[type.charAt(0)] ?? "int";
  const badKeys = written
    .map((key, place) => ({ key, place, arg: args.get(key) }))
    .filter(({ key, arg }) => (arg === undefined ? !openEnded : !fitsType(arg.type, record[key])))
    .sort((a, b) => qdictBucket(a.key) - qdictBucket(b.key) || b.place - a.place)
    .map(({ key, arg }) =>
      arg === undefined
        ? issue(`arguments.${key}`, `Invalid parameter '${key}'`, "InvalidParameter")
        : issue(`arguments.${key}`, `Invalid parameter type for '${key}', expected: ${expectedWord(arg.type)}`, "InvalidParameterType"),
    );
  return [...syntax, ...missing, ...badKeys];
}

const specs = fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom(...types)), { maxLength: 7 });
/** Keys in random order, each with a value (undefined: left out on the wire). */
const records = fc.uniqueArray(fc.tuple(fc.constantFrom(...names, "toString", "__proto__"), values), { maxLength: 8, selector: ([key]) => key }).map((entries) => {
  const record: Record<string, Value> = {};
  for (const [key, value] of entries) Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return record;
});

const shown = (issues: readonly ValidationIssue[]): Expected[] => issues.map((issue) => ({ path: issue.path, message: issue.message, class: issue.class }));

describe("the runtime's argument check", () => {
  it("gives every issue in QEMU's order, as the rules read plainly do", () => {
    fc.assert(
      fc.property(specs, fc.array(fc.tuple(records, fc.constantFrom(...versions)), { minLength: 1, maxLength: 4 }), (spec, calls) => {
        // One check for several calls: what a call leaves behind (places, issues made) must not show.
        const check = new ArgumentsCheck(spec);
        for (const [record, version] of calls) assert.deepEqual(shown(check.run(record, version)), oracle(spec, record, version));
      }),
      { numRuns: 3000, seed: 20261126 },
    );
  });

  it("counts mandatory arguments beyond the first 31 too (commands with many)", () => {
    const many: ArgumentsSpec = Array.from({ length: 40 }, (_, index) => [`m${index}`, index % 3 === 0 ? "i" : "s"] as const);
    fc.assert(
      fc.property(fc.subarray(many.map(([name]) => name)), fc.constantFrom(...versions), (sent, version) => {
        const record = Object.fromEntries(sent.map((name) => [name, name.length % 2 === 0 ? "text" : 5]));
        assert.deepEqual(shown(new ArgumentsCheck(many).run(record, version)), oracle(many, record, version));
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });

  it("is the same for an object read as the wire carries it (another prototype) as for a plain one", () => {
    fc.assert(
      fc.property(specs, records, fc.constantFrom(...versions), (spec, record, version) => {
        const check = new ArgumentsCheck(spec);
        const unplain = Object.create({ inherited: 1 }) as object;
        for (const key of Object.keys(record)) Object.defineProperty(unplain, key, { value: record[key], enumerable: true });
        assert.deepEqual(shown(check.run(unplain, version)), shown(check.run(record, version)));
      }),
      { numRuns: 500, seed: 20261126 },
    );
  });
});

it("the names meant to share a bucket do", () => {
  assert.deepEqual(["sync", "bga", "bgb", "target", "iaa", "speed", "qka"].map(qdictBucket), [318, 318, 318, 491, 491, 259, 259]);
});

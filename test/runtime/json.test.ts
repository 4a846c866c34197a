import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { hasLongDigitRun, JsonEncodeError, parseJson, stringifyJson } from "../../src/runtime/json.js";

describe("parseJson", () => {
  test("keeps integers outside the safe range as bigint, and safe ones as number", () => {
    const parsed = parseJson(
      '{"max64": 18446744073709551615, "above53": 9007199254740993, "min64": -9223372036854775808,' +
        ' "maxSafe": 9007199254740991, "minSafe": -9007199254740991, "twoTo53": 9007199254740992, "small": 42}',
    );
    assert.deepEqual(parsed, {
      max64: 18446744073709551615n,
      above53: 9007199254740993n,
      min64: -9223372036854775808n,
      maxSafe: 9007199254740991,
      minSafe: -9007199254740991,
      twoTo53: 9007199254740992n,
      small: 42,
    });
  });

  test("JSON.parse alone would have rounded these (the test is not vacuous)", () => {
    const viaJson = JSON.parse("[18446744073709551615, 9007199254740993]") as number[];
    assert.notEqual(BigInt(viaJson[0] ?? 0), 18446744073709551615n);
    assert.notEqual(BigInt(viaJson[1] ?? 0), 9007199254740993n);
  });

  test("long digit runs that are not big integers parse like JSON.parse", () => {
    const text = '{"f": 1.2345678901234567, "e": 12345678901234567e-3, "s": "12345678901234567890", "z": -0, "big": 1e400}';
    assert.equal(hasLongDigitRun(text), true);
    assert.deepEqual(parseJson(text), JSON.parse(text));
  });

  test("decodes escapes, unicode and keeps __proto__ an own property", () => {
    const text = '{"a\\nb": "tab\\there \\u00e9 \\ud83d\\ude00 \\"q\\" \\\\", "__proto__": {"x": 1}, "n": 12345678901234567890}';
    const parsed = parseJson(text);
    assert.equal(typeof parsed, "object");
    assert.ok(parsed !== null && typeof parsed === "object" && !Array.isArray(parsed));
    assert.equal(parsed["a\nb"], 'tab\there é 😀 "q" \\');
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(parsed, "__proto__")?.value, { x: 1 });
  });

  test("rejects malformed input on the slow path as JSON.parse does on the fast one", () => {
    const bad = [
      "",
      "{",
      '{"a": 12345678901234567890',
      '{"a" 12345678901234567890}',
      "[12345678901234567890,]",
      "[01234567890123456789]",
      "[-12345678901234567890.]",
      "[12345678901234567890e]",
      '["12345678901234567890\u0001"]',
      "[12345678901234567890] x",
      "[12345678901234567890, tru]",
      '{"a": 12345678901234567890, }',
    ];
    for (const text of bad) {
      assert.throws(() => JSON.parse(text), SyntaxError, `JSON.parse accepted ${JSON.stringify(text)}`);
      assert.throws(() => parseJson(text), SyntaxError, `parseJson accepted ${JSON.stringify(text)}`);
    }
  });

  test("the slow path agrees with JSON.parse on arbitrary JSON without big integers", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        // A 16-digit prefix forces the hand-written parser without changing the value.
        const wrapped = `[${text}, "0000000000000000"]`;
        assert.equal(hasLongDigitRun(wrapped), true);
        const expected = JSON.parse(wrapped) as unknown[];
        const actual = parseJson(wrapped);
        // Integers beyond 2^53 legitimately differ (bigint); fc.json() rarely makes them.
        fc.pre(!JSON.stringify(JSON.parse(text)).match(/(?<![.\deE+-])-?\d{16,}(?![.\deE])/));
        assert.deepEqual(actual, expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("stringifyJson", () => {
  test("writes bigint exactly, anywhere", () => {
    assert.equal(
      stringifyJson({ size: 18446744073709551615n, list: [9007199254740993n, -5n], n: 1 }),
      '{"size":18446744073709551615,"list":[9007199254740993,-5],"n":1}',
    );
  });

  test("round-trips big integers through parseJson", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), (value) => {
        const back = parseJson(stringifyJson({ value }));
        const expected = value >= -(2n ** 53n - 1n) && value <= 2n ** 53n - 1n ? Number(value) : value;
        assert.deepEqual(back, { value: expected });
      }),
    );
  });

  test("matches JSON.stringify on plain JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.equal(stringifyJson(value), JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  test("follows JSON.stringify for undefined, functions, toJSON and boxed values", () => {
    const value = {
      a: undefined,
      f: () => 1,
      s: Symbol("s"),
      list: [undefined, () => 1],
      date: new Date(0),
      boxed: [new Number(3), new String("x"), new Boolean(false)],
    };
    assert.equal(stringifyJson(value), JSON.stringify(value));
  });

  test("refuses what QEMU would reject or JSON would silently change, naming the path", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const cases: [unknown, string, RegExp][] = [
      [{ speed: Number.NaN }, "arguments.speed", /NaN is not a JSON number/],
      [{ list: [1, Infinity] }, "arguments.list[1]", /Infinity/],
      [{ name: "a\ud800b" }, "arguments.name", /lone UTF-16 surrogate/],
      [{ ["k\udc00"]: 1 }, "arguments.k\udc00", /lone UTF-16 surrogate/],
      [{ nested: cycle }, "arguments.nested.self", /circular/],
    ];
    for (const [value, path, reason] of cases) {
      assert.throws(
        () => stringifyJson(value, "arguments"),
        (error: unknown) => error instanceof JsonEncodeError && error.path === path && reason.test(error.reason),
      );
    }
    // A surrogate pair is fine.
    assert.equal(stringifyJson({ emoji: "😀" }), '{"emoji":"😀"}');
  });
});

describe("hasLongDigitRun", () => {
  test("finds a run of 16 digits wherever it starts, and nothing shorter", () => {
    for (let offset = 0; offset < 40; offset++) {
      for (const length of [15, 16, 17]) {
        const text = `${"x".repeat(offset)}${"7".repeat(length)}${"y".repeat(offset % 5)}`;
        assert.equal(hasLongDigitRun(text), length >= 16, `offset ${offset}, length ${length}`);
      }
    }
    assert.equal(hasLongDigitRun("123456789012345 123456789012345"), false);
  });

  test("agrees with a full scan on arbitrary strings", () => {
    fc.assert(
      // Digit runs of 1 to 20 between separators, so both answers are common.
      fc.property(fc.array(fc.oneof(fc.stringMatching(/^\d{1,20}$/), fc.constantFrom("a", " ", ".", '"'))), (parts) => {
        const text = parts.join("");
        assert.equal(hasLongDigitRun(text), /\d{16}/.test(text));
      }),
      { numRuns: 2000 },
    );
  });
});

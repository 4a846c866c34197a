// Lossless JSON for QMP. QEMU's integers are 64-bit (sizes, offsets, `uint64` ids) and
// JSON.parse would silently round anything past 2^53, so integers outside Number's safe range
// become `bigint` on the way in, and `bigint` is written digit for digit on the way out.

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/**
 * Parses one JSON text. Integers outside ±(2^53 - 1) come back as `bigint`, every other number
 * as `number`; the rest is exactly what JSON.parse returns. Throws SyntaxError on malformed input.
 */
export function parseJson(text: string): JsonValue {
  // An integer literal of at most 15 digits is below 10^15 < 2^53, so JSON.parse is exact for
  // any text without a run of 16 or more digits. QMP traffic almost never has one, so the
  // native parser does nearly all the work and the hand-written one only the rare rest.
  if (!hasLongDigitRun(text)) return JSON.parse(text) as JsonValue;
  return new LosslessParser(text).parseDocument();
}

const LONG_DIGIT_RUN = 16;

/** Whether `text` has LONG_DIGIT_RUN consecutive ASCII digits anywhere (strings included: a false alarm only costs speed). */
export function hasLongDigitRun(text: string): boolean {
  // Any run of 16 digits covers one index i with i % 16 === 15, so only those are looked at
  // (and the run around a digit found there measured): a sixteenth of the work of a full scan.
  for (let i = LONG_DIGIT_RUN - 1; i < text.length; i += LONG_DIGIT_RUN) {
    if (!isDigit(text.charCodeAt(i))) continue;
    let start = i;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    let end = i + 1;
    while (end < text.length && isDigit(text.charCodeAt(end))) end++;
    if (end - start >= LONG_DIGIT_RUN) return true;
  }
  return false;
}

class LosslessParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail("unexpected data after the JSON value");
    return value;
  }

  private parseValue(): JsonValue {
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b /* { */:
        return this.parseObject();
      case 0x5b /* [ */:
        return this.parseArray();
      case 0x22 /* " */:
        return this.parseString();
      case 0x74 /* t */:
        return this.parseLiteral("true", true);
      case 0x66 /* f */:
        return this.parseLiteral("false", false);
      case 0x6e /* n */:
        return this.parseLiteral("null", null);
      default:
        if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
        return this.fail(Number.isNaN(c) ? "unexpected end of input" : "unexpected character");
    }
  }

  private parseObject(): JsonObject {
    const object: JsonObject = {};
    this.pos++; // {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d /* } */) {
      this.pos++;
      return object;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail("expected a string key");
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a /* : */) this.fail("expected ':'");
      this.pos++;
      const value = this.parseValue();
      setMember(object, key, value);
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d /* } */) return object;
      if (c !== 0x2c /* , */) this.fail("expected ',' or '}'", this.pos - 1);
    }
  }

  private parseArray(): JsonValue[] {
    const array: JsonValue[] = [];
    this.pos++; // [
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d /* ] */) {
      this.pos++;
      return array;
    }
    for (;;) {
      array.push(this.parseValue());
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d /* ] */) return array;
      if (c !== 0x2c /* , */) this.fail("expected ',' or ']'", this.pos - 1);
    }
  }

  private parseString(): string {
    const start = this.pos; // at the opening quote
    let escaped = false;
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x22 /* " */) {
        this.pos = i + 1;
        // Escapes are rare in QMP; let the native parser decode them (and check them).
        return escaped ? (JSON.parse(this.text.slice(start, i + 1)) as string) : this.text.slice(start + 1, i);
      }
      if (c === 0x5c /* \ */) {
        escaped = true;
        i++; // the escaped character cannot end the string
      } else if (c < 0x20) {
        this.fail("control character in string", i);
      }
    }
    return this.fail("unterminated string", start);
  }

  private parseNumber(): number | bigint {
    const text = this.text;
    const start = this.pos;
    let i = start;
    if (text.charCodeAt(i) === 0x2d /* - */) i++;
    const intStart = i;
    if (text.charCodeAt(i) === 0x30 /* 0 */) {
      i++;
    } else {
      while (isDigit(text.charCodeAt(i))) i++;
    }
    if (i === intStart) this.fail("invalid number", start);
    let integer = true;
    if (text.charCodeAt(i) === 0x2e /* . */) {
      integer = false;
      const fracStart = ++i;
      while (isDigit(text.charCodeAt(i))) i++;
      if (i === fracStart) this.fail("invalid number", start);
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 /* e */ || e === 0x45 /* E */) {
      integer = false;
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 0x2b /* + */ || sign === 0x2d /* - */) i++;
      const expStart = i;
      while (isDigit(text.charCodeAt(i))) i++;
      if (i === expStart) this.fail("invalid number", start);
    }
    this.pos = i;
    const literal = text.slice(start, i);
    if (integer && i - intStart >= LONG_DIGIT_RUN) {
      const big = BigInt(literal);
      return big >= MIN_SAFE && big <= MAX_SAFE ? Number(big) : big;
    }
    return Number(literal);
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail("unexpected character");
    this.pos += word.length;
    return value;
  }

  private skipWhitespace(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  private fail(reason: string, at = this.pos): never {
    throw new SyntaxError(`JSON: ${reason} at position ${at}`);
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A value stringifyJson cannot put on the wire; `path` is like `arguments.speed` or `arguments.list[2]`. */
export class JsonEncodeError extends TypeError {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = "JsonEncodeError";
  }
}

/**
 * JSON.stringify with three differences: `bigint` is written exactly (also inside arrays and
 * objects), and NaN/±Infinity and strings with lone surrogates throw JsonEncodeError instead of
 * becoming `null` or a `\uXXXX` escape (unless `keepLoneSurrogates`: QEMU 7.2 rejects one with
 * an error that carries no id, 2.7 and before keep bytes that are no UTF-8). Otherwise as
 * JSON.stringify: `undefined`, functions and symbols are left out of objects (and are `null` in
 * arrays), `toJSON` is used.
 * It writes what toJsonValue() reads, so a check of that value judges exactly these bytes.
 */
export function stringifyJson(value: unknown, path = "$", options?: ToJsonOptions): string {
  const json = toJsonValue(value, path, options);
  if (json === undefined) throw new JsonEncodeError(path, `${typeof value} is not a JSON value`);
  return writeJson(json);
}

export interface ToJsonOptions {
  /** Keep strings with lone surrogates (JSON.stringify writes them as `\uXXXX`) instead of refusing them. */
  readonly keepLoneSurrogates?: boolean;
}

/**
 * The JSON value that `value` goes on the wire as: a plain snapshot (own enumerable properties
 * only, each read once, in Object.keys order; boxed primitives unboxed, `toJSON` applied with
 * its key, as JSON.stringify does), or undefined when JSON.stringify would leave it out.
 * Throws JsonEncodeError naming the path for what JSON cannot carry (NaN, ±Infinity, cycles),
 * for lone surrogates unless kept, and for a getter, `toJSON` or Proxy trap that throws.
 */
export function toJsonValue(value: unknown, path = "$", options?: ToJsonOptions): JsonValue | undefined {
  return read(value, "", path, "", [], options?.keepLoneSurrogates === true);
}

// The path of a value is `parent + segment`, joined only when needed (an error, a nested value):
// most values are scalars that are never named.
function read(value: unknown, key: string, parent: string, segment: string, ancestors: object[], keepLoneSurrogates: boolean): JsonValue | undefined {
  if (typeof value === "object" && value !== null) {
    try {
      if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
      else {
        const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
        if (typeof toJSON === "function") value = toJSON.call(value, key) as unknown;
      }
    } catch (error) {
      throw threw(parent + segment, error);
    }
  }
  switch (typeof value) {
    case "string":
      if (!keepLoneSurrogates && !isWellFormed(value)) throw new JsonEncodeError(parent + segment, "string contains a lone UTF-16 surrogate");
      return value;
    case "number":
      if (!Number.isFinite(value)) throw new JsonEncodeError(parent + segment, `${value} is not a JSON number`);
      return value;
    case "bigint":
    case "boolean":
      return value;
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "object":
      break;
  }
  if (value === null) return null;
  const object = value as object;
  const path = parent + segment;
  if (ancestors.includes(object)) throw new JsonEncodeError(path, "circular reference");
  ancestors.push(object);
  let out: JsonValue;
  let at = path; // what is being read, for an error
  try {
    if (Array.isArray(object)) {
      const array = object as readonly unknown[];
      const length = array.length;
      const items: JsonValue[] = [];
      for (let i = 0; i < length; i++) {
        at = `${path}[${i}]`;
        items.push(read(array[i], String(i), path, `[${i}]`, ancestors, keepLoneSurrogates) ?? null);
      }
      out = items;
    } else {
      const record = object as Readonly<Record<string, unknown>>;
      const members: JsonObject = {};
      for (const name of Object.keys(record)) {
        at = `${path}.${name}`;
        if (!keepLoneSurrogates && !isWellFormed(name)) throw new JsonEncodeError(at, "key contains a lone UTF-16 surrogate");
        const member = read(record[name], name, path, `.${name}`, ancestors, keepLoneSurrogates);
        if (member === undefined) continue;
        setMember(members, name, member);
      }
      out = members;
    }
  } catch (error) {
    throw threw(at, error);
  }
  ancestors.pop();
  return out;
}

/** What a getter, `toJSON` or Proxy trap threw, named by path (errors of deeper values keep their own path). */
function threw(path: string, error: unknown): JsonEncodeError {
  if (error instanceof JsonEncodeError) return error;
  return new JsonEncodeError(path, `reading it threw: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * No lone UTF-16 surrogate. ES2024, typed here for the ES2023 lib; the result compared with
 * true, so that V8 knows it is a boolean.
 */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed() === true;
}

/** Sets a member of a JSON object, "__proto__" too: a plain assignment to it would replace the prototype (JSON.parse makes it an own property). */
export function setMember(object: JsonObject, key: string, value: JsonValue): void {
  if (key === "__proto__") Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/** The text of a JSON value: as JSON.stringify, with bigint written digit for digit. */
export function writeJson(value: JsonValue): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "true" : "false";
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(writeJson).join(",")}]`;
  const members: string[] = [];
  for (const key of Object.keys(value)) members.push(`${JSON.stringify(key)}:${writeJson(value[key] as JsonValue)}`);
  return `{${members.join(",")}}`;
}

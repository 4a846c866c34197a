// Property: the generated validators (a compiled fast path in front of the runtime's check)
// give exactly the answers of the model's check (src/model/validate.ts), on random arguments
// and target versions, for the golden fixture and for every command of the largest real file.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import fc from "fast-check";
import ts from "typescript";
import { emitValidators } from "../../src/emit/validators.js";
import { moduleText } from "../../src/emit/typescript.js";
import { assignNames } from "../../src/emit/names.js";
import { parseSchema, validateCommandArguments, type Command, type Schema } from "../../src/index.js";
import * as golden from "../../generated/validators.js";
import { entry, parseCorpusFile, requireCorpus } from "../corpus/corpus.js";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { fixturePath, repoRoot } from "../helpers.js";

type Validator = (args: unknown, options?: { qemuVersion: string }) => readonly { path: string; class: string; message: string }[];

/** Emits and loads a schema's validators module (TypeScript -> JavaScript in memory). */
async function loadValidators(schema: Schema): Promise<{ validators: Map<Command, Validator>; byName: (command: string, args: unknown) => unknown }> {
  const names = assignNames(schema.commands);
  const source = await moduleText(emitValidators(schema, names, { runtimeImport: pathToFileURL(join(repoRoot, "dist", "src", "runtime", "index.js")).href }));
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const module = (await import(`data:text/javascript;base64,${Buffer.from(outputText).toString("base64")}`)) as Record<string, unknown>;
  const validators = new Map<Command, Validator>();
  for (const command of schema.commands) {
    const validator = module[names.get(command)?.validator ?? ""];
    assert.equal(typeof validator, "function", `validator of ${command.name}`);
    validators.set(command, validator as Validator);
  }
  return { validators, byName: module["validateArguments"] as (command: string, args: unknown) => unknown };
}

/** Values the fast path must not wave through: inherited, boxed, toJSON, getters, proxies, sparse arrays. */
function trickyArguments(record: Record<string, unknown>): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>(
    Object.create(record),
    new Proxy(record, {}),
    new Proxy(record, { get: () => assert.fail("a trap that throws") }),
    Object.defineProperty({ ...record }, "x", { enumerable: false, value: 1 }),
    Object.defineProperties({}, Object.fromEntries(Object.entries(record).map(([key, value], index) => [key, { value, enumerable: index % 2 === 0 }]))),
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, typeof value === "string" ? new String(value) : typeof value === "number" ? new Number(value) : value])),
    { ...record, toJSON: () => record },
    Object.defineProperties({ ...record }, Object.fromEntries(Object.keys(record).map((key) => [key, { enumerable: true, get: () => record[key] }]))),
  );
}

/** Random arguments: mostly the command's own keys with values of any JSON type, some strangers. */
function argumentsFor(command: Command): fc.Arbitrary<unknown> {
  const value = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt(),
    fc.constantFrom(2 ** 63, -(2 ** 63), 1e21, 2n ** 63n, -(2n ** 63n) - 1n, 2n ** 64n, Number.NaN, "a\ud800"),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
  );
  const names = command.args.map((arg) => arg.name);
  // Lone surrogates: JSON writes them as `\uXXXX`, QEMU shows them as sent or as U+FFFD.
  const strangerKey = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("k\udc00", "\ud800", "\udc00\ud800"));
  const key = names.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: strangerKey }) : strangerKey;
  const record = fc.dictionary(key, value, { maxKeys: names.length + 2 }).map((entries) => {
    // fc.dictionary makes null-prototype-free plain objects; __proto__ as a key must stay data.
    const object: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(entries)) Object.defineProperty(object, name, { value: member, enumerable: true, writable: true, configurable: true });
    return object;
  });
  return fc.oneof({ weight: 12, arbitrary: record }, { weight: 1, arbitrary: value }, { weight: 2, arbitrary: record.chain(trickyArguments) });
}

const versions = fc.constantFrom("1.1.0", "1.4", "1.5", "1.6", "2.3.1", "2.4", "2.7.0", "7.2.0");

function checkAgreement(commands: readonly Command[], validators: ReadonlyMap<Command, Validator>, runs: number): void {
  for (const command of commands) {
    const validator = validators.get(command);
    if (!validator) assert.fail(`no validator for ${command.name}`);
    fc.assert(
      fc.property(argumentsFor(command), versions, (args, qemuVersion) => {
        assert.deepEqual([...validator(args, { qemuVersion })], validateCommandArguments(command, args, { qemuVersion }));
      }),
      { numRuns: runs, seed: 20261125 },
    );
  }
}

describe("generated validators agree with the interpreter", () => {
  it("on the golden fixture (the committed generated/validators.ts)", async () => {
    const { schema } = parseSchema(await readFile(fixturePath, "utf8"), { file: fixturePath });
    const [command] = schema.commands;
    if (!command) assert.fail("fixture has no command");
    checkAgreement([command], new Map([[command, golden.validateBlockdevBackupArguments]]), 2000);
  });

  it("on every command of QEMU 2.7.0, and validateArguments dispatches by wire name", async (t) => {
    const corpus = requireCorpus(t);
    if (!corpus) return;
    const { schema } = parseCorpusFile(corpus, entry(corpus, "33"));
    const { validators, byName } = await loadValidators(schema);
    checkAgreement(schema.commands, validators, 150);
    for (const command of schema.commands) assert.deepEqual(byName(command.name, { "no such key": 1 }), validateCommandArguments(command, { "no such key": 1 }));
  });
});

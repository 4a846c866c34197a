// Property: the generated validators give exactly the answers of the model's interpreter of
// QEMU's check (src/model/validate.ts), on random arguments, for the golden fixture and for
// every command of the largest real file.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import fc from "fast-check";
import ts from "typescript";
import { emitValidators } from "../../src/emit/validators.js";
import { assignNames } from "../../src/emit/names.js";
import { parseSchema, validateCommandArguments, type Command, type Schema } from "../../src/index.js";
import * as golden from "../../generated/validators.js";
import { entry, parseCorpusFile, requireCorpus } from "../corpus/corpus.js";
import { fixturePath } from "../helpers.js";

type Validator = (args: unknown) => readonly { path: string; class: string; message: string }[];

/** Emits and loads a schema's validators module (TypeScript -> JavaScript in memory). */
async function loadValidators(schema: Schema): Promise<{ validators: Map<Command, Validator>; byName: (command: string, args: unknown) => unknown }> {
  const names = assignNames(schema.commands);
  const source = emitValidators(schema, names);
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
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
  );
  const names = command.args.map((arg) => arg.name);
  const key = names.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }) : fc.string({ maxLength: 6 });
  const record = fc.dictionary(key, value, { maxKeys: names.length + 2 }).map((entries) => {
    // fc.dictionary makes null-prototype-free plain objects; __proto__ as a key must stay data.
    const object: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(entries)) Object.defineProperty(object, name, { value: member, enumerable: true, writable: true, configurable: true });
    return object;
  });
  return fc.oneof({ weight: 12, arbitrary: record }, { weight: 1, arbitrary: value });
}

function checkAgreement(commands: readonly Command[], validators: ReadonlyMap<Command, Validator>, runs: number): void {
  for (const command of commands) {
    const validator = validators.get(command);
    if (!validator) assert.fail(`no validator for ${command.name}`);
    fc.assert(
      fc.property(argumentsFor(command), (args) => {
        assert.deepEqual([...validator(args)], validateCommandArguments(command, args));
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

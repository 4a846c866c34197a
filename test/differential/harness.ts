// Differential testing of the validators against the real monitors of QEMU 2.7.0 and 1.1.0:
// fast-check makes calls for every compiled-in command of the matching .hx, each call is checked
// locally (as that version's monitor, by the generated fast path and the runtime's check), then
// sent raw, and QEMU's answer must agree: a local rejection is exactly QEMU's error (class, desc,
// data), a local acceptance is never the monitor's rejection. Used by the test and by
// `npm run test:differential -- --calls N`.
import { readFileSync } from "node:fs";
import type { Socket } from "node:net";
import fc from "fast-check";
import ts from "typescript";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { emitValidators } from "../../src/emit/validators.js";
import { moduleText } from "../../src/emit/typescript.js";
import { assignNames } from "../../src/emit/names.js";
import { argCodes } from "../../src/model/codes.js";
import { checkedArguments, validateCommandArguments } from "../../src/model/validate.js";
import type { Command, Schema } from "../../src/model/types.js";
import { parseSchema } from "../../src/frontend/hx/schema.js";
import { type JsonObject, parseJson, replyOf, stringifyJson, type ValidationIssue } from "../../src/runtime/index.js";
import { qemuMonitor, shownKey } from "../../src/runtime/arguments.js";
import { repoRoot } from "../helpers.js";
import { type QemuRelease, withQemu } from "../e2e/qemu.js";

/** The release binaries and the .hx each was built from (corpus files, byte-identical to their sources). */
export const releases: Readonly<Record<QemuRelease, { readonly hx: string }>> = {
  "2.7.0": { hx: "33-2.7.0-qemu_qemu-1dc33ed90b.hx" },
  "1.1.0": { hx: "09-1.1.0-qemu_qemu-78260a5f08.hx" },
};

/** What the x86_64 builds compiled in (`#if` entries: dump-skeys, query-gic-capabilities, query-spice are out). */
const buildSymbols = { defines: new Map([["TARGET_I386", "1"]]), undefines: new Set(["TARGET_S390X", "TARGET_ARM", "CONFIG_SPICE"]) };

/**
 * Commands whose handler would act outside the test (files, sockets, processes, the guest's
 * run state) if a call passed the monitor's check. They only get calls the monitor must reject
 * by its own rules (an unknown key, a missing mandatory argument, a list for a typed argument),
 * and nothing the local check accepts is ever sent to them. Commands with an `F` (file name)
 * argument are added to this list by their args_type.
 */
export const sideEffects: ReadonlyMap<string, string> = new Map([
  ["quit", "exits QEMU"],
  ["stop", "stops the guest's CPUs"],
  ["cont", "starts the guest's CPUs (1.1.0 runs a stopped PC)"],
  ["system_reset", "resets the guest"],
  ["system_powerdown", "sends the guest an ACPI power-down"],
  ["system_wakeup", "wakes the guest from suspend"],
  ["migrate", "connects to the URI it is given, or runs it as a shell command (exec:)"],
  ["migrate-incoming", "listens on the URI it is given"],
  ["migrate-set-cache-size", "resizes the XBZRLE cache: a random size could exhaust memory"],
  ["screendump", "writes the file it is given"],
  ["memsave", "writes guest memory to the file it is given"],
  ["pmemsave", "writes guest memory to the file it is given"],
  ["dump-guest-memory", "writes a memory dump to the file or fd it is given"],
  ["xen-save-devices-state", "writes device state to the file it is given"],
  ["human-monitor-command", "runs any HMP command line (quit, savevm, writing files ...)"],
  ["netdev_add", "opens host network backends (sockets, tap devices, helper scripts)"],
  ["chardev-add", "opens host files, sockets and ptys"],
  ["object-add", "creates objects that open host files (memory-backend-file, rng-random)"],
  ["blockdev-add", "opens the images and files named in its options"],
  ["drive-backup", "creates the target image file"],
  ["drive-mirror", "creates the target image file"],
  ["blockdev-snapshot-sync", "creates the snapshot image file"],
  ["transaction", "runs snapshot and backup actions that create image files"],
  ["nbd-server-start", "listens on a host socket"],
  ["trace-event-set-state", "enables trace events, whose output goes to QEMU's stderr or a trace file"],
  ["migrate-set-parameters", "2.7.0's handler aborts QEMU (error_setv assertion) when two parameters are out of range"],
  ["inject-nmi", "injects an NMI into the guest's CPUs (2.7.0 with `-machine none`, which has none, crashes)"],
]);

/** Never reaches the argument check: in command mode QEMU answers CommandNotFound first. */
const notArgumentChecked = new Set(["qmp_capabilities"]);

export interface TargetCommand {
  readonly command: Command;
  /** Why calls to it must be rejected by the monitor, when they must. */
  readonly sideEffect: string | undefined;
}

export function targetCommands(corpusDir: string, release: QemuRelease): { schema: Schema; targets: TargetCommand[] } {
  const file = join(corpusDir, "hx", releases[release].hx);
  const { schema } = parseSchema(readFileSync(file, "utf8"), { file, ...buildSymbols });
  const seen = new Set<string>();
  const targets: TargetCommand[] = [];
  for (const command of schema.commands) {
    if (seen.has(command.name) || notArgumentChecked.has(command.name)) continue;
    seen.add(command.name);
    const fileArgument = checkedArguments(command).find((arg) => arg.code === "F");
    const sideEffect = sideEffects.get(command.name) ?? (fileArgument ? `opens or writes the file named by '${fileArgument.name}' (F)` : undefined);
    targets.push({ command, sideEffect });
  }
  return { schema, targets };
}

// ---------------------------------------------------------------------------------------
// Calls

export interface Call {
  readonly command: string;
  /** undefined: the call has no `arguments` member. */
  readonly args: unknown;
}

/** Strings with lone surrogates (JSON.stringify writes `\uXXXX`), and a pair beside them. */
const loneSurrogates = fc.constantFrom("\ud800", "a\udc00", "\udbff", "x\ud83d\ude00\ud83d", "\udc00\ud800");

const int64Edges = [2n ** 63n - 1n, 2n ** 63n, -(2n ** 63n), -(2n ** 63n) - 1n, 2n ** 64n, 2n ** 64n - 1n];

/** Any JSON value the client can send, weighted to the edges of QEMU's parser. */
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.string({ maxLength: 8 }),
    fc.string({ unit: "grapheme", maxLength: 4 }),
    loneSurrogates,
    fc.integer({ min: -1000, max: 1000 }),
    fc.constantFrom(...int64Edges),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
    // As numbers these are written 9223372036854775808, 1e+21, 1e-7, 1.5 ...: floats to QEMU.
    fc.constantFrom(2 ** 63, -(2 ** 63), 2 ** 64, 1e21, -1e21, 1e-7, 1.5, -0.25, 2e300, -0, 2 ** 53 + 2),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie("value"), { maxKeys: 3 }),
  ),
})).value;

/** A value of the JSON type a code wants, mostly ordinary, sometimes at int64's edges. */
function rightValue(code: string): fc.Arbitrary<unknown> {
  switch (argCodes[code as keyof typeof argCodes]?.kind) {
    case "string":
      return fc.oneof(fc.constantFrom("nodev", "x"), fc.string({ maxLength: 8 }), loneSurrogates);
    case "integer":
      return fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n), 2 ** 62));
    case "number":
      return fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(0.5, 1e21, 2n ** 64n));
    case "boolean":
      return fc.boolean();
    default:
      return anyValue;
  }
}

const otherKeys = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom("device", "id", "name", "speed", "bogus", "arguments", "__proto__"),
  // Beyond ASCII: two-, three- and four-byte UTF-8, and lone surrogates; NULs.
  fc.string({ unit: "grapheme", maxLength: 3 }),
  loneSurrogates,
  fc.constantFrom("a\u0000b", "\u0000", "speed\u0000"),
  // Noncharacters, control characters.
  fc.constantFrom("k\ufdd0", "\uffff", "k\ufffe\u{1fffe}", "\u0001\u001f\u007f\u0080\u009f", "\u{10ffff}"),
);

/** Random arguments for a command: a subset of its own with right or wrong values, strangers, any key order. */
function argumentsFor(command: Command): fc.Arbitrary<unknown> {
  const args = checkedArguments(command);
  const own = args.map((arg) =>
    fc.record({
      include: fc.integer({ min: 0, max: 9 }).map((n) => n < (arg.optional || arg.code === "-" ? 5 : 8)),
      value: fc.oneof({ weight: 3, arbitrary: rightValue(arg.code) }, { weight: 2, arbitrary: anyValue }),
    }),
  );
  const object = fc
    .tuple(fc.tuple(...own), fc.array(fc.tuple(otherKeys, anyValue), { maxLength: 2 }), fc.array(fc.nat(), { minLength: 8, maxLength: 8 }))
    .map(([chosen, strangers, shuffle]) => {
      const entries: [string, unknown][] = [];
      chosen.forEach((choice, index) => {
        const arg = args[index];
        if (arg && choice.include) entries.push([arg.name, choice.value]);
      });
      for (const [key, value] of strangers) if (!entries.some(([name]) => name === key)) entries.push([key, value]);
      // Shuffle by the random keys (a fixed-length list keeps shrinking simple).
      const order = entries.map((entry, index) => ({ entry, rank: shuffle[index % shuffle.length] ?? 0, index }));
      order.sort((a, b) => a.rank - b.rank || a.index - b.index);
      const record: Record<string, unknown> = {};
      for (const { entry } of order) Object.defineProperty(record, entry[0], { value: entry[1], enumerable: true, writable: true, configurable: true });
      return record;
    });
  return fc.oneof(
    { weight: 20, arbitrary: object },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>([], "x", 1, true, null, [1]) },
  );
}

/**
 * For a command with side effects: the call made certain to fail the monitor's check by QEMU's
 * own rules (not by the validators under test), or undefined when no such change exists.
 */
function guaranteedRejection(command: Command, args: unknown): unknown {
  if (typeof args !== "object" || args === null || Array.isArray(args)) return args === undefined ? guaranteedRejection(command, {}) : args;
  const checked = checkedArguments(command);
  const record = { ...(args as Record<string, unknown>) };
  // Every key is checked for being known: a stranger fails unless an O argument takes it.
  if (!command.acceptsUnknownKeys) return { ...record, "x-differential-guard": true };
  // Every mandatory argument is checked for being present.
  const mandatory = checked.find((arg) => !arg.optional && arg.code !== "-" && arg.code !== "O");
  if (mandatory) {
    delete record[mandatory.name];
    return record;
  }
  // Every key sent is type-checked: no typed code takes a list.
  const typed = checked.find((arg) => argCodes[arg.code].expected !== undefined);
  if (typed) return { ...record, [typed.name]: [] };
  return undefined;
}

export function callsFor(targets: readonly TargetCommand[], count: number, seed: number): Call[] {
  const usable = targets.filter((target) => target.sideEffect === undefined || guaranteedRejection(target.command, {}) !== undefined);
  const call = fc.constantFrom(...usable).chain((target) =>
    argumentsFor(target.command).map((args): Call => ({ command: target.command.name, args: target.sideEffect === undefined ? args : guaranteedRejection(target.command, args) })),
  );
  return fc.sample(call, { numRuns: count, seed });
}

// ---------------------------------------------------------------------------------------
// The monitor, spoken to raw

/** One QMP connection read line by line; each exchange is followed by a marker call, so replies without an id still line up. */
class RawMonitor {
  private buffer = "";
  private readonly messages: JsonObject[] = [];
  private waiting: (() => void) | undefined;
  private ended: Error | undefined;
  private marker = 0;

  constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf("\n")) !== -1) {
        const line = this.buffer.slice(0, newline).trim();
        this.buffer = this.buffer.slice(newline + 1);
        if (line !== "") this.messages.push(parseJson(line) as JsonObject);
      }
      this.wake();
    });
    const end = (error?: Error): void => {
      this.ended ??= error ?? new Error("QEMU closed the connection");
      this.wake();
    };
    socket.on("error", end);
    socket.on("close", () => end());
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  private async next(): Promise<JsonObject> {
    for (;;) {
      const message = this.messages.shift();
      if (message !== undefined) {
        if (Object.hasOwn(message, "event")) continue;
        return message;
      }
      if (this.ended) throw this.ended;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no reply from QEMU within 10 s")), 10_000);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async greet(): Promise<JsonObject> {
    const greeting = await this.next();
    this.socket.write('{"execute":"qmp_capabilities"}\n');
    await this.next();
    return greeting;
  }

  /** Sends one line and returns the first reply to it. */
  async exchange(line: string): Promise<JsonObject> {
    const marker = `marker-${this.marker++}`;
    if (process.env["QMP_HX_DIFF_TRACE"]) console.error(line);
    this.socket.write(`${line}\n{"execute":"query-version","id":${JSON.stringify(marker)}}\n`);
    let reply: JsonObject | undefined;
    for (;;) {
      const message = await this.next();
      if (message.id === marker) break;
      reply ??= message;
    }
    if (reply === undefined) throw new Error(`QEMU sent no reply to ${line}`);
    return reply;
  }
}

// ---------------------------------------------------------------------------------------
// Verdicts

export interface Outcome {
  readonly calls: number;
  /** Rejected locally, and QEMU's error is exactly the first issue. */
  readonly rejectedAlike: number;
  /** Accepted locally and by QEMU's monitor: the handler succeeded ... */
  readonly acceptedSucceeded: number;
  /** ... or the handler refused (an unknown device, a bad enum value ...). */
  readonly acceptedHandlerRefused: number;
  readonly disagreements: readonly string[];
  readonly commands: number;
  readonly skippedCommands: readonly string[];
}

type Validate = (command: string, args: unknown, options: { qemuVersion: string }) => readonly ValidationIssue[];

/** The generated validators of the release's .hx, compiled in memory and loaded. */
async function generatedValidators(schema: Schema, targets: readonly TargetCommand[]): Promise<Validate> {
  const commands = targets.map((target) => target.command);
  const source = await moduleText(
    emitValidators({ ...schema, commands }, assignNames(commands), {
      runtimeImport: pathToFileURL(join(repoRoot, "dist", "src", "runtime", "index.js")).href,
    }),
  );
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const module = (await import(`data:text/javascript;base64,${Buffer.from(outputText).toString("base64")}`)) as { validateArguments: Validate };
  return module.validateArguments;
}

/**
 * A key as 1.1 and 2.7 show it in a reply, by the runtime's rule: only to recognise the monitor's
 * rejection of a call accepted locally (a local rejection is compared with QEMU's text itself).
 */
function shownKeys(key: string): string[] {
  return ["1.1.0", "2.7.0"].map((qemuVersion) => shownKey(key, qemuMonitor(qemuVersion)));
}

/** Whether an error reply is one of the monitor's own rejections of these arguments (not the handler's, which reuses the wording). */
function monitorRejection(command: Command, args: unknown, error: JsonObject): boolean {
  const desc = String(error.desc);
  if (desc === "Invalid JSON syntax" || desc === "QMP input object member 'arguments' expects 'object'") return true;
  // A key is shown as sent, from 1.5 with U+FFFD for a lone surrogate, up to 1.4 with a character
  // beyond U+FFFF mangled: any of these names a key sent.
  const keys = typeof args === "object" && args !== null ? Object.keys(args) : [];
  const sent = new Set(keys.flatMap((key) => [key, ...shownKeys(key)]));
  const checked = new Map(checkedArguments(command).map((arg) => [arg.name, arg]));
  let match = /^Parameter '(.*)' is missing$/s.exec(desc);
  if (match) {
    const arg = checked.get(match[1] ?? "");
    return arg !== undefined && !arg.optional && arg.code !== "-" && arg.code !== "O" && !sent.has(arg.name);
  }
  match = /^Invalid parameter '(.*)'$/s.exec(desc);
  if (match) return sent.has(match[1] ?? "") && !checked.has(match[1] ?? "") && !command.acceptsUnknownKeys;
  match = /^Invalid parameter type for '(.*)', expected: (.*)$/s.exec(desc);
  if (match) {
    const arg = checked.get(match[1] ?? "");
    return arg !== undefined && sent.has(arg.name) && argCodes[arg.code].expected === match[2];
  }
  return false;
}

/** As JSON.stringify writes a lone surrogate (`\uXXXX`), which the client refuses to send but a raw line may carry. */
const asJsonWritesIt = { keepLoneSurrogates: true };

function show(value: unknown): string {
  try {
    return stringifyJson(value, "$", asJsonWritesIt);
  } catch {
    return String(value);
  }
}

/** Starts the release, sends the calls one by one, and judges every answer. */
export async function runDifferential(release: QemuRelease, corpusDir: string, count: number, seed: number): Promise<Outcome> {
  const { schema, targets } = targetCommands(corpusDir, release);
  const byName = new Map(targets.map((target) => [target.command.name, target]));
  const calls = callsFor(targets, count, seed);
  const validate = await generatedValidators(schema, targets);
  const disagreements: string[] = [];
  let rejectedAlike = 0;
  let acceptedSucceeded = 0;
  let acceptedHandlerRefused = 0;
  await withQemu({ release }, async (qemu) => {
    const monitor = new RawMonitor(await qemu.connectSocket());
    {
      await monitor.greet();
      let id = 0;
      for (const call of calls) {
        const target = byName.get(call.command);
        if (!target) throw new Error(`no command ${call.command}`);
        const issues = validate(call.command, call.args, { qemuVersion: release });
        // The generated fast path and the model's check must agree too.
        const interpreted = validateCommandArguments(target.command, call.args, { qemuVersion: release });
        const what = `${call.command} ${show(call.args)}`;
        if (JSON.stringify(issues) !== JSON.stringify(interpreted)) disagreements.push(`${what}: generated ${JSON.stringify(issues)} but model ${JSON.stringify(interpreted)}`);
        if (issues.length === 0 && target.sideEffect !== undefined) {
          disagreements.push(`${what}: accepted locally, not sent (${target.sideEffect})`);
          continue;
        }
        const line = call.args === undefined ? `{"execute":${JSON.stringify(call.command)},"id":${++id}}` : `{"execute":${JSON.stringify(call.command)},"arguments":${stringifyJson(call.args, "arguments", asJsonWritesIt)},"id":${++id}}`;
        const reply = await monitor.exchange(line).catch((error: unknown) => {
          throw new Error(`QEMU ${release} gave no reply to ${line}: ${String(error)}\n${qemu.stderr()}`);
        });
        const error = reply.error as JsonObject | undefined;
        const first = issues[0];
        if (first !== undefined) {
          const expected = replyOf(first);
          const actual = error === undefined ? undefined : { class: error.class, desc: error.desc, ...(error.data === undefined ? {} : { data: error.data }) };
          if (JSON.stringify(actual) === JSON.stringify(expected)) rejectedAlike++;
          else disagreements.push(`${what}: expected ${JSON.stringify(expected)}, QEMU replied ${show(reply)}`);
        } else if (error === undefined) {
          acceptedSucceeded++;
        } else if (monitorRejection(target.command, call.args, error)) {
          disagreements.push(`${what}: accepted locally, QEMU's monitor replied ${show(reply)}`);
        } else {
          acceptedHandlerRefused++;
        }
      }
    }
  });
  const skippedCommands = targets.filter((target) => target.sideEffect !== undefined && guaranteedRejection(target.command, {}) === undefined).map((target) => target.command.name);
  return { calls: calls.length, rejectedAlike, acceptedSucceeded, acceptedHandlerRefused, disagreements, commands: targets.length - skippedCommands.length, skippedCommands };
}

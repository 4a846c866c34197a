// qmp-hx exec: one command to a running QEMU, validated first against a .hx file or generated
// validators when given, the reply printed as JSON (64-bit integers exact).
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { parseFile } from "../api.js";
import { validateCommandArguments } from "../model/validate.js";
import {
  commandNotFound,
  QmpClient,
  QmpError,
  QmpHxError,
  ValidationError,
  parseJson,
  stringifyJson,
  type QmpConnectOptions,
  type ValidateOptions,
  type ValidationIssue,
} from "../runtime/index.js";
import { ArgumentError, buildOptionSpecs, buildOptionsFrom, buildOptionsHelp, parseCommandLine, reportingErrors, timeoutOption, UsageError, type CliCommand, type CliIo } from "./command.js";

/** Where a running QEMU's monitor is: `exec` and `drift`. */
export const connectionOptionSpecs = {
  socket: { type: "string", short: "s" },
  tcp: { type: "string", short: "t" },
} as const;

export const connectionOptionsHelp = `  -s, --socket PATH          QMP unix socket
  -t, --tcp HOST:PORT        QMP TCP address`;

export const execCommand: CliCommand = {
  name: "exec",
  usage: `Usage: qmp-hx exec (--socket PATH | --tcp HOST:PORT) COMMAND [JSON-ARGUMENTS] [options]

Connects, negotiates capabilities, sends COMMAND with the arguments (a JSON object), prints the
reply's "return" as one line of JSON on stdout and exits 0. QEMU's error: its class and text on
stderr, exit 1. Arguments are checked first when --hx or --validators is given, as the monitor
of the QEMU version the greeting reports checked them: nothing is sent when they are invalid
(exit 1, every issue listed, the first being QEMU's own error).

Options:
${connectionOptionsHelp}
      --hx FILE              validate against this .hx file (or docs/qmp-commands.txt)
      --validators MODULE    validate with generated validators (a compiled .js module that
                             exports validateArguments)
      --events               print events (one JSON line each, on stderr) while waiting
      --wait-event NAME      after the reply, wait for this event and print it on stdout
      --timeout MS           give up after MS milliseconds (default 30000)
${buildOptionsHelp}
  -h, --help                 show this help`,
  async run(argv, io) {
    return reportingErrors(this, io, async () => {
      const { values, positionals } = parseCommandLine(argv, {
        ...connectionOptionSpecs,
        hx: { type: "string" },
        validators: { type: "string" },
        events: { type: "boolean" },
        "wait-event": { type: "string" },
        timeout: { type: "string" },
        ...buildOptionSpecs,
      });
      if (values.help) {
        io.stdout(this.usage + "\n");
        return 0;
      }
      const [command, argumentText, ...extra] = positionals;
      if (command === undefined || extra.length > 0) throw new UsageError("expected COMMAND and at most one JSON-ARGUMENTS");
      const address = connectOptions(values.socket, values.tcp);
      const timeout = timeoutOption(values.timeout, 30_000);
      const args = argumentText === undefined ? undefined : jsonArguments(argumentText);

      const check = await localCheck(command, values.hx, values.validators, buildOptionsFrom(values));
      try {
        return await send(io, address, command, args, check, { timeout, printEvents: values.events ?? false, waitEvent: values["wait-event"] });
      } catch (error) {
        if (error instanceof ValidationError) {
          io.stderr(error.message + "\nnothing was sent\n");
          return 1;
        }
        // Connection refused or lost, a timeout, a protocol violation: say so, no stack trace.
        if (!(error instanceof QmpHxError)) throw error;
        io.stderr(`qmp-hx exec: ${error.message}\n`);
        return 1;
      }
    });
  },
};

/** `--socket PATH` or `--tcp HOST:PORT`, exactly one (exec and drift). */
export function connectOptions(socket: string | undefined, tcp: string | undefined): QmpConnectOptions {
  if ((socket === undefined) === (tcp === undefined)) throw new UsageError("give exactly one of --socket PATH and --tcp HOST:PORT");
  if (socket !== undefined) return { path: socket };
  const match = /^(.*):(\d+)$/.exec(tcp ?? "");
  if (!match?.[2]) throw new UsageError(`--tcp ${tcp ?? ""}: expected HOST:PORT`);
  const port = Number(match[2]);
  if (port > 65535) throw new UsageError(`--tcp ${tcp ?? ""}: expected a port from 0 to 65535`);
  return { host: match[1] || "localhost", port };
}

function jsonArguments(text: string): Readonly<Record<string, unknown>> {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (error) {
    throw new UsageError(`JSON-ARGUMENTS is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new UsageError("JSON-ARGUMENTS must be a JSON object");
  return value as Readonly<Record<string, unknown>>;
}

type ArgumentsCheck = (args: unknown, options: ValidateOptions) => readonly ValidationIssue[];

/** The check of the command's arguments from --hx or --validators; none without either. */
async function localCheck(
  command: string,
  hxFile: string | undefined,
  validatorsModule: string | undefined,
  buildOptions: ReturnType<typeof buildOptionsFrom>,
): Promise<ArgumentsCheck | undefined> {
  if (hxFile !== undefined) {
    const { schema } = await parseFile(hxFile, buildOptions);
    const found = schema.commands.find((candidate) => candidate.name === command);
    if (!found) return (_args, options) => [commandNotFound(command, options.qemuVersion)];
    return (args, options) => validateCommandArguments(found, args, options);
  }
  if (validatorsModule !== undefined) {
    const failed = (what: string, error: unknown): ArgumentError =>
      new ArgumentError(`--validators ${validatorsModule}: ${what}: ${(error instanceof Error ? error.message : String(error)).split("\n")[0] ?? ""}`);
    let module: { validateArguments?: unknown };
    try {
      module = (await import(pathToFileURL(resolve(validatorsModule)).href)) as { validateArguments?: unknown };
    } catch (error) {
      throw failed("cannot load the module", error);
    }
    const validate = module.validateArguments;
    if (typeof validate !== "function") throw new ArgumentError(`--validators ${validatorsModule}: the module exports no validateArguments function`);
    return (args, options) => {
      let issues: unknown;
      try {
        issues = (validate as (command: string, args: unknown, options: ValidateOptions) => unknown)(command, args, options);
      } catch (error) {
        throw failed("validateArguments threw", error);
      }
      if (!Array.isArray(issues)) throw new ArgumentError(`--validators ${validatorsModule}: validateArguments returned no list of issues`);
      return issues as readonly ValidationIssue[];
    };
  }
  return undefined;
}

async function send(
  io: CliIo,
  address: QmpConnectOptions,
  command: string,
  args: Readonly<Record<string, unknown>> | undefined,
  check: ArgumentsCheck | undefined,
  options: { timeout: number; printEvents: boolean; waitEvent: string | undefined },
): Promise<number> {
  const signal = AbortSignal.timeout(options.timeout);
  const client = await QmpClient.connect({ ...address, connectTimeout: options.timeout });
  if (check !== undefined) {
    // As the monitor of the version that greeted us checks them.
    const issues = check(args, { qemuVersion: client.version.qemu });
    if (issues.length > 0) {
      await client.close();
      throw new ValidationError(command, issues);
    }
  }
  // Events go to stderr as they come, until the connection closes.
  const printing = options.printEvents
    ? (async () => {
        for await (const event of client.events()) io.stderr(stringifyJson(event) + "\n");
      })()
    : undefined;
  try {
    const awaited = options.waitEvent === undefined ? undefined : client.waitForEvent(options.waitEvent, undefined, options.timeout);
    awaited?.catch(() => undefined); // observed below; a failed command must not leave it unhandled
    try {
      io.stdout(stringifyJson(await client.execute(command, args, { signal })) + "\n");
    } catch (error) {
      if (!(error instanceof QmpError)) throw error;
      io.stderr(`${error.class}: ${error.desc}\n`);
      return 1;
    }
    if (awaited) io.stdout(stringifyJson(await awaited) + "\n");
    return 0;
  } finally {
    await client.close();
    await printing;
  }
}

// What every CLI command shares: its help, option parsing with node's util.parseArgs, and
// turning bad input into `file:line:column: message` on stderr with a non-zero exit.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { HxError } from "../frontend/source.js";
import { OutputError } from "../write/writer.js";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Resolves when what was written to stdout has been taken (a pipe can be slower than we write). */
  readonly stdoutDrained?: () => Promise<void>;
}

export interface CliCommand {
  readonly name: string;
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** A mistake in how the command was called: exit 2 with the usage. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A file or module named on the command line that cannot be used: one line, exit 1. */
export class ArgumentError extends Error {
  override readonly name = "ArgumentError";
}

/** Parses a command line with node's util.parseArgs; its complaints become UsageErrors. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T & { help: { type: "boolean"; short: "h" } }; allowPositionals: true; strict: true }>> {
  return usageErrors(() =>
    parseArgs({ args: [...argv], options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true }),
  );
}

function usageErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The one input file a command was given. */
export function oneInputFile(positionals: readonly string[]): string {
  const [input, ...extra] = positionals;
  if (input === undefined || extra.length > 0) throw new UsageError("expected exactly one input file");
  return input;
}

/** The options every command that reads a .hx file takes: macros and build selection. */
export const buildOptionSpecs = {
  define: { type: "string", short: "D", multiple: true },
  undefine: { type: "string", short: "U", multiple: true },
} as const;

export const buildOptionsHelp = `  -D, --define NAME[=VALUE]  define a macro or build symbol: a macro's value (e.g.
                             --define RFQDN_REDHAT=__com.redhat_); with -U it also selects
                             the entries of one build (#if known false: left out)
  -U, --undefine NAME        a build symbol that is not defined`;

/** `--qapi FILE`: the QAPI schema of the same release, for exact types (generate, lint, parse). */
/** The release's companion files: its events document and its QAPI schema. */
export const companionOptionSpecs = { events: { type: "string" }, qapi: { type: "string" } } as const;

export const companionOptionsHelp = `      --events FILE          the release's events document (qmp-events.txt): typed events;
                             lint also checks its examples against their data types
      --qapi FILE            the release's qapi-schema.json (includes are read beside it):
                             QAPI's types for results, enum and structured arguments and
                             events; lint also reports where it disagrees with the table`;

export function companionFilesFrom(values: { readonly events?: string | undefined; readonly qapi?: string | undefined }): { events?: string; qapi?: string } {
  for (const option of ["events", "qapi"] as const) if (values[option] === "") throw new UsageError(`--${option}: expected a file name, got an empty one`);
  return { ...(values.events !== undefined ? { events: values.events } : {}), ...(values.qapi !== undefined ? { qapi: values.qapi } : {}) };
}

export function buildOptionsFrom(values: { readonly define?: readonly string[] | undefined; readonly undefine?: readonly string[] | undefined }): {
  defines: Map<string, string>;
  undefines: Set<string>;
} {
  const undefines = new Set<string>();
  for (const name of values.undefine ?? []) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--undefine ${name}: expected a NAME`);
    undefines.add(name);
  }
  return { defines: parseDefines(values.define), undefines };
}

/** `--define NAME=VALUE`: a quoted VALUE is a C string literal, anything else is taken as it is. */
function parseDefines(values: readonly string[] | undefined): Map<string, string> {
  const defines = new Map<string, string>();
  for (const value of values ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(value);
    if (!match?.[1]) throw new UsageError(`--define ${value}: expected NAME=VALUE`);
    const raw = match[2] ?? "1";
    defines.set(match[1], /^".*"$/s.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
  }
  return defines;
}

/** Runs a command body, reporting bad input and usage mistakes without a stack trace. */
export async function reportingErrors(command: CliCommand, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof HxError) {
      io.stderr(error.message + "\n");
      return 1;
    }
    if (error instanceof OutputError || error instanceof ArgumentError) {
      io.stderr(`qmp-hx ${command.name}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      io.stderr(`qmp-hx ${command.name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    // A file or folder that cannot be read or written (ENOENT, EISDIR, EACCES, EEXIST ...).
    const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
    if (error instanceof Error && typeof code === "string" && typeof syscall === "string") {
      io.stderr(`qmp-hx ${command.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Node's timers hold at most 2^31-1 ms (about 24.8 days); beyond that they fire at once. */
const maxTimeout = 2 ** 31 - 1;

/** `--timeout MS`: a whole number of milliseconds a timer can hold, or `defaultMs` when not given. */
export function timeoutOption(text: string | undefined, defaultMs: number): number {
  const timeout = text === undefined ? defaultMs : Number(text);
  if (!Number.isInteger(timeout) || timeout <= 0 || timeout > maxTimeout) {
    throw new UsageError(`--timeout ${text ?? ""}: expected a whole number of milliseconds from 1 to ${maxTimeout}`);
  }
  return timeout;
}

// Every failure the runtime reports is a QmpHxError subclass, so callers can tell "QEMU said no"
// (QmpError) from "we never asked" (ValidationError) from "the connection is gone"
// (ConnectionClosedError) with instanceof instead of parsing messages.

export class QmpHxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** QEMU answered the command with an error reply: `{"error": {"class": ..., "desc": ...}, "id": ...}`. */
export class QmpError extends QmpHxError {
  /** QEMU's error class, e.g. `GenericError`, `CommandNotFound`, `DeviceNotFound`. */
  readonly class: string;
  /** QEMU's human-readable description, verbatim. */
  readonly desc: string;
  readonly command: string;
  /** The id the command was sent with. */
  readonly id: number;

  constructor(command: string, errorClass: string, desc: string, id: number) {
    super(`${command}: ${desc} (${errorClass})`);
    this.class = errorClass;
    this.desc = desc;
    this.command = command;
    this.id = id;
  }
}

/** QEMU's classes for bad arguments; CommandNotFound when a validator is asked about an unknown command. */
export type ValidationIssueClass = "MissingParameter" | "InvalidParameter" | "InvalidParameterType" | "QMPBadInputObjectMember" | "CommandNotFound";

export interface ValidationIssue {
  /** `arguments` for the arguments object itself, else `arguments.NAME` (deeper: `arguments.NAME[0].key`). */
  readonly path: string;
  readonly class: ValidationIssueClass;
  readonly message: string;
}

/** The arguments were rejected locally, before anything was sent. */
export class ValidationError extends QmpHxError {
  readonly command: string;
  readonly issues: readonly ValidationIssue[];

  constructor(command: string, issues: readonly ValidationIssue[]) {
    const lines = issues.map((issue) => `\n  - ${issue.path}: ${issue.message} [${issue.class}]`);
    super(`invalid arguments for ${command} (${issues.length} issue${issues.length === 1 ? "" : "s"}):${lines.join("")}`);
    this.command = command;
    this.issues = Object.freeze([...issues]);
  }
}

/**
 * The connection ended (QEMU exited or crashed, the socket broke, or close() was called) before
 * the command was answered, or the command was issued on a closed client. `cause` holds the
 * underlying socket error or the error that made the client give up, if any.
 */
export class ConnectionClosedError extends QmpHxError {
  /** The command that was cut off, if the error is about one. */
  readonly command: string | undefined;

  constructor(message: string, options?: { cause?: unknown; command?: string }) {
    super(message, options);
    this.command = options?.command;
  }
}

/**
 * The server broke the protocol: a line that is not JSON, a message that is not a greeting,
 * reply or event, a reply whose id matches no call, or a message over the size limit. The client
 * cannot tell which call such a message belonged to, so it closes the connection.
 */
export class ProtocolError extends QmpHxError {
  /** The start of the offending line, if there was one (at most 200 characters). */
  readonly line: string | undefined;

  constructor(message: string, line?: string, options?: { cause?: unknown }) {
    super(line === undefined ? message : `${message}: ${truncate(line)}`, options);
    this.line = line === undefined ? undefined : truncate(line);
  }
}

/** No answer within the time limit. The call is abandoned (its late reply is dropped); the connection stays open. */
export class TimeoutError extends QmpHxError {
  /** The command that timed out, or undefined while connecting. */
  readonly command: string | undefined;
  /** The limit that was exceeded, in milliseconds. */
  readonly timeout: number;

  constructor(message: string, timeout: number, command?: string) {
    super(message);
    this.timeout = timeout;
    this.command = command;
  }
}

function truncate(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

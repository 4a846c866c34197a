// Every failure the runtime reports is a QmpHxError subclass, so callers can tell "QEMU said no"
// (QmpError) from "we never asked" (ValidationError) from "the connection is gone"
// (ConnectionClosedError) with instanceof instead of parsing messages.
import type { ValidationIssue } from "./arguments.js";

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
  /** The error's `data` member: QEMU up to 1.1 sent one with every error, later QEMUs none. */
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(command: string, errorClass: string, desc: string, id: number, data?: Readonly<Record<string, unknown>>) {
    super(`${command}: ${desc} (${errorClass})`);
    this.class = errorClass;
    this.desc = desc;
    this.command = command;
    this.id = id;
    this.data = data;
  }
}

/** The `error` member of a QMP error reply: what QmpError carries, and what ValidationError predicts. */
export interface QmpErrorReply {
  readonly class: string;
  readonly desc: string;
  readonly data?: Readonly<Record<string, string>>;
}

/** The reply QEMU would have sent for an issue; undefined for a value that is never sent. */
export function replyOf(issue: ValidationIssue): QmpErrorReply | undefined {
  if (issue.kind === "unencodable") return undefined;
  return issue.data === undefined ? { class: issue.class, desc: issue.message } : { class: issue.class, desc: issue.message, data: issue.data };
}

/** The arguments were rejected locally, before anything was sent. */
export class ValidationError extends QmpHxError {
  readonly command: string;
  /** Every issue, in QEMU's order: the first is the error QEMU would have replied with. */
  readonly issues: readonly ValidationIssue[];
  /**
   * The `error` member QEMU would have replied with (class, desc, and data up to 1.1), shaped
   * like a QmpError's; undefined when the first issue is a value JSON cannot carry.
   */
  readonly reply: QmpErrorReply | undefined;

  constructor(command: string, issues: readonly ValidationIssue[]) {
    const lines = issues.map((issue) => `\n  - ${issue.path}: ${issue.message} [${issue.class}]`);
    super(`invalid arguments for ${command} (${issues.length} issue${issues.length === 1 ? "" : "s"}):${lines.join("")}`);
    this.command = command;
    this.issues = Object.freeze([...issues]);
    const [first] = issues;
    this.reply = first === undefined ? undefined : replyOf(first);
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

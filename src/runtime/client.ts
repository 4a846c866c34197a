// A QMP client: one connection, any number of commands in flight, replies matched by id,
// events delivered as they come (also when they arrive between or before replies).
import { createConnection } from "node:net";
import type { Duplex } from "node:stream";
import { ConnectionClosedError, ProtocolError, QmpError, type QmpHxError, TimeoutError, ValidationError } from "./errors.js";
import { LineSplitter, LineTooLongError } from "./framing.js";
import { JsonEncodeError, type JsonObject, type JsonValue, parseJson, stringifyJson } from "./json.js";

export interface QmpCallOptions {
  /** Give up after this many milliseconds (TimeoutError). The command may still run in QEMU. */
  timeout?: number;
  /** Give up when aborted: the call rejects with `signal.reason`, like fetch. The command may still run in QEMU. */
  signal?: AbortSignal;
}

/** What generated command functions need: something that sends a command and resolves with its `return` value. */
export interface QmpExecutor {
  execute(command: string, args?: Readonly<Record<string, unknown>>, options?: QmpCallOptions): Promise<unknown>;
  /** The server's version (QmpClient: from the greeting): generated functions validate as that QEMU's monitor did. */
  readonly version?: QmpVersion;
}

export interface QmpVersion {
  readonly qemu: { readonly major: number; readonly minor: number; readonly micro: number };
  readonly package: string;
}

/** The first message of every QMP session. */
export interface QmpGreeting {
  readonly QMP: { readonly version: QmpVersion; readonly capabilities: readonly string[] };
}

/** An event as QEMU sent it. `Name` and `Data` are narrowed for events the client's event map knows. */
export interface QmpEvent<Name extends string = string, Data = Readonly<JsonObject>> {
  readonly event: Name;
  /** The event's data member; `{}` when QEMU sent none. */
  readonly data: Data;
  readonly timestamp: { readonly seconds: number; readonly microseconds: number };
}

/**
 * Event names to the types of their `data`, as a generated client's `QmpEvents` interface gives
 * them: `QmpClient.connect<QmpEvents>(...)`. The runtime trusts it (it does not check `data`).
 */
export type QmpEventMap = object;

/** The event called `Name`: typed when `Events` knows the name, untyped otherwise (QEMU versions differ). */
export type QmpEventOf<Events extends QmpEventMap, Name extends string> = Name extends keyof Events ? QmpEvent<Name, Events[Name]> : QmpEvent<Name>;

/** Any event: each one `Events` knows, typed, or another one, untyped. */
export type AnyQmpEvent<Events extends QmpEventMap> = QmpEventOf<Events, keyof Events & string> | QmpEvent;

export type QmpEventListener<Event extends QmpEvent<string, unknown> = QmpEvent> = (event: Event) => void;

export interface QmpClientOptions {
  /** Send `qmp_capabilities` after the greeting (default true). With false the client stays in negotiation mode. */
  negotiate?: boolean;
  /** Limit for connecting, greeting and negotiation, in ms (default 10 000). */
  connectTimeout?: number;
  /** Aborts connecting: connect()/fromStream() reject with `signal.reason`. Has no effect once connected. */
  signal?: AbortSignal;
  /** Timeout for calls that do not give their own, in ms (default: none). */
  commandTimeout?: number;
  /** Largest message accepted from the server, in bytes (default 64 MiB). A bigger one is a ProtocolError and ends the connection. */
  maxMessageBytes?: number;
  /** How many unclaimed events waitForEvent() still finds after they arrived (default 100; 0: only events after the call). */
  eventBacklog?: number;
}

export type QmpConnectOptions = QmpClientOptions & ({ path: string } | { host?: string; port: number });

const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT = 10_000;
const DEFAULT_EVENT_BACKLOG = 100;
// setTimeout fires after 1 ms for anything above this (with a warning): treat longer limits as none.
const MAX_TIMER = 2 ** 31 - 1;

interface PendingCall {
  readonly id: number;
  readonly command: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  timer: NodeJS.Timeout | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface EventWaiter {
  readonly name: string;
  readonly predicate: ((event: QmpEvent) => boolean) | undefined;
  readonly resolve: (event: QmpEvent) => void;
  readonly reject: (reason: unknown) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Speaks QMP over a unix socket, TCP or any duplex stream.
 *
 * Failure policy:
 * - QEMU's error replies reject the call with QmpError; the connection stays usable.
 * - When the connection ends, every unanswered call rejects with ConnectionClosedError, except
 *   `quit`, which resolves with `{}`: QEMU exits right after replying and sometimes closes the
 *   socket before its reply is flushed (or the write of the reply fails with EPIPE), so the
 *   connection going away *is* the success of `quit`. Calls made afterwards reject with
 *   ConnectionClosedError.
 * - Anything that breaks the protocol (non-JSON, oversized message, reply to an id never sent or
 *   without an id) means replies can no longer be matched safely: the client closes and rejects
 *   the unanswered calls with that ProtocolError.
 */
export class QmpClient<Events extends QmpEventMap = Record<never, never>> implements QmpExecutor {
  /**
   * Connects to a QMP server on a unix socket (`{ path }`) or TCP (`{ host, port }`, host
   * defaulting to localhost). `Events` types the events API (a generated `QmpEvents`).
   */
  static connect<Events extends QmpEventMap = Record<never, never>>(options: QmpConnectOptions): Promise<QmpClient<Events>> {
    let socket: Duplex;
    try {
      socket = "path" in options ? createConnection({ path: options.path }) : createConnection({ host: options.host ?? "localhost", port: options.port });
    } catch (error) {
      // A port outside 0-65535, say: node throws at once; a promise-returning API rejects.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return QmpClient.fromStream<Events>(socket, options);
  }

  /** Wraps an already open duplex stream: reads the greeting, then negotiates unless told not to. */
  static async fromStream<Events extends QmpEventMap = Record<never, never>>(stream: Duplex, options: QmpClientOptions = {}): Promise<QmpClient<Events>> {
    const client = new QmpClient<Events>(stream, options);
    try {
      await client.handshake(options);
      return client;
    } catch (error) {
      client.fail(new ConnectionClosedError("connecting failed", { cause: error }));
      if (options.signal?.aborted) throw options.signal.reason;
      throw error;
    }
  }

  /**
   * Resolves (never rejects) once the connection is gone, with the reason: a ConnectionClosedError
   * (whose `cause` is the socket error, if any), the ProtocolError that made the client give up,
   * or (only while connecting) a TimeoutError.
   */
  readonly closed: Promise<QmpHxError>;

  private readonly splitter: LineSplitter;
  private readonly commandTimeout: number | undefined;
  private readonly backlogLimit: number;
  private readonly pending = new Map<number, PendingCall>();
  // Ids of calls that timed out or were aborted: their late replies are expected and dropped.
  private readonly abandoned = new Set<number>();
  private readonly waiters = new Set<EventWaiter>();
  private readonly listeners = new Map<string, Set<QmpEventListener>>();
  private readonly subscriptions = new Set<EventSubscription>();
  // Events no waitForEvent() has claimed yet, newest last.
  private backlog: QmpEvent[] = [];
  private nextId = 1;
  private outbox: string[] = [];
  private flushScheduled = false;
  private closeReason: QmpHxError | undefined;
  private streamError: Error | undefined;
  private receivedGreeting: QmpGreeting | undefined;
  private readonly greetingReceived = deferred<void>();
  private readonly resolveClosed: (reason: QmpHxError) => void;
  private readonly streamClosed = deferred<void>();

  private constructor(
    private readonly stream: Duplex,
    options: QmpClientOptions,
  ) {
    this.splitter = new LineSplitter(options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    this.commandTimeout = options.commandTimeout;
    this.backlogLimit = options.eventBacklog ?? DEFAULT_EVENT_BACKLOG;
    const closed = deferred<QmpHxError>();
    this.closed = closed.promise;
    this.resolveClosed = closed.resolve;
    // Only handshake() awaits this; the no-op keeps an early failure from counting as unhandled.
    this.greetingReceived.promise.catch(() => {});

    stream.on("data", this.onData);
    // Stays attached for good: a late EPIPE/ECONNRESET (typical after `quit`) must not become an uncaught 'error'.
    stream.on("error", (error: Error) => {
      this.streamError ??= error;
      this.fail(new ConnectionClosedError(`connection failed: ${error.message}`, { cause: error }), true);
    });
    stream.on("end", () => this.fail(this.closedByServer(), true));
    stream.on("close", () => {
      this.fail(this.closedByServer(), true);
      this.streamClosed.resolve();
    });
  }

  /** The server's greeting, as received. */
  get greeting(): QmpGreeting {
    // connect()/fromStream() only hand out clients that have one.
    if (this.receivedGreeting === undefined) throw new Error("QmpClient used before its greeting arrived");
    return this.receivedGreeting;
  }

  /** The server's version, from the greeting. */
  get version(): QmpVersion {
    return this.greeting.QMP.version;
  }

  /** Capabilities the server offered in its greeting (e.g. `["oob"]`). */
  get capabilities(): readonly string[] {
    return this.greeting.QMP.capabilities;
  }

  /** Whether the connection is gone (new calls reject with ConnectionClosedError). */
  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /**
   * Sends a command and resolves with its `return` value. Integers beyond 2^53 in the reply are
   * `bigint`; `bigint` arguments are sent exactly. Rejects with QmpError, ConnectionClosedError,
   * TimeoutError, ProtocolError, `signal.reason`, or ValidationError for arguments that cannot be
   * written as JSON QEMU accepts (NaN, lone surrogates, cycles); nothing is sent then.
   */
  execute(command: string, args?: Readonly<Record<string, unknown>>, options?: QmpCallOptions): Promise<unknown> {
    return this.call(command, args, options?.timeout ?? this.commandTimeout, options?.signal);
  }

  private call(
    command: string,
    args: Readonly<Record<string, unknown>> | undefined,
    timeout: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    if (this.closeReason !== undefined) {
      return Promise.reject(
        new ConnectionClosedError(`${command}: the connection is closed`, { cause: this.closeReason, command }),
      );
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (timeout !== undefined && !(timeout > 0)) {
      return Promise.reject(new RangeError(`${command}: timeout must be a positive number of ms, got ${timeout}`));
    }

    const id = this.nextId++;
    let line: string;
    try {
      line = encodeCommand(command, args, id);
    } catch (error) {
      if (!(error instanceof JsonEncodeError)) return Promise.reject(error); // e.g. a throwing toJSON
      const issue = { path: error.path, kind: "unencodable" as const, class: "Unencodable" as const, message: error.reason };
      return Promise.reject(new ValidationError(command, [issue]));
    }

    return new Promise((resolve, reject) => {
      const call: PendingCall = { id, command, resolve, reject, timer: undefined, signal, onAbort: undefined };
      this.pending.set(id, call);
      if (timeout !== undefined && timeout <= MAX_TIMER) {
        call.timer = setTimeout(() => {
          this.abandon(call, new TimeoutError(`${command}: no reply within ${timeout} ms`, timeout, command));
        }, timeout);
      }
      if (signal !== undefined) {
        call.onAbort = () => this.abandon(call, signal.reason);
        signal.addEventListener("abort", call.onAbort, { once: true });
      }
      this.send(line);
    });
  }

  /**
   * Resolves with the first event called `name` (and accepted by `predicate`) that no earlier
   * waitForEvent() returned, looking first at the recent unclaimed events (see `eventBacklog`),
   * then at new ones. So `await cmd(); await waitForEvent(...)` cannot miss an event QEMU sent
   * before the reply. Several waiters pending at once all get a matching event. Rejects with
   * TimeoutError after `timeoutMs`, ConnectionClosedError when the connection ends, or what
   * `predicate` throws.
   */
  waitForEvent<Name extends string>(
    name: Name,
    predicate?: (event: QmpEventOf<Events, Name>) => boolean,
    timeoutMs?: number,
  ): Promise<QmpEventOf<Events, Name>> {
    // The map types what QEMU sends under this name; events are kept untyped inside.
    return this.waitForAnyEvent(name, predicate as ((event: QmpEvent) => boolean) | undefined, timeoutMs) as Promise<QmpEventOf<Events, Name>>;
  }

  private waitForAnyEvent(name: string, predicate: ((event: QmpEvent) => boolean) | undefined, timeoutMs: number | undefined): Promise<QmpEvent> {
    if (this.closeReason !== undefined) {
      return Promise.reject(new ConnectionClosedError(`waiting for ${name}: the connection is closed`, { cause: this.closeReason }));
    }
    try {
      const index = this.backlog.findIndex((event) => event.event === name && (predicate?.(event) ?? true));
      if (index !== -1) {
        const [event] = this.backlog.splice(index, 1);
        if (event !== undefined) return Promise.resolve(event);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const waiter: EventWaiter = { name, predicate, resolve, reject, timer: undefined };
      if (timeoutMs !== undefined && timeoutMs <= MAX_TIMER) {
        waiter.timer = setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new TimeoutError(`no ${name} event within ${timeoutMs} ms`, timeoutMs));
        }, timeoutMs);
      }
      this.waiters.add(waiter);
    });
  }

  /**
   * Every event from now on, in order, until the connection ends (the loop then finishes after
   * the events already received) or the loop is left. Events are buffered for a slow consumer
   * without limit, so iterate promptly or pass a `signal` to stop.
   */
  events(options?: { signal?: AbortSignal }): AsyncIterableIterator<AnyQmpEvent<Events>>;
  /** Only the events called one of `names`, typed by them: `event.event` narrows `event.data`. */
  events<Name extends string>(options: { signal?: AbortSignal; names: readonly Name[] }): AsyncIterableIterator<QmpEventOf<Events, Name>>;
  events(options?: { signal?: AbortSignal; names?: readonly string[] }): AsyncIterableIterator<QmpEvent> {
    const names = options?.names === undefined ? undefined : new Set(options.names);
    const subscription = new EventSubscription(() => this.subscriptions.delete(subscription), options?.signal, names);
    if (this.closeReason === undefined) this.subscriptions.add(subscription);
    else subscription.end();
    return subscription;
  }

  /** Calls `listener` synchronously for every `name` event. A listener that throws does not disturb the client; its error is rethrown asynchronously. */
  on<Name extends string>(name: Name, listener: QmpEventListener<QmpEventOf<Events, Name>>): this {
    let set = this.listeners.get(name);
    if (set === undefined) this.listeners.set(name, (set = new Set()));
    set.add(listener as QmpEventListener);
    return this;
  }

  off<Name extends string>(name: Name, listener: QmpEventListener<QmpEventOf<Events, Name>>): this {
    const set = this.listeners.get(name);
    if (set?.delete(listener as QmpEventListener) && set.size === 0) this.listeners.delete(name);
    return this;
  }

  /** Closes the connection; unanswered calls reject with ConnectionClosedError. Resolves once the socket is closed. */
  async close(): Promise<void> {
    this.fail(new ConnectionClosedError("the client was closed"));
    let timer: NodeJS.Timeout | undefined;
    // A stream that never emits 'close' (emitClose: false) must not hang close().
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)));
    await Promise.race([this.streamClosed.promise, grace]);
    clearTimeout(timer);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async handshake(options: QmpClientOptions): Promise<void> {
    const limit = options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT;
    const signal = options.signal;
    const timer = setTimeout(() => {
      this.fail(new TimeoutError(`no QMP greeting and negotiation within ${limit} ms`, limit));
    }, Math.min(limit, MAX_TIMER));
    const onAbort = (): void => this.fail(new ConnectionClosedError("connecting was aborted", { cause: signal?.reason }));
    if (signal?.aborted) onAbort();
    if (this.stream.destroyed) this.fail(new ConnectionClosedError("the stream is already closed"));
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await this.greetingReceived.promise;
      // Bounded by connectTimeout above, not by commandTimeout.
      if (options.negotiate !== false) await this.call("qmp_capabilities", undefined, undefined, undefined);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  private readonly onData = (chunk: Buffer | string): void => {
    if (this.closeReason !== undefined) return;
    try {
      this.splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk, this.onLine);
    } catch (error) {
      if (!(error instanceof LineTooLongError)) throw error;
      this.fail(new ProtocolError(`received a message longer than maxMessageBytes (${error.limit} bytes)`));
    }
  };

  /** Handles one message; returns false to stop reading once the client gave up. */
  private readonly onLine = (line: string): boolean => {
    if (this.closeReason !== undefined) return false;
    let message: JsonValue;
    try {
      message = parseJson(line);
    } catch (error) {
      this.fail(new ProtocolError("received a line that is not JSON", line, { cause: error }));
      return false;
    }
    if (!isObject(message)) {
      this.fail(new ProtocolError("received JSON that is not an object", line));
    } else if (Object.hasOwn(message, "event")) {
      // Also before the greeting: QEMU 7.2 can send an event that was emitted while the client
      // was connecting (e.g. the startup RESUME) ahead of its greeting.
      this.onEvent(message, line);
    } else if (this.receivedGreeting === undefined) {
      this.onGreeting(message, line);
    } else if (Object.hasOwn(message, "return") || Object.hasOwn(message, "error")) {
      this.onReply(message, line);
    } else {
      this.fail(new ProtocolError("received a message that is neither a reply nor an event", line));
    }
    return this.closeReason === undefined;
  };

  private onGreeting(message: JsonObject, line: string): void {
    const qmp = message.QMP;
    const version = isObject(qmp) ? qmp.version : undefined;
    const qemu = isObject(version) ? version.qemu : undefined;
    const capabilities = isObject(qmp) ? qmp.capabilities : undefined;
    if (
      !isObject(version) ||
      !isObject(qemu) ||
      typeof qemu.major !== "number" ||
      typeof qemu.minor !== "number" ||
      typeof qemu.micro !== "number" ||
      typeof version.package !== "string" ||
      !Array.isArray(capabilities) ||
      !capabilities.every((capability) => typeof capability === "string")
    ) {
      this.fail(new ProtocolError("expected the QMP greeting", line));
      return;
    }
    this.receivedGreeting = {
      QMP: {
        version: { qemu: { major: qemu.major, minor: qemu.minor, micro: qemu.micro }, package: version.package },
        capabilities: capabilities.filter((capability) => typeof capability === "string"),
      },
    };
    this.greetingReceived.resolve();
  }

  private onReply(message: JsonObject, line: string): void {
    const id = message.id;
    const call = typeof id === "number" ? this.pending.get(id) : undefined;
    if (call === undefined) {
      if (typeof id === "number" && this.abandoned.delete(id)) return;
      // QEMU leaves out the id when it could not parse a request at all.
      const what = id === undefined ? "a reply without an id" : "a reply to an id that matches no call";
      this.fail(new ProtocolError(`received ${what}`, line));
      return;
    }
    if (Object.hasOwn(message, "error")) {
      const error = message.error;
      if (!isObject(error) || typeof error.class !== "string" || typeof error.desc !== "string") {
        this.fail(new ProtocolError("received a malformed error reply", line));
        return;
      }
      this.settle(call);
      call.reject(new QmpError(call.command, error.class, error.desc, call.id, isObject(error.data) ? error.data : undefined));
    } else {
      this.settle(call);
      call.resolve(message.return);
    }
  }

  private onEvent(message: JsonObject, line: string): void {
    const { event: name, data = {}, timestamp } = message;
    if (
      typeof name !== "string" ||
      !isObject(data) ||
      !isObject(timestamp) ||
      typeof timestamp.seconds !== "number" ||
      typeof timestamp.microseconds !== "number"
    ) {
      this.fail(new ProtocolError("received a malformed event", line));
      return;
    }
    const event: QmpEvent = {
      event: name,
      data,
      timestamp: { seconds: timestamp.seconds, microseconds: timestamp.microseconds },
    };

    let claimed = false;
    for (const waiter of this.waiters) {
      if (waiter.name !== name) continue;
      let accepted: boolean;
      try {
        accepted = waiter.predicate?.(event) ?? true;
      } catch (error) {
        this.dropWaiter(waiter);
        waiter.reject(error);
        continue;
      }
      if (accepted) {
        claimed = true;
        this.dropWaiter(waiter);
        waiter.resolve(event);
      }
    }
    if (!claimed && this.backlogLimit > 0) {
      this.backlog.push(event);
      if (this.backlog.length > this.backlogLimit) this.backlog.shift();
    }

    const listeners = this.listeners.get(name);
    if (listeners !== undefined) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          // Like a throwing EventEmitter listener it should surface, but not in the middle of our read loop.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
    for (const subscription of this.subscriptions) subscription.push(event);
  }

  private send(line: string): void {
    this.outbox.push(line);
    // Commands issued in the same tick go out in one write: far fewer syscalls when pipelining.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.closeReason !== undefined || this.outbox.length === 0) return;
    const data = this.outbox.length === 1 ? (this.outbox[0] ?? "") : this.outbox.join("");
    this.outbox = [];
    this.stream.write(data);
  };

  private abandon(call: PendingCall, reason: unknown): void {
    if (this.pending.get(call.id) !== call) return;
    this.settle(call);
    this.abandoned.add(call.id);
    call.reject(reason);
  }

  /** Forgets a call that is about to be resolved or rejected. */
  private settle(call: PendingCall): void {
    this.pending.delete(call.id);
    if (call.timer !== undefined) clearTimeout(call.timer);
    if (call.onAbort !== undefined) call.signal?.removeEventListener("abort", call.onAbort);
  }

  private dropWaiter(waiter: EventWaiter): void {
    this.waiters.delete(waiter);
    if (waiter.timer !== undefined) clearTimeout(waiter.timer);
  }

  private closedByServer(): ConnectionClosedError {
    const detail = this.streamError === undefined ? "the server closed the connection" : `connection failed: ${this.streamError.message}`;
    return new ConnectionClosedError(detail, { cause: this.streamError });
  }

  /**
   * Ends the session for good (idempotent): rejects everything outstanding and releases the stream.
   * `byServer`: the connection ended from the other side, which is how a `quit` succeeds.
   */
  private fail(reason: QmpHxError, byServer = false): void {
    if (this.closeReason !== undefined) return;
    this.closeReason = reason;
    this.outbox = [];
    this.greetingReceived.reject(reason);

    const calls = [...this.pending.values()];
    this.pending.clear();
    this.abandoned.clear();
    for (const call of calls) {
      this.settle(call);
      if (byServer && call.command === "quit") {
        call.resolve({});
      } else if (reason instanceof ConnectionClosedError) {
        call.reject(new ConnectionClosedError(`${call.command}: ${reason.message}`, { cause: reason.cause, command: call.command }));
      } else {
        call.reject(reason);
      }
    }

    const waiters = [...this.waiters];
    for (const waiter of waiters) {
      this.dropWaiter(waiter);
      waiter.reject(new ConnectionClosedError(`waiting for ${waiter.name}: ${reason.message}`, { cause: reason }));
    }
    this.backlog = [];
    for (const subscription of [...this.subscriptions]) subscription.end();

    this.stream.off("data", this.onData);
    if (!this.stream.destroyed) this.stream.destroy();
    this.resolveClosed(reason);
  }
}

/** Builds the wire form of a command; throws JsonEncodeError for arguments JSON cannot carry. */
function encodeCommand(command: string, args: Readonly<Record<string, unknown>> | undefined, id: number): string {
  const execute = JSON.stringify(command);
  if (args === undefined) return `{"execute":${execute},"id":${id}}\n`;
  return `{"execute":${execute},"arguments":${stringifyJson(args, "arguments")},"id":${id}}\n`;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (reason: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve: ((value: T) => void) | undefined;
  let reject: ((reason: unknown) => void) | undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The executor runs synchronously, so both are set here.
  return { promise, resolve: resolve ?? noop, reject: reject ?? noop };
}

function noop(): void {}

/** One events() iterator: a queue between the client's read loop and a `for await`. */
class EventSubscription implements AsyncIterableIterator<QmpEvent> {
  private readonly queue: QmpEvent[] = [];
  private readonly readers: ((result: IteratorResult<QmpEvent, undefined>) => void)[] = [];
  private ended = false;

  constructor(
    private readonly detach: () => void,
    private readonly signal: AbortSignal | undefined,
    /** Only these event names, or all. */
    private readonly names: ReadonlySet<string> | undefined,
  ) {
    signal?.addEventListener("abort", this.onAbort, { once: true });
    if (signal?.aborted) this.end();
  }

  push(event: QmpEvent): void {
    if (this.ended || (this.names !== undefined && !this.names.has(event.event))) return;
    const reader = this.readers.shift();
    if (reader !== undefined) reader({ value: event, done: false });
    else this.queue.push(event);
  }

  /** No more events; the ones already queued are still handed out. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.detach();
    this.signal?.removeEventListener("abort", this.onAbort);
    for (const reader of this.readers.splice(0)) reader({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<QmpEvent, undefined>> {
    const event = this.queue.shift();
    if (event !== undefined) return Promise.resolve({ value: event, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.readers.push(resolve));
  }

  /** Leaving a `for await` early lands here. */
  return(): Promise<IteratorResult<QmpEvent, undefined>> {
    this.queue.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private readonly onAbort = (): void => {
    this.queue.length = 0;
    this.end();
  };
}

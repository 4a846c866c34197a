// An in-process stand-in for QEMU's QMP monitor: a unix-socket server whose replies each test
// scripts by hand, down to the raw bytes and how they are split across writes.
import { mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type JsonObject, parseJson } from "../../src/runtime/json.js";
import { QmpClient, type QmpClientOptions } from "../../src/runtime/index.js";

export const GREETING = {
  QMP: { version: { qemu: { micro: 0, minor: 2, major: 7 }, package: "fake" }, capabilities: ["oob"] },
};

export interface ReceivedCommand {
  readonly raw: string;
  readonly execute: string;
  readonly arguments: JsonObject | undefined;
  readonly id: number;
}

/** The server side of one client connection. */
export class FakeConnection {
  private buffered = "";
  private readonly lines: string[] = [];
  private readonly lineWaiters: ((line: string) => void)[] = [];
  readonly ended: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf("\n")) !== -1) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        const waiter = this.lineWaiters.shift();
        if (waiter) waiter(line);
        else this.lines.push(line);
      }
    });
    socket.on("error", () => {}); // the client may reset; tests look at what the client saw
    this.ended = new Promise((resolve) => socket.once("close", () => resolve()));
  }

  /** Bytes the client has sent on this connection so far. */
  get bytesReceived(): number {
    return this.socket.bytesRead;
  }

  /** Lines received and not yet taken by nextLine(). */
  get unread(): readonly string[] {
    return this.lines;
  }

  nextLine(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => this.lineWaiters.push(resolve));
  }

  async nextCommand(): Promise<ReceivedCommand> {
    const raw = await this.nextLine();
    const message = parseJson(raw);
    if (typeof message !== "object" || message === null || Array.isArray(message)) throw new Error(`not a command: ${raw}`);
    const { execute, arguments: args, id } = message;
    if (typeof execute !== "string" || typeof id !== "number") throw new Error(`not a command: ${raw}`);
    if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args))) throw new Error(`bad arguments: ${raw}`);
    return { raw, execute, arguments: args, id };
  }

  write(raw: string): void {
    this.socket.write(raw);
  }

  send(message: unknown): void {
    this.write(`${JSON.stringify(message)}\r\n`);
  }

  reply(id: number, value: unknown = {}): void {
    this.send({ return: value, id });
  }

  replyError(id: number, errorClass: string, desc: string): void {
    this.send({ id, error: { class: errorClass, desc } });
  }

  event(name: string, data?: Record<string, unknown>): void {
    this.send({ timestamp: { seconds: 1700000000, microseconds: 42 }, event: name, ...(data ? { data } : {}) });
  }

  /** Answers the negotiation the way QEMU does. */
  async negotiate(): Promise<void> {
    const command = await this.nextCommand();
    if (command.execute !== "qmp_capabilities") throw new Error(`expected qmp_capabilities, got ${command.raw}`);
    this.reply(command.id);
  }
}

export class FakeQmpServer {
  private readonly accepted: FakeConnection[] = [];
  private readonly all: FakeConnection[] = [];
  private readonly acceptWaiters: ((connection: FakeConnection) => void)[] = [];

  private constructor(
    private readonly server: Server,
    private readonly dir: string | undefined,
    readonly address: { path: string } | { host: string; port: number },
  ) {
    server.on("connection", (socket: Socket) => {
      const connection = new FakeConnection(socket);
      this.all.push(connection);
      const waiter = this.acceptWaiters.shift();
      if (waiter) waiter(connection);
      else this.accepted.push(connection);
    });
  }

  /** Listens on a unix socket in a fresh temp dir, or on TCP localhost with `{ tcp: true }`. */
  static async start(options: { tcp?: boolean } = {}): Promise<FakeQmpServer> {
    const server = createServer();
    if (options.tcp) {
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      return new FakeQmpServer(server, undefined, { host: "127.0.0.1", port });
    }
    const dir = mkdtempSync(join(tmpdir(), "qmp-fake-"));
    const path = join(dir, "qmp.sock");
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(path, resolve));
    return new FakeQmpServer(server, dir, { path });
  }

  accept(): Promise<FakeConnection> {
    const connection = this.accepted.shift();
    if (connection) return Promise.resolve(connection);
    return new Promise((resolve) => this.acceptWaiters.push(resolve));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Open connections would keep close() waiting.
      for (const connection of this.all) connection.socket.destroy();
    });
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Session {
  readonly server: FakeQmpServer;
  readonly conn: FakeConnection;
  readonly client: QmpClient;
  /** Closes client and server; for `after`/`finally`. */
  dispose(): Promise<void>;
}

/** A server, a client connected to it and negotiated, and the server side of that connection. */
export async function openSession(options: QmpClientOptions = {}, serverOptions: { tcp?: boolean } = {}): Promise<Session> {
  const server = await FakeQmpServer.start(serverOptions);
  try {
    const connecting = QmpClient.connect({ ...server.address, ...options });
    connecting.catch(() => {}); // awaited below; may fail before that (and must not count as unhandled)
    const conn = await server.accept();
    conn.send(GREETING);
    if (options.negotiate !== false) await conn.negotiate();
    const client = await connecting;
    return {
      server,
      conn,
      client,
      async dispose() {
        await client.close();
        conn.socket.destroy();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

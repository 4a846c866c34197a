import assert from "node:assert/strict";
import { createConnection } from "node:net";
import { describe, test } from "node:test";
import {
  ConnectionClosedError,
  ProtocolError,
  QmpClient,
  QmpError,
  type QmpEvent,
  QmpHxError,
  TimeoutError,
  ValidationError,
} from "../../src/runtime/index.js";
import { delay, FakeQmpServer, GREETING, openSession } from "./fake-server.js";

/** Asserts that `promise` rejects with an instance of `type` and returns the error. */
async function rejection<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  return assert.fail(`expected a ${type.name} rejection, but it resolved`);
}

/** Resolves with "pending" if `promise` has not settled within a few event-loop turns. */
/** A fake QMP server for the body, closed afterwards whatever happens. */
async function withServer(body: (server: FakeQmpServer) => Promise<void>): Promise<void> {
  const server = await FakeQmpServer.start();
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

async function stateOf(promise: Promise<unknown>): Promise<"resolved" | "rejected" | "pending"> {
  return Promise.race([
    promise.then(
      () => "resolved" as const,
      () => "rejected" as const,
    ),
    delay(20).then(() => "pending" as const),
  ]);
}

describe("connecting", () => {
  test("reads the greeting, exposes version and capabilities, and negotiates", async () => {
    const session = await openSession();
    try {
      const { client } = session;
      assert.deepEqual(client.greeting, GREETING);
      assert.deepEqual(client.version, { qemu: { major: 7, minor: 2, micro: 0 }, package: "fake" });
      assert.deepEqual(client.capabilities, ["oob"]);
      assert.equal(client.isClosed, false);
    } finally {
      await session.dispose();
    }
  });

  test("negotiate: false sends nothing after the greeting", async () => {
    const session = await openSession({ negotiate: false });
    try {
      await delay(20);
      assert.equal(session.conn.bytesReceived, 0);
      // The caller negotiates itself.
      const negotiating = session.client.execute("qmp_capabilities");
      const command = await session.conn.nextCommand();
      assert.equal(command.execute, "qmp_capabilities");
      session.conn.reply(command.id);
      assert.deepEqual(await negotiating, {});
    } finally {
      await session.dispose();
    }
  });

  test("connects over TCP too", async () => {
    const session = await openSession({}, { tcp: true });
    try {
      const pending = session.client.execute("query-status");
      const command = await session.conn.nextCommand();
      session.conn.reply(command.id, { status: "running", running: true });
      assert.deepEqual(await pending, { status: "running", running: true });
    } finally {
      await session.dispose();
    }
  });

  test("fromStream wraps an open socket", async () => {
    await withServer(async (server) => {
      assert.ok("path" in server.address);
      const socket = createConnection(server.address);
      const conn = await server.accept();
      conn.write(`${JSON.stringify(GREETING)}\r\n`);
      const connecting = QmpClient.fromStream(socket);
      await conn.negotiate();
      const client = await connecting;
      assert.equal(client.version.qemu.major, 7);
      await client.close();
      assert.equal(socket.destroyed, true);
    });
  });

  test("a first message that is not a greeting is a ProtocolError", async () => {
    await withServer(async (server) => {
      const connecting = QmpClient.connect({ ...server.address });
      const conn = await server.accept();
      conn.reply(1);
      const error = await rejection(connecting, ProtocolError);
      assert.match(error.message, /expected the QMP greeting/);
      await conn.ended;
    });
  });

  test("an event before the greeting is kept, not an error (QEMU can send its startup RESUME first)", async () => {
    await withServer(async (server) => {
      const connecting = QmpClient.connect({ ...server.address });
      const conn = await server.accept();
      conn.event("RESUME");
      conn.send(GREETING);
      await conn.negotiate();
      const client = await connecting;
      assert.equal((await client.waitForEvent("RESUME", undefined, 1000)).event, "RESUME");
      await client.close();
    });
  });

  test("no greeting within connectTimeout is a TimeoutError, and the socket is closed", async () => {
    await withServer(async (server) => {
      const connecting = rejection(QmpClient.connect({ ...server.address, connectTimeout: 50 }), TimeoutError);
      const conn = await server.accept();
      const error = await connecting;
      assert.equal(error.timeout, 50);
      await conn.ended;
    });
  });

  test("a failed negotiation rejects connect with the QmpError", async () => {
    await withServer(async (server) => {
      const connecting = QmpClient.connect({ ...server.address });
      const conn = await server.accept();
      conn.send(GREETING);
      const command = await conn.nextCommand();
      conn.replyError(command.id, "CommandNotFound", "Capabilities negotiation is already complete, command ignored");
      const error = await rejection(connecting, QmpError);
      assert.equal(error.class, "CommandNotFound");
      await conn.ended;
    });
  });

  test("aborting rejects connect with the signal's reason", async () => {
    await withServer(async (server) => {
      const controller = new AbortController();
      const connecting = QmpClient.connect({ ...server.address, signal: controller.signal });
      const conn = await server.accept();
      const reason = new Error("changed my mind");
      controller.abort(reason);
      await assert.rejects(connecting, (error) => error === reason);
      await conn.ended;
    });
  });

  test("a socket that does not exist is a ConnectionClosedError caused by ENOENT", async () => {
    const error = await rejection(QmpClient.connect({ path: "/nonexistent/qmp.sock" }), ConnectionClosedError);
    assert.ok(error.cause instanceof Error);
    assert.equal((error.cause as NodeJS.ErrnoException).code, "ENOENT");
  });
});

describe("commands", () => {
  test("matches replies to calls by id, whatever their order", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const calls = [
        client.execute("query-status"),
        client.execute("query-version"),
        client.execute("query-name", {}),
      ];
      const commands = [await conn.nextCommand(), await conn.nextCommand(), await conn.nextCommand()];
      assert.deepEqual(
        commands.map((command) => command.execute),
        ["query-status", "query-version", "query-name"],
      );
      assert.equal(new Set(commands.map((command) => command.id)).size, 3, "ids are unique");
      assert.equal(commands[0]?.raw.includes('"arguments"'), false, "no arguments member without arguments");
      assert.deepEqual(commands[2]?.arguments, {});
      for (const command of [...commands].reverse()) conn.reply(command.id, { answer: command.execute });
      assert.deepEqual(await Promise.all(calls), [
        { answer: "query-status" },
        { answer: "query-version" },
        { answer: "query-name" },
      ]);
    } finally {
      await session.dispose();
    }
  });

  test("keeps a thousand calls in flight and answers each with its own reply", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const calls = Array.from({ length: 1000 }, (_, i) => client.execute("echo", { i }));
      const commands = await Promise.all(calls.map(() => conn.nextCommand()));
      // Answer in a scrambled but deterministic order.
      const order = commands.map((_, i) => (i * 7919) % commands.length);
      assert.equal(new Set(order).size, commands.length);
      let batch = "";
      for (const index of order) {
        const command = commands[index];
        assert.ok(command);
        batch += `${JSON.stringify({ return: { echoed: command.arguments?.i }, id: command.id })}\r\n`;
      }
      conn.write(batch);
      const results = await Promise.all(calls);
      assert.deepEqual(
        results,
        calls.map((_, i) => ({ echoed: i })),
      );
    } finally {
      await session.dispose();
    }
  });

  test("an error reply rejects with QmpError carrying class, desc, command and id; the connection stays usable", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const failing = client.execute("blockdev-backup", { device: "src", target: "src", sync: "full" });
      const command = await conn.nextCommand();
      conn.replyError(command.id, "GenericError", "Source and target cannot be the same");
      const error = await rejection(failing, QmpError);
      assert.equal(error.class, "GenericError");
      assert.equal(error.desc, "Source and target cannot be the same");
      assert.equal(error.command, "blockdev-backup");
      assert.equal(error.id, command.id);
      assert.ok(error instanceof QmpHxError);
      assert.match(error.message, /blockdev-backup: Source and target cannot be the same \(GenericError\)/);

      const next = client.execute("query-status");
      conn.reply((await conn.nextCommand()).id, { status: "running" });
      assert.deepEqual(await next, { status: "running" });
    } finally {
      await session.dispose();
    }
  });

  test("big integers survive both directions exactly", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const call = client.execute("block-resize", { device: "d", size: 18446744073709551615n, offset: 9007199254740993n });
      const command = await conn.nextCommand();
      assert.match(command.raw, /"size":18446744073709551615,"offset":9007199254740993[,}]/);
      assert.deepEqual(command.arguments, { device: "d", size: 18446744073709551615n, offset: 9007199254740993n });
      conn.write(
        `{"return": {"max": 18446744073709551615, "odd": 9007199254740993, "safe": 9007199254740991, "neg": -9223372036854775808}, "id": ${command.id}}\r\n`,
      );
      assert.deepEqual(await call, {
        max: 18446744073709551615n,
        odd: 9007199254740993n,
        safe: 9007199254740991,
        neg: -9223372036854775808n,
      });
    } finally {
      await session.dispose();
    }
  });

  test("arguments JSON cannot carry are a ValidationError, and nothing is sent", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const before = conn.bytesReceived;
      const error = await rejection(client.execute("set-speed", { speed: Number.NaN, name: "\ud800" }), ValidationError);
      assert.equal(error.command, "set-speed");
      assert.deepEqual(error.issues, [{ path: "arguments.speed", kind: "unencodable", class: "Unencodable", message: "NaN is not a JSON number" }]);
      assert.equal(error.reply, undefined, "QEMU would never have seen it");
      await delay(20);
      assert.equal(conn.bytesReceived, before);
    } finally {
      await session.dispose();
    }
  });

  test("a timeout rejects with TimeoutError; the late reply is dropped and the connection stays usable", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const slow = rejection(client.execute("query-status", undefined, { timeout: 30 }), TimeoutError);
      const command = await conn.nextCommand();
      const error = await slow;
      assert.equal(error.command, "query-status");
      assert.equal(error.timeout, 30);
      conn.reply(command.id, { late: true });

      const next = client.execute("query-version");
      conn.reply((await conn.nextCommand()).id, { on: "time" });
      assert.deepEqual(await next, { on: "time" });
      assert.equal(client.isClosed, false);
    } finally {
      await session.dispose();
    }
  });

  test("commandTimeout applies to calls without their own timeout", async () => {
    const session = await openSession({ commandTimeout: 30 });
    try {
      const error = await rejection(session.client.execute("query-status"), TimeoutError);
      assert.equal(error.timeout, 30);
      await assert.rejects(session.client.execute("x", undefined, { timeout: 0 }), RangeError);
    } finally {
      await session.dispose();
    }
  });

  test("aborting rejects with the signal's reason: before sending nothing is sent; after, the late reply is dropped", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const before = conn.bytesReceived;
      const reason = new Error("already aborted");
      await assert.rejects(client.execute("query-status", undefined, { signal: AbortSignal.abort(reason) }), (e) => e === reason);
      await delay(20);
      assert.equal(conn.bytesReceived, before);

      const controller = new AbortController();
      const call = client.execute("query-status", undefined, { signal: controller.signal });
      const command = await conn.nextCommand();
      controller.abort();
      await assert.rejects(call, (error: unknown) => error instanceof DOMException && error.name === "AbortError");
      conn.reply(command.id);

      const next = client.execute("query-version");
      conn.reply((await conn.nextCommand()).id, 7);
      assert.equal(await next, 7);
    } finally {
      await session.dispose();
    }
  });
});

describe("events", () => {
  test("events before, between and after replies reach listeners, iterators and waiters in order", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const heard: string[] = [];
      const listener = (event: QmpEvent): void => void heard.push(`${event.event}:${String(event.data.n)}`);
      client.on("TICK", listener);
      const iterator = client.events();
      const waited = client.waitForEvent("TICK", (event) => event.data.n === 3);

      const a = client.execute("a");
      const b = client.execute("b");
      const [ca, cb] = [await conn.nextCommand(), await conn.nextCommand()];
      // One write: event, reply, event, reply, event, as QEMU interleaves them.
      conn.write(
        [
          { event: "TICK", data: { n: 1 }, timestamp: { seconds: 1, microseconds: 1 } },
          { return: "A", id: ca.id },
          { event: "TICK", data: { n: 2 }, timestamp: { seconds: 1, microseconds: 2 } },
          { return: "B", id: cb.id },
          { event: "TICK", data: { n: 3 }, timestamp: { seconds: 1, microseconds: 3 } },
        ]
          .map((message) => `${JSON.stringify(message)}\r\n`)
          .join(""),
      );
      assert.deepEqual(await Promise.all([a, b]), ["A", "B"]);
      const third = await waited;
      assert.deepEqual(third, { event: "TICK", data: { n: 3 }, timestamp: { seconds: 1, microseconds: 3 } });
      assert.deepEqual(heard, ["TICK:1", "TICK:2", "TICK:3"]);
      const seen: unknown[] = [];
      for await (const event of iterator) {
        seen.push(event.data.n);
        if (seen.length === 3) break;
      }
      assert.deepEqual(seen, [1, 2, 3]);

      client.off("TICK", listener);
      conn.event("TICK", { n: 4 });
      await client.waitForEvent("TICK", (event) => event.data.n === 4);
      assert.equal(heard.length, 3, "off() removed the listener");
    } finally {
      await session.dispose();
    }
  });

  test("waitForEvent finds an event that arrived before the reply, claims it once, and times out on the next", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const call = client.execute("blockdev-backup", { device: "src", target: "tgt", sync: "full" });
      const command = await conn.nextCommand();
      conn.event("BLOCK_JOB_COMPLETED", { device: "src", len: 8, offset: 8 });
      conn.reply(command.id);
      await call;
      await delay(10);
      const event = await client.waitForEvent("BLOCK_JOB_COMPLETED", undefined, 1000);
      assert.equal(event.data.device, "src");
      const again = await rejection(client.waitForEvent("BLOCK_JOB_COMPLETED", undefined, 30), TimeoutError);
      assert.equal(again.timeout, 30);
    } finally {
      await session.dispose();
    }
  });

  test("with eventBacklog: 0, waitForEvent only sees later events", async () => {
    const session = await openSession({ eventBacklog: 0 });
    try {
      const { client, conn } = session;
      conn.event("STOP");
      await delay(20);
      await rejection(client.waitForEvent("STOP", undefined, 30), TimeoutError);
      const waiting = client.waitForEvent("STOP");
      conn.event("STOP");
      assert.deepEqual((await waiting).data, {}, "an event without data gets {}");
    } finally {
      await session.dispose();
    }
  });

  test("events that come during negotiation are not lost", async () => {
    await withServer(async (server) => {
      const connecting = QmpClient.connect({ ...server.address });
      const conn = await server.accept();
      conn.send(GREETING);
      const command = await conn.nextCommand();
      conn.event("RESUME");
      conn.reply(command.id);
      const client = await connecting;
      assert.equal((await client.waitForEvent("RESUME", undefined, 1000)).event, "RESUME");
      await client.close();
    });
  });

  test("an iterator ends when the connection ends, after the events already received", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const iterator = client.events();
      conn.event("A");
      conn.event("B");
      conn.socket.end();
      const names: string[] = [];
      for await (const event of iterator) names.push(event.event);
      assert.deepEqual(names, ["A", "B"]);
      const late = client.events();
      assert.deepEqual(await late.next(), { value: undefined, done: true });
    } finally {
      await session.dispose();
    }
  });

  test("events({ names }) hands out only those events, typed by the client's event map", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      // The map a generated client supplies; the runtime only carries it through the types.
      const typed = client as unknown as QmpClient<{ A: { readonly n: number } }>;
      const iterator = typed.events({ names: ["A"] });
      conn.event("B");
      conn.event("A");
      conn.socket.end();
      const seen: string[] = [];
      for await (const event of iterator) seen.push(event.event);
      assert.deepEqual(seen, ["A"]);
    } finally {
      await session.dispose();
    }
  });

  test("an iterator stops when its signal aborts", async () => {
    const session = await openSession();
    try {
      const controller = new AbortController();
      const iterator = session.client.events({ signal: controller.signal });
      const next = iterator.next();
      controller.abort();
      assert.deepEqual(await next, { value: undefined, done: true });
    } finally {
      await session.dispose();
    }
  });

  test("a throwing predicate rejects that waiter only", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const boom = new Error("predicate failed");
      const bad = client.waitForEvent("X", () => {
        throw boom;
      });
      const good = client.waitForEvent("X");
      conn.event("X");
      await assert.rejects(bad, (error) => error === boom);
      assert.equal((await good).event, "X");
    } finally {
      await session.dispose();
    }
  });
});

describe("framing on a live connection", () => {
  test("a reply split across several writes, with a multi-byte character in the split", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const call = client.execute("query-name");
      const command = await conn.nextCommand();
      const bytes = Buffer.from(`{"return": {"name": "vm-é😀"}, "id": ${command.id}}\r\n`);
      for (const cut of [[0, 5], [5, 31], [31, 33], [33, bytes.length - 1], [bytes.length - 1, bytes.length]]) {
        conn.socket.write(bytes.subarray(cut[0], cut[1]));
        await delay(5);
      }
      assert.deepEqual(await call, { name: "vm-é😀" });
    } finally {
      await session.dispose();
    }
  });

  test("several messages in one write, with \\n or \\r\\n endings", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const calls = [client.execute("a"), client.execute("b"), client.execute("c")];
      const ids = [(await conn.nextCommand()).id, (await conn.nextCommand()).id, (await conn.nextCommand()).id];
      conn.write(`{"return": 1, "id": ${ids[0]}}\n{"return": 2, "id": ${ids[1]}}\r\n\r\n{"return": 3, "id": ${ids[2]}}\r\n`);
      assert.deepEqual(await Promise.all(calls), [1, 2, 3]);
    } finally {
      await session.dispose();
    }
  });
});

describe("protocol errors close the connection", () => {
  const cases: [string, (id: number) => string, RegExp][] = [
    ["a line that is not JSON", () => "this is not json\r\n", /not JSON: this is not json/],
    ["a reply to an unknown id", (id) => `{"return": {}, "id": ${id + 1000}}\r\n`, /id that matches no call/],
    ["a reply without an id", () => '{"error": {"class": "GenericError", "desc": "JSON parse error"}}\r\n', /without an id/],
    ["a message that is neither reply nor event", () => '{"hello": 1}\r\n', /neither a reply nor an event/],
    ["a malformed error reply", (id) => `{"error": "oops", "id": ${id}}\r\n`, /malformed error reply/],
    ["a JSON array", () => "[1, 2]\r\n", /not an object/],
  ];
  for (const [name, line, message] of cases) {
    test(name, async () => {
      const session = await openSession();
      try {
        const { client, conn } = session;
        const first = client.execute("query-status");
        const second = client.execute("query-version");
        const command = await conn.nextCommand();
        await conn.nextCommand();
        conn.write(line(command.id));
        const error = await rejection(first, ProtocolError);
        assert.match(error.message, message);
        assert.equal(await rejection(second, ProtocolError), error);
        assert.equal(await client.closed, error);
        assert.equal(client.isClosed, true);
        const after = await rejection(client.execute("query-status"), ConnectionClosedError);
        assert.equal(after.cause, error);
        await conn.ended;
      } finally {
        await session.dispose();
      }
    });
  }

  test("an oversized message, even before it ends", async () => {
    const session = await openSession({ maxMessageBytes: 1024 });
    try {
      const { client, conn } = session;
      const call = client.execute("query-status");
      const command = await conn.nextCommand();
      conn.write(`{"return": "${"x".repeat(600)}`);
      await delay(20);
      assert.equal(client.isClosed, false, "600 bytes are under the limit");
      conn.write(`${"x".repeat(600)}", "id": ${command.id}}`);
      const error = await rejection(call, ProtocolError);
      assert.match(error.message, /longer than maxMessageBytes \(1024 bytes\)/);
      await conn.ended;
    } finally {
      await session.dispose();
    }
  });
});

describe("the connection ending", () => {
  test("every pending call rejects promptly with ConnectionClosedError when the server goes away", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const calls = Array.from({ length: 5 }, (_, i) => client.execute(`cmd-${i}`));
      const waiter = client.waitForEvent("NEVER");
      for (let i = 0; i < 5; i++) await conn.nextCommand();
      const start = performance.now();
      conn.socket.destroy();
      const errors = await Promise.all(calls.map((call) => rejection(call, ConnectionClosedError)));
      assert.ok(performance.now() - start < 1000);
      assert.deepEqual(
        errors.map((error) => error.command),
        ["cmd-0", "cmd-1", "cmd-2", "cmd-3", "cmd-4"],
      );
      await rejection(waiter, ConnectionClosedError);
      assert.ok((await client.closed) instanceof ConnectionClosedError);
      await rejection(client.execute("query-status"), ConnectionClosedError);
      await rejection(client.waitForEvent("X"), ConnectionClosedError);
    } finally {
      await session.dispose();
    }
  });

  test("quit resolves when the server closes without replying; other pending calls reject", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const other = client.execute("query-status");
      const quit = client.execute("quit");
      await conn.nextCommand();
      assert.equal((await conn.nextCommand()).execute, "quit");
      conn.socket.destroy();
      assert.deepEqual(await quit, {});
      await rejection(other, ConnectionClosedError);
    } finally {
      await session.dispose();
    }
  });

  test("quit resolves with the reply when the server replies and then closes", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const quit = client.execute("quit");
      const command = await conn.nextCommand();
      conn.event("SHUTDOWN", { guest: false, reason: "host-qmp-quit" });
      conn.reply(command.id);
      conn.socket.end();
      assert.deepEqual(await quit, {});
      await client.closed;
    } finally {
      await session.dispose();
    }
  });

  test("quit resolves when the connection is reset (ECONNRESET)", async () => {
    const session = await openSession({}, { tcp: true });
    try {
      const { client, conn } = session;
      const quit = client.execute("quit");
      await conn.nextCommand();
      conn.socket.resetAndDestroy();
      assert.deepEqual(await quit, {});
      const reason = await client.closed;
      assert.ok(reason instanceof ConnectionClosedError);
      assert.equal((reason.cause as NodeJS.ErrnoException | undefined)?.code, "ECONNRESET");
    } finally {
      await session.dispose();
    }
  });

  test("close() rejects pending calls, releases the socket, and later calls reject", async () => {
    const session = await openSession();
    try {
      const { client, conn } = session;
      const pending = client.execute("query-status");
      await conn.nextCommand();
      const quit = client.execute("quit");
      const rejections = [rejection(pending, ConnectionClosedError), rejection(quit, ConnectionClosedError)];
      await client.close();
      const [error] = await Promise.all(rejections);
      assert.match(error?.message ?? "", /query-status: the client was closed/);
      // Closing ourselves says nothing about QEMU having quit, so quit rejects too (checked above).
      await conn.ended;
      await rejection(client.execute("query-status"), ConnectionClosedError);
      await client.close(); // idempotent
    } finally {
      await session.dispose();
    }
  });

  test("Symbol.asyncDispose closes the client", async () => {
    const session = await openSession();
    try {
      const pending = session.client.execute("query-status");
      assert.equal(await stateOf(pending), "pending");
      const rejected = rejection(pending, ConnectionClosedError);
      await session.client[Symbol.asyncDispose]();
      await rejected;
      await session.conn.ended;
    } finally {
      await session.dispose();
    }
  });
});

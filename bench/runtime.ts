// QmpClient against a real QEMU, beside a bare-socket loop doing the same work, in the same run:
// sequential round-trip latency and pipelined throughput. Prints figures, asserts nothing.
// QEMU's QMP socket serves one client at a time, so the two take turns on fresh connections,
// alternating over several rounds; the median round is reported.
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseJson, QmpClient } from "../src/runtime/index.js";
import { qemuMissing, type Qemu, withQemu } from "../test/e2e/qemu.js";

const LATENCY_CALLS = 2000;
const PIPELINED_CALLS = 20_000;
const ROUNDS = 3;
const WARMUP_CALLS = 500;

interface Figures {
  /** Per-call round trip, µs, sequential. */
  readonly latencies: readonly number[];
  /** Commands per second with all PIPELINED_CALLS in flight. */
  readonly throughput: number;
}

/** The baseline: a bare socket, lines written by hand, replies counted rather than parsed. */
class RawQmp {
  private buffer = "";
  private onLine: (line: string) => void = () => {};

  private constructor(private readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf("\n")) !== -1) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        this.onLine(line);
      }
    });
  }

  static async connect(path: string): Promise<RawQmp> {
    const socket = createConnection(path);
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    const raw = new RawQmp(socket);
    const greeting = await raw.next();
    if (!greeting.startsWith('{"QMP"')) throw new Error(`unexpected greeting: ${greeting}`);
    socket.write('{"execute":"qmp_capabilities","id":0}\n');
    await raw.nextReply();
    return raw;
  }

  private next(): Promise<string> {
    return new Promise((resolve) => (this.onLine = resolve));
  }

  /** The next reply (events are skipped). */
  private async nextReply(): Promise<string> {
    for (;;) {
      const line = await this.next();
      if (line.includes('"return"') || line.includes('"error"')) return line;
    }
  }

  async sequential(calls: number, startId: number): Promise<number[]> {
    const latencies: number[] = [];
    for (let i = 0; i < calls; i++) {
      const start = performance.now();
      this.socket.write(`{"execute":"query-status","id":${startId + i}}\n`);
      await this.nextReply();
      latencies.push((performance.now() - start) * 1000);
    }
    return latencies;
  }

  /** Writes every command at once and resolves when as many replies have arrived. */
  pipelined(calls: number, startId: number): Promise<void> {
    return new Promise((resolve) => {
      let replies = 0;
      this.onLine = (line) => {
        if ((line.includes('"return"') || line.includes('"error"')) && ++replies === calls) resolve();
      };
      let batch = "";
      for (let i = 0; i < calls; i++) batch += `{"execute":"query-status","id":${startId + i}}\n`;
      this.socket.write(batch);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Where to connect; QEMU itself, or the in-process stand-in below. */
interface Target {
  readonly socketPath: string;
  connect(): Promise<QmpClient>;
}

async function measureClient(qemu: Target): Promise<Figures> {
  const client = await qemu.connect();
  try {
    for (let i = 0; i < WARMUP_CALLS; i++) await client.execute("query-status");
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_CALLS; i++) {
      const start = performance.now();
      await client.execute("query-status");
      latencies.push((performance.now() - start) * 1000);
    }
    const start = performance.now();
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < PIPELINED_CALLS; i++) calls.push(client.execute("query-status"));
    await Promise.all(calls);
    const throughput = PIPELINED_CALLS / ((performance.now() - start) / 1000);
    return { latencies, throughput };
  } finally {
    await client.close();
  }
}

async function measureRaw(qemu: Target): Promise<Figures> {
  const raw = await RawQmp.connect(qemu.socketPath);
  try {
    await raw.sequential(WARMUP_CALLS, 1);
    const latencies = await raw.sequential(LATENCY_CALLS, 1_000_000);
    const start = performance.now();
    await raw.pipelined(PIPELINED_CALLS, 2_000_000);
    const throughput = PIPELINED_CALLS / ((performance.now() - start) / 1000);
    return { latencies, throughput };
  } finally {
    raw.close();
  }
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

function line(label: string, client: string, raw: string, ratio: string): void {
  console.log(`  ${label.padEnd(34)} ${client.padStart(12)} ${raw.padStart(12)} ${ratio.padStart(8)}`);
}

const STATUS_REPLY = '{"return": {"status": "running", "singlestep": false, "running": true}, "id": ';

/**
 * Answers query-status instantly, as QEMU would word it, so that only client-side costs are
 * left: QEMU needs ~300 µs per command, which hides them.
 */
async function startResponder(): Promise<{ target: Target; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "qmp-hx-bench-"));
  const socketPath = join(dir, "qmp.sock");
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.setEncoding("utf8");
    socket.write('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}}\r\n');
    let buffered = "";
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      const end = buffered.lastIndexOf("\n");
      if (end === -1) return;
      let out = "";
      for (const match of buffered.slice(0, end).matchAll(/"id":(\d+)/g)) out += `${STATUS_REPLY}${match[1]}}\r\n`;
      buffered = buffered.slice(end + 1);
      socket.write(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    target: { socketPath, connect: () => QmpClient.connect({ path: socketPath }) },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function compare(label: string, target: Target): Promise<Figures[]> {
  const client: Figures[] = [];
  const raw: Figures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    client.push(await measureClient(target));
    raw.push(await measureRaw(target));
  }
  // Per round: median and p99 of that round's calls; reported: the median round.
  const stat = (figures: Figures[], pick: (f: Figures) => number): number => median(figures.map(pick));
  const clientMedian = stat(client, (f) => median(f.latencies));
  const rawMedian = stat(raw, (f) => median(f.latencies));
  const clientP99 = stat(client, (f) => quantile(f.latencies, 0.99));
  const rawP99 = stat(raw, (f) => quantile(f.latencies, 0.99));
  const clientRate = stat(client, (f) => f.throughput);
  const rawRate = stat(raw, (f) => f.throughput);

  console.log(`  ${label}`);
  line("", "QmpClient", "raw socket", "ratio");
  // Ratios read "as good as raw": raw/client for times, client/raw for rates.
  const us = (value: number): string => `${value.toFixed(1)} µs`;
  line(`latency median (${LATENCY_CALLS} sequential)`, us(clientMedian), us(rawMedian), `${(rawMedian / clientMedian).toFixed(2)}x`);
  line("latency p99", us(clientP99), us(rawP99), `${(rawP99 / clientP99).toFixed(2)}x`);
  line(`throughput (${PIPELINED_CALLS} in flight)`, `${Math.round(clientRate)}/s`, `${Math.round(rawRate)}/s`, `${(clientRate / rawRate).toFixed(2)}x`);
  return client;
}

/** parseJson beside JSON.parse on a typical reply (fast path) and on one with 64-bit integers (hand-written parser). */
function benchJson(): void {
  const typical = `${STATUS_REPLY}12345}`;
  const big = '{"return": {"max-bandwidth": 18446744073709551615, "downtime-limit": 300, "tls-creds": "", "xbzrle-cache-size": 67108864, "block-incremental": false}, "id": 7}';
  const rate = (parse: (text: string) => unknown, text: string): number => {
    const iterations = 200_000;
    for (let i = 0; i < 20_000; i++) parse(text);
    const start = performance.now();
    for (let i = 0; i < iterations; i++) parse(text);
    return iterations / ((performance.now() - start) / 1000);
  };
  const row = (label: string, text: string): void => {
    const ours = rate(parseJson, text);
    const native = rate(JSON.parse, text);
    line(label, `${(ours / 1e6).toFixed(2)} M/s`, `${(native / 1e6).toFixed(2)} M/s`, `${(ours / native).toFixed(2)}x`);
  };
  console.log("  reply parsing (messages/s)");
  line("", "parseJson", "JSON.parse", "ratio");
  row(`query-status reply (${typical.length} B)`, typical);
  row(`reply with a uint64 (${big.length} B)`, big);
}

export async function benchRuntime(): Promise<void> {
  benchJson();
  const responder = await startResponder();
  try {
    await compare("in-process responder (client-side cost only)", responder.target);
  } finally {
    await responder.close();
  }
  if (qemuMissing !== undefined) {
    console.log(`  QEMU part skipped: ${qemuMissing}`);
    return;
  }
  await withQemu({}, async (qemu: Qemu) => {
    const version = await qemu.connect().then(async (client) => {
      await client.close();
      return client.version.qemu;
    });
    await compare(`QEMU ${version.major}.${version.minor}.${version.micro}, -machine none, query-status; median of ${ROUNDS} alternating rounds`, qemu);
  });
}

// `node dist/bench/runtime.js` runs just this part.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchRuntime();
}

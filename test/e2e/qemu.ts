// Starts and stops real QEMU processes for the end-to-end tests and the runtime benchmark.
// Every process is stopped by pid: SIGTERM, then SIGKILL after a bound, also when a test fails.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { TestContext } from "node:test";
import { repoRoot } from "../helpers.js";
import { QmpClient, type QmpClientOptions, type QmpVersion } from "../../src/runtime/index.js";

const REQUIRED = ["qemu-system-x86_64", "qemu-img", "qemu-io"] as const;
const INSTALL_HINT = "apt-get install qemu-system-x86 qemu-utils";

function onPath(name: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why QEMU tests cannot run with this PATH, or undefined if they can. */
export function findMissingQemu(path = process.env.PATH ?? ""): string | undefined {
  const missing = REQUIRED.filter((name) => !onPath(name, path));
  return missing.length === 0 ? undefined : `${missing.join(", ")} not found: ${INSTALL_HINT}`;
}

/** Why QEMU tests cannot run here, or undefined if they can. */
export const qemuMissing: string | undefined = findMissingQemu();

/**
 * Returns true when QEMU is available. Otherwise skips the test with a visible reason and
 * returns false, except on CI (`CI=true`), where a missing QEMU fails the test instead.
 */
export function requireQemu(t: TestContext, missing = qemuMissing, env: NodeJS.ProcessEnv = process.env): boolean {
  if (missing === undefined) return true;
  if (env.CI === "true") throw new Error(`${missing} (QEMU is required when CI=true)`);
  t.skip(missing);
  return false;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to completion (bounded), without a shell. */
export function run(file: string, args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`${file} ${args.join(" ")} failed to run: ${error.message}\n${stderr}`));
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** Like run(), but a non-zero exit is an error. */
export async function runOk(file: string, args: readonly string[]): Promise<RunResult> {
  const result = await run(file, args);
  if (result.code !== 0) throw new Error(`${file} ${args.join(" ")} exited with ${result.code}:\n${result.stderr}${result.stdout}`);
  return result;
}

export interface Images {
  readonly src: string;
  readonly tgt: string;
}

/** Two 8 MiB qcow2 images; the first MiB of src is 0x5a, tgt is empty. */
export async function makeImages(dir: string): Promise<Images> {
  const src = join(dir, "src.qcow2");
  const tgt = join(dir, "tgt.qcow2");
  await runOk("qemu-img", ["create", "-q", "-f", "qcow2", src, "8M"]);
  await runOk("qemu-img", ["create", "-q", "-f", "qcow2", tgt, "8M"]);
  await runOk("qemu-io", ["-f", "qcow2", "-c", "write -P 0x5a 0 1M", src]);
  return { src, tgt };
}

/** The hx-era QEMU releases in `../shared/qemu/` (or `$QMP_HX_QEMU`), built from upstream sources. */
export type QemuRelease = "2.7.0" | "1.1.0";

/** The folder of the release tarballs: `$QMP_HX_QEMU`, else `shared/qemu` beside the repo. */
export const releasesDir = process.env.QMP_HX_QEMU ?? join(repoRoot, "..", "shared", "qemu");

function releaseTarball(release: QemuRelease): string {
  return join(releasesDir, `qemu-${release}-x86_64-debian12.tar.xz`);
}

/** Why a release binary cannot run here, or undefined if it can. */
export function findMissingRelease(release: QemuRelease): string | undefined {
  if (!existsSync(releaseTarball(release))) return `${releaseTarball(release)} not found (set QMP_HX_QEMU to the folder of the QEMU release tarballs)`;
  if (release === "1.1.0" && !existsSync("/usr/share/seabios/bios.bin")) return `/usr/share/seabios/bios.bin not found: apt-get install seabios`;
  return qemuMissing; // the releases need the shared libraries Debian's qemu-system-x86 pulls in
}

/** Like requireQemu(), for a release binary: skips with the reason, or fails when CI=true. */
export function requireRelease(t: TestContext, release: QemuRelease, env: NodeJS.ProcessEnv = process.env): boolean {
  return requireQemu(t, findMissingRelease(release), env);
}

const unpacked = new Map<QemuRelease, string>();
let releasesRoot: string | undefined;
process.on("exit", () => {
  if (releasesRoot) rmSync(releasesRoot, { recursive: true, force: true });
});

/** Unpacks a release once per process into a temporary folder; returns its `bin/` folder. */
export function releaseBin(release: QemuRelease): string {
  let bin = unpacked.get(release);
  if (bin === undefined) {
    releasesRoot ??= mkdtempSync(join(tmpdir(), "qmp-hx-releases-"));
    execFileSync("tar", ["-xJf", releaseTarball(release), "-C", releasesRoot]);
    bin = join(releasesRoot, `qemu-${release}-x86_64-debian12`, "bin");
    unpacked.set(release, bin);
  }
  return bin;
}

export interface QemuOptions {
  /** Run a release binary from `../shared/qemu/` instead of Debian's QEMU on the PATH. */
  readonly release?: QemuRelease;
  /** Attach src/tgt images as `-drive if=none,id=src|tgt`. */
  readonly images?: boolean;
  /** How long to wait for the QMP socket to appear (default 10 s). */
  readonly startTimeoutMs?: number;
}

export interface Qemu {
  readonly pid: number;
  readonly dir: string;
  readonly socketPath: string;
  readonly images: Images | undefined;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What QEMU printed on stderr so far. */
  stderr(): string;
  /** Opens a socket to the QMP monitor, retrying while QEMU is not accepting yet. */
  connectSocket(): Promise<Socket>;
  /** Connects a QmpClient over connectSocket(). */
  connect(options?: QmpClientOptions): Promise<QmpClient>;
  /** Stops QEMU (SIGTERM, SIGKILL after `graceMs`) and removes the temp dir. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
// Last resort if the test process exits with QEMUs still running (e.g. an uncaught error).
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export async function startQemu(options: QemuOptions = {}): Promise<Qemu> {
  const dir = mkdtempSync(join(tmpdir(), "qmp-hx-e2e-"));
  const socketPath = join(dir, "qmp.sock");
  let child: ChildProcess | undefined;
  try {
    const images = options.images ? await makeImages(dir) : undefined;
    const { program, args } = qemuCommand(options.release, socketPath);
    if (images) {
      args.push("-drive", `if=none,id=src,file=${images.src},format=qcow2`);
      args.push("-drive", `if=none,id=tgt,file=${images.tgt},format=qcow2`);
    }
    const proc = spawn(program, args, { stdio: ["ignore", "ignore", "pipe"] });
    child = proc;
    running.add(proc);
    let stderr = "";
    proc.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      proc.once("exit", (code, signal) => {
        running.delete(proc);
        resolve({ code, signal });
      });
    });
    const spawnError = new Promise<never>((_, reject) => proc.once("error", reject));
    spawnError.catch(() => {});
    if (proc.pid === undefined) await spawnError;
    const pid = proc.pid ?? -1;

    // QEMU creates the socket before entering its main loop; wait for it, bounded.
    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    let status: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void exited.then((s) => (status = s));
    while (!existsSync(socketPath)) {
      if (status) throw new Error(`QEMU exited (${status.code ?? status.signal}) before creating its QMP socket:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`QEMU did not create ${socketPath} in time:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    let stopped: Promise<void> | undefined;
    const qemu: Qemu = {
      pid,
      dir,
      socketPath,
      images,
      exited,
      stderr: () => stderr,
      async connectSocket() {
        const until = Date.now() + 5000;
        for (;;) {
          const socket = createConnection(socketPath);
          try {
            await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
            return socket;
          } catch (error) {
            socket.destroy();
            // Between creating the socket file and listening on it, QEMU refuses connections.
            if ((error as NodeJS.ErrnoException).code !== "ECONNREFUSED" || Date.now() > until) throw error;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        }
      },
      async connect(clientOptions: QmpClientOptions = {}) {
        return QmpClient.fromStream(await qemu.connectSocket(), clientOptions);
      },
      stop(graceMs = 3000) {
        stopped ??= (async () => {
          await stopProcess(proc, exited, graceMs);
          rmSync(dir, { recursive: true, force: true });
        })();
        return stopped;
      },
    };
    return qemu;
  } catch (error) {
    if (child) await stopProcess(child, new Promise((resolve) => child?.once("exit", resolve)), 1000);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The program and arguments that start a QEMU with no guest and a QMP socket. */
function qemuCommand(release: QemuRelease | undefined, socketPath: string): { program: string; args: string[] } {
  const common = ["-nodefaults", "-display", "none"];
  switch (release) {
    case undefined:
      return { program: "qemu-system-x86_64", args: ["-machine", "none", ...common, "-qmp", `unix:${socketPath},server=on,wait=off`] };
    case "2.7.0":
      return {
        program: join(releaseBin(release), "qemu-system-x86_64"),
        args: ["-machine", "none", ...common, "-no-user-config", "-qmp", `unix:${socketPath},server,nowait`],
      };
    case "1.1.0":
      // No `-machine none` before 1.3: a stopped PC with Debian's SeaBIOS.
      return {
        program: join(releaseBin(release), "qemu-system-x86_64"),
        args: ["-L", "/usr/share/seabios", "-machine", "pc", "-S", ...common, "-qmp", `unix:${socketPath},server,nowait`],
      };
  }
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  child.kill("SIGCONT"); // a stopped (SIGSTOP) QEMU would otherwise sit on its SIGTERM
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), graceMs)));
  const outcome = await Promise.race([exited.then(() => "exited" as const), graceOver]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    child.kill("SIGKILL");
    await exited;
  }
}

/**
 * The QEMUs the end-to-end suite runs against: Debian's (7.2, on the PATH) and the 2.7.0
 * release, the last with qmp-commands.hx. What differs between them is keyed by the version
 * the greeting reports (versionAtLeast), never assumed from which one was started.
 */
export const e2eTargets: readonly { readonly name: string; readonly release: QemuRelease | undefined }[] = [
  { name: "Debian's QEMU", release: undefined },
  { name: "QEMU 2.7.0", release: "2.7.0" },
];

/** requireQemu() or requireRelease(), for an e2e target. */
export function requireTarget(t: TestContext, release: QemuRelease | undefined): boolean {
  return release === undefined ? requireQemu(t) : requireRelease(t, release);
}

/** Whether a greeting's version is at least major.minor. */
export function versionAtLeast(version: QmpVersion, major: number, minor: number): boolean {
  return version.qemu.major > major || (version.qemu.major === major && version.qemu.minor >= minor);
}

/** A tool of the same QEMU as the target: the release's own, or Debian's on the PATH. */
export function qemuTool(release: QemuRelease | undefined, tool: "qemu-img" | "qemu-io"): string {
  return release === undefined ? tool : join(releaseBin(release), tool);
}

/** Runs `body` with a fresh QEMU and always stops it afterwards. */
export async function withQemu<T>(options: QemuOptions, body: (qemu: Qemu) => Promise<T>): Promise<T> {
  const qemu = await startQemu(options);
  try {
    return await body(qemu);
  } finally {
    await qemu.stop();
  }
}

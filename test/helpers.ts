// Shared by the tests: where the repo is, running the CLI, temporary folders.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Tests run from dist/test/...: the repo is above dist/. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const fixturePath = join(repoRoot, "test", "fixtures", "blockdev-backup.hx");
export const cliPath = join(repoRoot, "dist", "src", "cli", "bin.js");

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    execFile(process.execPath, [cliPath, ...args], { cwd: options.cwd ?? repoRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "qmp-hx-test-"));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

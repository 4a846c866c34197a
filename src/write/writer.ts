// Writes a generated folder so that qmp-hx only ever touches what it wrote, and the folder
// changes as a unit:
// - ownership is proven by content: the manifest records the sha256 of every file qmp-hx wrote;
//   a file at an output path that is unknown or changed since stops the run (unless force), and
//   a file is removed only when its bytes are still the ones qmp-hx wrote;
// - no symbolic link is ever followed: every folder on the way to a path must be a real folder
//   below the output folder, else the path is in the way (a conflict) or left alone;
// - the new files are staged in a folder beside them, then a journal is committed and applied
//   by renames; a run that was killed is finished (journal present) or undone (no journal) by
//   the next one, under a lock that makes a second concurrent run wait.
//
// The file system calls are synchronous: a folder of many small files is one syscall after
// another either way, and an awaited call costs a thread-pool round trip several times longer
// than the call itself (151 files: 290 ms awaited, see bench/cold-phases.ts).
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, unlinkSync, writeFileSync, type Stats } from "node:fs";
import { dirname, join, sep } from "node:path";
import type { GeneratedFile } from "../emit/generate.js";
import { isOutputPath, manifestName, manifestText, parseManifest, sha256, type Manifest } from "./manifest.js";

export { manifestName } from "./manifest.js";

/** Where a run stages its files and journal: inside the folder, so that renames stay on one file system. */
export const stagingName = ".qmp-hx-staging";
const lockName = ".qmp-hx-lock";

export interface WriteReport {
  /** Written because new or different (with check: would be). */
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  /** Written by an earlier run, no longer generated: removed (or, with check, would be). */
  readonly removed: readonly string[];
  /** No longer generated but changed since qmp-hx wrote them (or reached through a link): left in place. */
  readonly kept: readonly string[];
  /** A run was interrupted: with check, the folder is stale; else it was finished or undone first. */
  readonly interrupted: boolean;
}

export interface WriteOptions {
  /** Compare only: write and remove nothing. */
  readonly check?: boolean;
  /** Overwrite files at output paths that qmp-hx did not write (or that were changed since). */
  readonly force?: boolean;
  /** The generation key recorded in the manifest (see key.ts). */
  readonly key?: string;
  /** The files the key was computed from, recorded in the manifest (see Manifest.inputs). */
  readonly inputs?: readonly string[];
  /** How long to wait for another run writing the same folder (default 60 s). */
  readonly lockTimeoutMs?: number;
}

/** For the writer's property test: called after each file is moved into place (may throw to simulate a crash). */
export const writerTestHooks: { afterMove?: () => void } = {};

/** The output folder cannot be written safely; the message says why. Nothing was written. */
export class OutputError extends Error {
  override readonly name = "OutputError";
}

interface Conflict {
  readonly path: string;
  readonly reason: string;
  /** What --force removes to make way (the path itself or a file or link where a folder goes). */
  readonly inTheWay: string | undefined;
}

interface Journal {
  /** Removed first (with force): files or links where output goes. Never a folder. */
  readonly inTheWay: readonly string[];
  /**
   * Moved from the staging folder in order, each only while its path still holds what the plan
   * saw (`previous`: sha256, or null for nothing): a file put there after a crash is left alone.
   */
  readonly writes: readonly { readonly path: string; readonly previous: string | null }[];
  /** Removed when their bytes still hash to the recorded value. */
  readonly removals: readonly { readonly path: string; readonly hash: string }[];
}

export async function writeOutput(outDir: string, files: readonly GeneratedFile[], options: WriteOptions = {}): Promise<WriteReport> {
  if (outDir === "") throw new OutputError("the output folder is empty: name a folder");
  for (const file of files) {
    if (!isOutputPath(file.path) || file.path === manifestName || file.path.split("/")[0] === stagingName) {
      throw new Error(`generated a file with an unusable path: ${JSON.stringify(file.path)}`);
    }
  }
  // Each file's hash, computed once: the manifest records it and the plan compares with it.
  const hashes = new Map(files.map((file) => [file.path, sha256(file.content)]));
  if (options.check) {
    const root = realFolder(outDir);
    const previous = root === undefined ? emptyManifest() : parseManifest(readText(join(root, manifestName)));
    const interrupted = root !== undefined && exists(join(root, stagingName));
    // The manifest is stale when its record of the files is; a different key alone (an option
    // that changes no byte) is not.
    return withManifest(plannedReport(plan(root, files, hashes, previous), interrupted), !sameEntries(previous.files, hashes));
  }
  mkdirSync(outDir, { recursive: true });
  const root = realpathSync(outDir);
  const release = await acquireLock(root, outDir, options.lockTimeoutMs ?? 60_000);
  try {
    const interrupted = recover(root);
    const previousText = readText(join(root, manifestName));
    const previous = parseManifest(previousText);
    const planned = plan(root, files, hashes, previous);
    if (planned.conflicts.length > 0 && !options.force) {
      const lines = planned.conflicts.map((conflict) => `  ${join(outDir, conflict.path)}: ${conflict.reason}`);
      throw new OutputError(
        `${outDir}: ${planned.conflicts.length} output path(s) hold files qmp-hx did not write; nothing was written:\n${lines.join("\n")}\n` +
          "move them away, or run again with --force to overwrite them",
      );
    }
    const newManifest = manifestText({ key: options.key, ...(options.inputs === undefined ? {} : { inputs: options.inputs }), files: hashes });
    const manifestChanged = previousText !== newManifest;
    if (planned.writes.length > 0 || planned.removals.length > 0 || manifestChanged) stageAndSwitch(root, planned, newManifest);
    return withManifest(plannedReport(planned, interrupted), manifestChanged);
  } finally {
    release();
  }
}

/** An output folder as its last run left it: its real path and manifest (empty when it has none). */
export interface OutputRecord {
  readonly root: string;
  readonly manifest: Manifest;
}

/**
 * The folder's record, read once for both questions a run asks of it (which inputs the last run
 * read, and whether it answers this key); undefined when the folder does not exist.
 */
export function readOutputRecord(outDir: string): OutputRecord | undefined {
  const root = realFolder(outDir);
  return root === undefined ? undefined : { root, manifest: parseManifest(readText(join(root, manifestName))) };
}

/**
 * The answer of an up-to-date check from the manifest alone: undefined unless the manifest was
 * written by a run with this key; else every recorded file whose bytes changed or are missing
 * is stale. Reads the files, generates nothing.
 */
export function reportFromManifest(record: OutputRecord | undefined, key: string): WriteReport | undefined {
  if (record === undefined || exists(join(record.root, stagingName))) return undefined;
  const { root, manifest } = record;
  if (manifest.key !== key) return undefined;
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [path, hash] of manifest.files) {
    const bytes = realFoldersOnTheWay(root, path) ? readRegularFile(join(root, path)) : undefined;
    (bytes !== undefined && sha256(bytes) === hash ? unchanged : written).push(path);
  }
  return { written: written.sort(), unchanged: [...unchanged.sort(), manifestName], removed: [], kept: [], interrupted: false };
}

interface PlannedWrite extends GeneratedFile {
  /** sha256 of the regular file the path holds now; null when none (or a link, removed first). */
  readonly previous: string | null;
}

interface Plan {
  readonly writes: readonly PlannedWrite[];
  readonly unchanged: readonly string[];
  readonly removals: readonly { readonly path: string; readonly hash: string }[];
  readonly kept: readonly string[];
  readonly conflicts: readonly Conflict[];
}

function plan(root: string | undefined, files: readonly GeneratedFile[], hashes: ReadonlyMap<string, string>, previous: Manifest): Plan {
  const writes: PlannedWrite[] = [];
  const unchanged: string[] = [];
  const conflicts: Conflict[] = [];
  for (const file of files) {
    if (root === undefined) {
      writes.push({ ...file, previous: null });
      continue;
    }
    const blocked = blockedFolder(root, file.path);
    if (blocked) {
      writes.push({ ...file, previous: null });
      conflicts.push(blocked);
      continue;
    }
    const target = join(root, file.path);
    const status = lstatOrUndefined(target);
    if (status === undefined) {
      writes.push({ ...file, previous: null });
      continue;
    }
    if (status.isDirectory()) throw new OutputError(`${target}: a folder is where qmp-hx writes a file; move it away`);
    if (!status.isFile()) {
      writes.push({ ...file, previous: null });
      conflicts.push({ path: file.path, reason: "a symbolic link or special file, not written by qmp-hx", inTheWay: file.path });
      continue;
    }
    // The same hash as the new content: the same bytes (the manifest proves ownership the same way).
    const held = sha256(readFileSync(target));
    if (held === hashes.get(file.path)) {
      unchanged.push(file.path);
      continue;
    }
    writes.push({ ...file, previous: held });
    const recorded = previous.files.get(file.path);
    if (recorded === undefined) {
      const reason = previous.unproven?.has(file.path) ? "listed by an older qmp-hx manifest that has no hashes, so not proven to be qmp-hx's" : "not written by qmp-hx";
      conflicts.push({ path: file.path, reason, inTheWay: undefined });
    } else if (held !== recorded) conflicts.push({ path: file.path, reason: "changed since qmp-hx wrote it", inTheWay: undefined });
  }
  const removals: { path: string; hash: string }[] = [];
  const kept: string[] = [];
  for (const [path, hash] of previous.files) {
    if (hashes.has(path) || root === undefined) continue;
    if (!realFoldersOnTheWay(root, path)) {
      kept.push(path);
      continue;
    }
    const bytes = readRegularFile(join(root, path));
    if (bytes === undefined) continue; // gone already, or not a plain file: nothing of ours to remove
    if (sha256(bytes) === hash) removals.push({ path, hash });
    else kept.push(path);
  }
  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return {
    writes: writes.sort(byPath),
    unchanged: unchanged.sort(),
    removals: removals.sort(byPath),
    kept: kept.sort(),
    conflicts: conflicts.sort(byPath),
  };
}

function withManifest(report: WriteReport, manifestChanged: boolean): WriteReport {
  return manifestChanged ? { ...report, written: [...report.written, manifestName] } : { ...report, unchanged: [...report.unchanged, manifestName] };
}

function sameEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([key, value]) => b.get(key) === value);
}

function plannedReport(planned: Plan, interrupted: boolean): WriteReport {
  return {
    written: planned.writes.map((file) => file.path),
    unchanged: planned.unchanged,
    removed: planned.removals.map((removal) => removal.path),
    kept: planned.kept,
    interrupted,
  };
}

/** Stages every file, commits the journal (the point of no return), then applies it. */
function stageAndSwitch(root: string, planned: Plan, manifest: string): void {
  const staging = join(root, stagingName);
  mkdirSync(join(staging, "files"), { recursive: true });
  // Staged files keep their names (no longer temporary names that pass the file-name limit).
  // The staging folder is this run's own: each of its folders is created once.
  const created = new Set<string>();
  for (const file of [...planned.writes, { path: manifestName, content: manifest }]) {
    const staged = join(staging, "files", file.path);
    const folder = dirname(staged);
    if (!created.has(folder)) mkdirSync(folder, { recursive: true });
    created.add(folder);
    writeFileSync(staged, file.content);
  }
  const journal: Journal = {
    inTheWay: [...new Set(planned.conflicts.flatMap((conflict) => (conflict.inTheWay === undefined ? [] : [conflict.inTheWay])))],
    writes: [...planned.writes.map(({ path, previous }) => ({ path, previous })), { path: manifestName, previous: null }],
    removals: planned.removals,
  };
  const descriptor = openSync(join(staging, "journal.tmp"), "w");
  try {
    writeFileSync(descriptor, JSON.stringify(journal));
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(join(staging, "journal.tmp"), join(staging, "journal"));
  applyJournal(root, staging, journal);
}

function applyJournal(root: string, staging: string, journal: Journal): void {
  for (const path of journal.inTheWay) {
    const status = lstatOrUndefined(join(root, path));
    if (status && !status.isDirectory()) unlinkSync(join(root, path));
  }
  for (const { path, previous } of journal.writes) {
    if (path === manifestName) continue;
    if (!exists(join(staging, "files", path))) continue; // moved before an interruption
    const now = realFoldersOnTheWay(root, path) ? lstatOrUndefined(join(root, path)) : undefined;
    const holds = now === undefined ? null : now.isFile() ? sha256(readFileSync(join(root, path))) : "not a plain file";
    if (holds !== previous) continue; // changed since the plan: never overwritten; the manifest's hash then disagrees
    moveStaged(root, staging, path);
  }
  for (const { path, hash } of journal.removals) {
    if (!realFoldersOnTheWay(root, path)) continue;
    const bytes = readRegularFile(join(root, path));
    if (bytes !== undefined && sha256(bytes) === hash) unlinkSync(join(root, path));
  }
  moveStaged(root, staging, manifestName);
  rmSync(staging, { recursive: true, force: true });
}

/** Moves one staged file into place; already moved (a resumed run) is fine. */
function moveStaged(root: string, staging: string, path: string): void {
  const target = join(root, path);
  mkdirBelow(root, dirname(path));
  try {
    renameSync(join(staging, "files", path), target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  writerTestHooks.afterMove?.();
}

/** Creates the folders of a relative path one by one, refusing to go through a link. */
function mkdirBelow(root: string, relative: string): void {
  if (relative === "." || relative === "") return;
  let current = root;
  for (const segment of relative.split("/")) {
    current = join(current, segment);
    const status = lstatOrUndefined(current);
    if (status === undefined) mkdirSync(current);
    else if (!status.isDirectory()) throw new OutputError(`${current}: not a real folder (a link or a file); qmp-hx writes only into real folders`);
  }
}

/** Finishes an interrupted run whose journal was committed, or undoes one that was not. */
function recover(root: string): boolean {
  const staging = join(root, stagingName);
  if (!exists(staging)) return false;
  const journalText = readText(join(staging, "journal"));
  if (journalText !== undefined) applyJournal(root, staging, JSON.parse(journalText) as Journal);
  else rmSync(staging, { recursive: true, force: true });
  return true;
}

/** A path whose folders are not all real folders below root: a conflict, with what is in the way. */
function blockedFolder(root: string, path: string): Conflict | undefined {
  const segments = path.split("/");
  for (let index = 1; index < segments.length; index++) {
    const folder = segments.slice(0, index).join("/");
    const status = lstatOrUndefined(join(root, folder));
    if (status === undefined) return undefined;
    if (!status.isDirectory()) {
      return { path, reason: `${folder} is ${status.isSymbolicLink() ? "a symbolic link" : "a file"} where qmp-hx needs a real folder`, inTheWay: folder };
    }
  }
  return undefined;
}

function realFoldersOnTheWay(root: string, path: string): boolean {
  if (!isOutputPath(path)) return false;
  const segments = path.split("/");
  for (let index = 1; index < segments.length; index++) {
    const status = lstatOrUndefined(join(root, ...segments.slice(0, index)));
    if (!status?.isDirectory()) return false;
  }
  return true;
}

/** A regular file's bytes; undefined when missing, a link or anything else. */
function readRegularFile(path: string): Buffer | undefined {
  const status = lstatOrUndefined(path);
  return status?.isFile() ? readFileSync(path) : undefined;
}

async function acquireLock(root: string, outDir: string, timeoutMs: number): Promise<() => void> {
  const path = join(root, lockName);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const descriptor = openSync(path, "wx");
      try {
        writeFileSync(descriptor, `${process.pid}\n`);
      } finally {
        closeSync(descriptor);
      }
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number.parseInt(readText(path) ?? "", 10);
    // Left by a run that was killed (its staging is dealt with by recover()); a lock with no pid
    // was killed between creating it and writing the pid, which takes microseconds.
    const stale = Number.isInteger(owner) ? !isAlive(owner) : Date.now() - (lstatOrUndefined(path)?.mtimeMs ?? 0) > 2_000;
    if (stale) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new OutputError(`${outDir} is being written by another qmp-hx run${Number.isInteger(owner) ? ` (pid ${owner})` : ""}; gave up after ${Math.round(timeoutMs / 1000)} s (remove ${join(outDir, lockName)} if no run is active)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The real path of a folder, or undefined when there is none. */
function realFolder(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Whether `path` (resolved) lies inside the folder `folder` (resolved). */
export async function isInsideFolder(path: string, folder: string): Promise<boolean> {
  const realPath = realFolder(path);
  const realDir = realFolder(folder);
  if (realPath === undefined || realDir === undefined) return false;
  return realPath.startsWith(realDir.endsWith(sep) ? realDir : realDir + sep);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function exists(path: string): boolean {
  return lstatOrUndefined(path) !== undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === "EISDIR") return undefined;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function emptyManifest(): Manifest {
  return { key: undefined, files: new Map() };
}

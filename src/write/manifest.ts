// The manifest of an output folder: what qmp-hx wrote there, proven by content (a sha256 per
// file), and the key of the run that wrote it (inputs, options, generator), so that an
// up-to-date folder is recognised without generating anything.
import { createHash } from "node:crypto";

export const manifestName = ".qmp-hx-manifest";

export interface Manifest {
  /** Hash of the inputs, the options and the generator of the run that wrote the folder. */
  readonly key: string | undefined;
  /**
   * The files the run read (input, older files, QAPI schema and its includes), in the order read:
   * their texts alone give the key again, so an up-to-date check need not parse to find includes.
   */
  readonly inputs?: readonly string[];
  /** Relative path (with `/`) -> sha256 of the bytes qmp-hx wrote there. */
  readonly files: ReadonlyMap<string, string>;
  /** Paths named by a manifest of qmp-hx before 0.2 (no hashes): named, never proven. */
  readonly unproven?: ReadonlySet<string>;
}

export function sha256(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

export function manifestText(manifest: Manifest): string {
  const files = Object.fromEntries([...manifest.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify({ qmpHxManifest: 1, key: manifest.key ?? null, ...(manifest.inputs === undefined ? {} : { inputs: manifest.inputs }), files }, null, 2) + "\n";
}

/**
 * Reads a manifest's text. Anything unexpected (hand edits, the one-path-per-line format of
 * qmp-hx before 0.2) gives no hashes: no file is then proven to be qmp-hx's, so none is
 * overwritten or removed unless its bytes are already what qmp-hx would write.
 */
export function parseManifest(text: string | undefined): Manifest {
  const empty: Manifest = { key: undefined, files: new Map() };
  if (text === undefined) return empty;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ...empty, unproven: new Set(text.split("\n").filter(isOutputPath)) };
  }
  if (data === null || typeof data !== "object" || (data as { qmpHxManifest?: unknown }).qmpHxManifest !== 1) return empty;
  const { key, inputs, files } = data as { key?: unknown; inputs?: unknown; files?: unknown };
  const entries = new Map<string, string>();
  if (files !== null && typeof files === "object") {
    for (const [path, hash] of Object.entries(files)) {
      if (typeof hash === "string" && /^[0-9a-f]{64}$/.test(hash) && isOutputPath(path)) entries.set(path, hash);
    }
  }
  const inputList = Array.isArray(inputs) && inputs.every((path) => typeof path === "string") ? (inputs as string[]) : undefined;
  return { key: typeof key === "string" ? key : undefined, ...(inputList === undefined ? {} : { inputs: inputList }), files: entries };
}

/** A relative path below the folder, `/`-separated, with no `.`, `..` or empty segment. */
export function isOutputPath(path: string): boolean {
  return path !== "" && !path.includes("\\") && !path.includes("\0") && path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

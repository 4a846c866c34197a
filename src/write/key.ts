// The generation key: one hash of everything a generated folder's bytes depend on (the input
// files, the options, and the generator itself: its version, its pinned dependencies and its
// code). A folder whose manifest carries the same key needs no generating to be checked.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256 } from "./manifest.js";

/** dist/src of this installation, and the package.json above it. */
const codeRoot = fileURLToPath(new URL("../", import.meta.url));
const packageJson = fileURLToPath(new URL("../../../package.json", import.meta.url));

let generatorHash: string | undefined;

/**
 * The generator: package.json (version, exact dependency pins) and every module of dist/src.
 * Read synchronously: a hundred small files cost a thread-pool round trip each when awaited,
 * and `generate --check` pays for this on every CI run.
 */
function generatorFingerprint(): string {
  generatorHash ??= sha256(
    [packageJson, ...readdirSync(codeRoot, { recursive: true, encoding: "utf8" }).filter((path) => path.endsWith(".js")).sort().map((path) => join(codeRoot, path))]
      .map((path) => `${path.slice(codeRoot.length)}\0${sha256(readFileSync(path))}`)
      .join("\n"),
  );
  return generatorHash;
}

/**
 * The key of a run: `inputs` are every file the output is generated from (each front end that
 * reads another file must list it here), `options` everything else that changes the output.
 */
export function generationKey(inputs: readonly { readonly path: string; readonly text: string }[], options: unknown): string {
  const inputHashes = inputs.map(({ path, text }) => [path, sha256(text)]);
  return sha256(stableJson({ generator: generatorFingerprint(), inputs: inputHashes, options }));
}

/** JSON with sorted keys; Maps and Sets as sorted entries. Functions and undefined are left out. */
function stableJson(value: unknown): string {
  if (value instanceof Map) return stableJson([...value].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)));
  if (value instanceof Set) return stableJson([...value].sort());
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined && typeof item !== "function")
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

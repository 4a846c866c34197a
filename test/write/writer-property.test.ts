// Property test of the writer (issue 10): random sequences of generate runs, user files,
// symbolic links, manifest edits and interrupted runs never delete or change a file qmp-hx did
// not write (inside the folder or outside it), a run that fails changes nothing, and every
// completed run leaves exactly the generated files (type-checked once, below).
import assert from "node:assert/strict";
import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { generateFiles, manifestName, OutputError, parseSchema, writeOutput, type GeneratedFile } from "../../src/index.js";
import { sha256 } from "../../src/write/manifest.js";
import { writerTestHooks } from "../../src/write/writer.js";
import { fixturePath, typeCheck, withTempDir } from "../helpers.js";
import { listTree } from "./tree.js";

type Action =
  | { readonly kind: "generate"; readonly variant: number }
  | { readonly kind: "interrupted-generate"; readonly variant: number; readonly moves: number }
  | { readonly kind: "user-file"; readonly path: string; readonly content: string }
  | { readonly kind: "symlink"; readonly path: string; readonly toOutside: boolean }
  | { readonly kind: "manifest-edit"; readonly edit: "forge-through-link" | "forge-outside" | "forge-wrong-hash" | "drop-entry" | "garbage" };

/** Paths the user and links may take: generated ones, folders, and paths of their own. */
const userPaths = ["client.ts", "index.ts", "docs", "docs/index.md", "docs/blockdev-backup.md", "docs/other-backup.md", "docs/mine.md", "notes.txt", "link"];

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("generate" as const), variant: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("interrupted-generate" as const), variant: fc.integer({ min: 0, max: 1 }), moves: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("user-file" as const), path: fc.constantFrom(...userPaths), content: fc.string({ maxLength: 12 }).map((text) => `user: ${text}\n`) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("symlink" as const), path: fc.constantFrom(...userPaths), toOutside: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("manifest-edit" as const), edit: fc.constantFrom("forge-through-link" as const, "forge-outside" as const, "forge-wrong-hash" as const, "drop-entry" as const, "garbage" as const) }),
  },
);

async function fixtureVariants(): Promise<GeneratedFile[][]> {
  const fixture = await readFile(fixturePath, "utf8");
  const two = fixture + fixture.replaceAll("blockdev-backup", "other-backup").split("\n").slice(3).join("\n");
  return Promise.all([fixture, two].map(async (text) => generateFiles(parseSchema(text, { file: "qmp-commands.hx" }).schema)));
}

describe("the writer, under random runs, user files, links, manifest edits and interruptions", () => {
  it("never touches what qmp-hx did not write; completed runs leave exactly the generated files (60 sequences)", { timeout: 300_000 }, async () => {
    const variants = await fixtureVariants();
    await withTempDir(async (dir) => {
      // Every completed run leaves one of these file sets: they type-check.
      const roots = await Promise.all(
        variants.map(async (variant, index) => {
          for (const file of variant) {
            await mkdir(dirname(join(dir, "typed", String(index), file.path)), { recursive: true });
            await writeFile(join(dir, "typed", String(index), file.path), file.content);
          }
          return join(dir, "typed", String(index), "index.ts");
        }),
      );
      assert.deepEqual(typeCheck(roots), []);

      let sequence = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 10 }), async (actions) => {
          const base = join(dir, `run-${sequence++}`);
          const out = join(base, "out");
          const outside = join(base, "outside");
          await mkdir(outside, { recursive: true });
          await writeFile(join(outside, "secret.txt"), "secret\n");
          await mkdir(out);
          const outsideBefore = await listTree(outside);
          /** What the user put in the folder: path -> content (links as "-> target"). */
          const userOwned = new Map<string, string>();
          try {
            for (const step of actions) {
              await perform(step, out, outside, variants, userOwned);
              assert.deepEqual(await listTree(outside), outsideBefore, "outside the folder nothing changes");
              const tree = await listTree(out);
              for (const [path, content] of userOwned) assert.equal(tree[path], content, `${path} (the user's) is untouched after ${step.kind}`);
            }
          } finally {
            writerTestHooks.afterMove = undefined;
            await rm(base, { recursive: true, force: true });
          }
        }),
        { numRuns: 60, seed: 1010 },
      );
    });
  });
});

async function perform(step: Action, out: string, outside: string, variants: readonly GeneratedFile[][], userOwned: Map<string, string>): Promise<void> {
  switch (step.kind) {
    case "generate":
    case "interrupted-generate": {
      const files = variants[step.variant] ?? [];
      const before = await listTree(out);
      if (step.kind === "interrupted-generate") {
        let moves = step.moves;
        writerTestHooks.afterMove = () => {
          if (moves-- === 0) throw new Error("simulated crash");
        };
      }
      try {
        await writeOutput(out, files);
      } catch (error) {
        if (error instanceof OutputError) {
          // Refused: the folder is exactly as it was (a crashed earlier run may have been finished).
          const after = await listTree(out);
          if (!Object.keys(before).some((path) => path.startsWith(".qmp-hx-staging/"))) assert.deepEqual(after, before, error.message);
          return;
        }
        if (error instanceof Error && error.message === "simulated crash") return;
        throw error;
      } finally {
        writerTestHooks.afterMove = undefined;
      }
      const tree = await listTree(out);
      for (const file of files) assert.equal(tree[file.path], file.content, `${file.path} after a completed run`);
      assert.ok(!Object.keys(tree).some((path) => path.startsWith(".qmp-hx-staging") || path === ".qmp-hx-lock"), "no leftovers");
      return;
    }
    case "user-file": {
      try {
        await mkdir(dirname(join(out, step.path)), { recursive: true });
        await writeFile(join(out, step.path), step.content);
      } catch {
        return; // a folder or a link is in the way: the user could not do that either
      }
      forgetBelow(userOwned, step.path);
      userOwned.set(step.path, step.content);
      return;
    }
    case "symlink": {
      const target = step.toOutside ? (step.path.endsWith(".md") || step.path.endsWith(".ts") ? join(outside, "secret.txt") : outside) : ".";
      try {
        await mkdir(dirname(join(out, step.path)), { recursive: true });
        await symlink(target, join(out, step.path));
      } catch {
        return;
      }
      forgetBelow(userOwned, step.path);
      userOwned.set(step.path, `-> ${target}`);
      return;
    }
    case "manifest-edit": {
      const path = join(out, manifestName);
      const text = await readFile(path, "utf8").catch(() => undefined);
      if (text === undefined) return;
      if (step.edit === "garbage") return writeFile(path, "not a manifest\n../outside/secret.txt\n");
      let manifest: { files?: Record<string, string> };
      try {
        manifest = JSON.parse(text) as { files?: Record<string, string> };
      } catch {
        return;
      }
      const entries = manifest.files ?? {};
      if (step.edit === "forge-through-link") entries["link/secret.txt"] = sha256("secret\n");
      if (step.edit === "forge-outside") entries["../outside/secret.txt"] = sha256("secret\n");
      if (step.edit === "forge-wrong-hash") for (const path of userOwned.keys()) entries[path] = sha256("something else");
      if (step.edit === "drop-entry") delete entries[Object.keys(entries)[0] ?? ""];
      return writeFile(path, JSON.stringify({ ...manifest, files: entries }));
    }
  }
}

/** A user file replaced by another (or by a link at a folder's place) is no longer tracked. */
function forgetBelow(userOwned: Map<string, string>, path: string): void {
  for (const owned of [...userOwned.keys()]) if (owned === path || owned.startsWith(`${path}/`)) userOwned.delete(owned);
}

// Shared by the tests: where the repo is, running the CLI, temporary folders.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import GithubSlugger from "github-slugger";
import ts from "typescript";
import { HxError } from "../src/frontend/source.js";

/** Tests run from dist/test/...: the repo is above dist/. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const fixturePath = join(repoRoot, "test", "fixtures", "blockdev-backup.hx");
/** The fixture's companion QAPI fragment: blockdev-backup's definitions from the same QEMU commit. */
export const fixtureQapiPath = join(repoRoot, "test", "fixtures", "blockdev-backup.qapi.json");
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

/**
 * tsc --strict (plus noUncheckedIndexedAccess, noUnused*, exactOptionalPropertyTypes) over root files, as a user's project would
 * check generated code: `qmp-hx-runtime` resolves to the built declarations.
 * `overrides` supplies in-memory files by absolute path. Returns the diagnostics as text.
 */
export function typeCheck(rootFiles: readonly string[], overrides: ReadonlyMap<string, string> = new Map()): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    exactOptionalPropertyTypes: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2023.d.ts"],
    types: ["node"],
    typeRoots: [join(repoRoot, "node_modules", "@types")],
    paths: {
      "qmp-hx-runtime": [join(repoRoot, "dist", "src", "runtime", "index.d.ts")],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (path) => overrides.get(path) ?? readFile(path);
  host.fileExists = (path) => overrides.has(path) || fileExists(path);
  const program = ts.createProgram([...rootFiles], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const position = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    const where = diagnostic.file ? `${diagnostic.file.fileName.replace(repoRoot + "/", "")}:${(position?.line ?? 0) + 1}: ` : "";
    return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  });
}

/** Where a TypeScript text uses the `any` type (comments and strings do not count). */
export function anyTypeUses(fileName: string, text: string): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const uses: string[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) uses.push(`${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return uses;
}

/** The HxError `run` throws (bad input); any other outcome fails the test. */
export async function hxErrorOf(run: () => unknown): Promise<HxError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof HxError) return error;
    throw error;
  }
  throw new Error("expected an HxError");
}

/**
 * The relative links of generated Markdown pages that lead nowhere: to a file the output lacks,
 * or to an anchor no heading of that file has (anchors as github-slugger, GitHub's rule, makes
 * them from the headings' text, in order). External links are not followed.
 */
export function brokenDocLinks(files: readonly { readonly path: string; readonly content: string }[]): string[] {
  const pages = new Map(files.filter((file) => file.path.endsWith(".md")).map((file) => [file.path, file.content]));
  const anchors = new Map<string, Set<string>>();
  const anchorsOf = (path: string, content: string): Set<string> => {
    let found = anchors.get(path);
    if (found === undefined) {
      const slugger = new GithubSlugger();
      found = new Set(headings(content).map((heading) => slugger.slug(heading)));
      anchors.set(path, found);
    }
    return found;
  };
  const broken: string[] = [];
  for (const [path, content] of pages) {
    for (const [, target = ""] of withoutCode(content).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [file = "", fragment] = decodeURI(target).split("#");
      const resolved = file === "" ? path : posix.join(posix.dirname(path), file);
      const targetContent = pages.get(resolved) ?? files.find((other) => other.path === resolved)?.content;
      if (targetContent === undefined) broken.push(`${path}: ${target}: no such file`);
      else if (fragment !== undefined && !anchorsOf(resolved, targetContent).has(fragment)) broken.push(`${path}: ${target}: no such anchor`);
    }
  }
  return broken;
}

/** The text of a page's ATX headings, as rendered (backslash escapes and code-span backticks gone). */
function headings(content: string): string[] {
  return [...withoutCode(content).matchAll(/^#{1,6} (.*)$/gm)].map(([, heading = ""]) => heading.replace(/\\(.)/g, "$1").replace(/`/g, ""));
}

/** The page without its fenced code blocks (links and headings there are text). */
function withoutCode(content: string): string {
  return content.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
}

/**
 * The `ts` blocks of the docs' Usage sections as modules beside the generated client: its
 * import made relative, a connected `qmp` where the snippet assumes one, its constants exported
 * (so that an unused one is no error).
 */
export function usageSnippets(files: readonly { readonly path: string; readonly content: string }[]): string[] {
  return files.flatMap((file) => {
    const usage = file.path.endsWith(".md") ? file.content.split("\n## Usage\n")[1] : undefined;
    const code = usage === undefined ? undefined : /```ts\n([\s\S]*?)\n```/.exec(usage)?.[1];
    if (code === undefined) return [];
    const constants = [...code.matchAll(/^const (\w+)/gm)].map((match) => match[1]);
    const qmp = constants.includes("qmp") ? "" : 'import type { QmpClient } from "qmp-hx-runtime";\ndeclare const qmp: QmpClient;\n';
    return [`${qmp}${code.replace('from "./generated/index.js"', 'from "../index.js"')}\nexport { ${constants.join(", ")} };\n`];
  });
}

/** Writes each usage snippet as `OUT/snippets/N.mts` beside the generated client; returns their paths. */
export async function writeUsageSnippets(out: string, files: readonly { readonly path: string; readonly content: string }[]): Promise<string[]> {
  await mkdir(join(out, "snippets"), { recursive: true });
  return Promise.all(
    usageSnippets(files).map(async (snippet, index) => {
      const path = join(out, "snippets", `${index}.mts`);
      await writeFile(path, snippet);
      return path;
    }),
  );
}

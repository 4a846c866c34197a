// npm run check:consumer: what a downstream project gets. Packs qmp-hx and qmp-hx-runtime,
// installs them into a fresh project in a temporary folder (qmp-hx as a devDependency,
// qmp-hx-runtime as a dependency; packages from the npm registry or its cache), generates
// bindings there, type-checks the README's example against them, and fails when a production
// install (`npm ls --omit=dev`) holds ts-morph, prettier or typescript. Run after `npm run build`;
// reads QEMU 2.7.0's file from the corpus (../shared/corpus or $QMP_HX_CORPUS).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(join(tmpdir(), "qmp-hx-consumer-"));
const npm = (args, cwd) => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });

try {
  // Already built: pack without running prepack again.
  const packed = (cwd) => JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], cwd))[0].filename;
  const generator = join(work, packed(root));
  const runtime = join(work, packed(join(root, "src", "runtime")));
  const project = join(work, "project");
  mkdirSync(join(project, "src"), { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }, null, 2));
  const install = ["install", "--prefer-offline", "--no-audit", "--no-fund"];
  npm([...install, runtime], project);
  npm([...install, "--save-dev", generator, "typescript@5.9.3", "@types/node@20.19.43"], project);

  // The example calls blockdev-backup and query-status: QEMU 2.7.0's file from the corpus.
  const corpus = join(process.env.QMP_HX_CORPUS ?? join(root, "..", "shared", "corpus"), "hx", "33-2.7.0-qemu_qemu-1dc33ed90b.hx");
  execFileSync(join(project, "node_modules", ".bin", "qmp-hx"), ["generate", corpus, "--out", "src/qmp"], { cwd: project, stdio: "inherit" });
  // The README's example, as a user copies it into src/main.ts.
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const example = /### Example[^\n]*\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!example) throw new Error("README.md: no ```ts block under '### Example'");
  writeFileSync(join(project, "src", "main.ts"), example);
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2023", "ESNext.Disposable"], types: ["node"], noEmit: true, skipLibCheck: false }, include: ["src"] }, null, 2),
  );
  execFileSync(join(project, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: project, stdio: "inherit" });

  const production = npm(["ls", "--omit=dev", "--all", "--parseable"], project);
  const heavy = production.split("\n").filter((line) => /node_modules\/(ts-morph|prettier|typescript|@ts-morph)(\/|$)/.test(line));
  const runtimeDependencies = Object.keys(JSON.parse(readFileSync(join(root, "src", "runtime", "package.json"), "utf8")).dependencies ?? {});
  console.log(`production install of the consumer:\n${production.trim()}`);
  if (heavy.length > 0 || runtimeDependencies.length > 0) {
    console.error(`FAIL: a production install holds ${[...heavy, ...runtimeDependencies].join(", ")}`);
    process.exitCode = 1;
  } else {
    console.log("OK: the generated code needs qmp-hx-runtime alone (no dependencies); the README example type-checks");
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

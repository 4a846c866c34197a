// ts-morph's structure printer, for a module the direct printer (src/emit/typescript-printer.ts)
// does not handle and for the tests' reference text; generation never loads it otherwise.
// Loaded with require rather than import: the ESM wrapper of a CommonJS package costs a third
// more. ts-morph loads TypeScript (9 MB of JavaScript) whatever it is asked to do; it and
// ts-morph's own two bundles are compiled from a V8 code cache (src/emit/code-cache.ts) when one
// is at hand. The emitters take the structure kinds from src/emit/structures.ts instead.
import { createRequire } from "node:module";
import type * as TsMorph from "ts-morph";
import { codeCacheDirFor, loadWithCodeCache } from "./code-cache.js";

const require = createRequire(import.meta.url);
const entry = require.resolve("ts-morph");
const common = createRequire(entry).resolve("@ts-morph/common");
const cacheDir = codeCacheDirFor(entry);
// Each file before the file that requires it.
if (cacheDir !== undefined) loadWithCodeCache([createRequire(common).resolve("./typescript"), common, entry], cacheDir);
const tsMorph = require("ts-morph") as typeof TsMorph;

export const { printStructure } = tsMorph;

// The runtime is the workspace package qmp-hx-runtime (src/runtime): `npm install` links it
// into node_modules, so that code generated in this repo imports it as a user's project does.
// A checkout whose node_modules predates the workspace gets the same link here.
import { existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const link = join(root, "node_modules", "qmp-hx-runtime");
const exists = (() => {
  try {
    lstatSync(link);
    return true;
  } catch {
    return false;
  }
})();
if (!exists && existsSync(join(root, "node_modules"))) {
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(join("..", "src", "runtime"), link, "dir");
}

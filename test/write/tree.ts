// A folder's files as { relative path: content } (links as "-> target"), for before/after checks.
import { lstat, readFile, readdir, readlink } from "node:fs/promises";
import { join, relative } from "node:path";

export async function listTree(root: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const status = await lstat(path);
    const name = relative(root, path).split("\\").join("/");
    if (status.isSymbolicLink()) tree[name] = `-> ${await readlink(path)}`;
    else if (status.isFile()) tree[name] = await readFile(path, "utf8");
  }
  return Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : 1)));
}

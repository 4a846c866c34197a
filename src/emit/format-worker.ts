// Worker thread of startFormatter: formats each batch it is sent and posts it back.
import { parentPort } from "node:worker_threads";
import { formatFiles, type TextFile } from "./format.js";

parentPort?.on("message", ({ id, files }: { id: number; files: TextFile[] }) => {
  formatFiles(files).then(
    (formatted) => parentPort?.postMessage({ id, files: formatted }),
    (error: unknown) => parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});

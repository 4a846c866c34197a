// Worker thread of typeScriptFiles: emits and formats the TypeScript files from a structured
// clone of the schema and posts them back.
import { parentPort, workerData } from "node:worker_threads";
import type { Schema } from "../model/types.js";
import { emitTypeScript, type WorkerMessage } from "./typescript-files.js";

const { schema, runtimeImport, qemuVersion } = workerData as { schema: Schema; runtimeImport: string; qemuVersion: string | undefined };
let message: WorkerMessage;
try {
  message = { kind: "files", files: await emitTypeScript(schema, runtimeImport, qemuVersion) };
} catch (error) {
  message = { kind: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
parentPort?.postMessage(message);

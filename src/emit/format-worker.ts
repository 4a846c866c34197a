// Worker thread of formatMarkdownConcurrently: formats the pages it is given and posts them back.
import { parentPort, workerData } from "node:worker_threads";
import { formatMarkdown, type TextFile } from "./format.js";

parentPort?.postMessage(await formatMarkdown(workerData as TextFile[]));

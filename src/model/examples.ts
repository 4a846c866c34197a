// The client requests in a doc's examples (`-> { "execute": ..., "arguments": ... }`): which
// command a doc is about, the arguments usage snippets show, what lint checks.
import type { CommandDoc, ExampleMessage, JsonValue } from "./types.js";

export type JsonObject = { readonly [key: string]: JsonValue };

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface ExampleRequest {
  readonly execute: string;
  /** The `arguments` member as written (undefined when absent). */
  readonly arguments: JsonValue | undefined;
  readonly message: ExampleMessage;
}

/** The `->` messages that are JSON objects with a string `execute`, in doc order. */
export function exampleRequests(doc: CommandDoc): ExampleRequest[] {
  const requests: ExampleRequest[] = [];
  for (const example of doc.examples) {
    for (const part of example.parts) {
      if (part.kind !== "message" || part.message.direction !== "->" || !isJsonObject(part.message.json)) continue;
      const execute = part.message.json["execute"];
      if (typeof execute === "string") requests.push({ execute, arguments: part.message.json["arguments"], message: part.message });
    }
  }
  return requests;
}

/** The command the doc's first example request executes. */
export function executedCommand(doc: CommandDoc): string | undefined {
  return exampleRequests(doc)[0]?.execute;
}

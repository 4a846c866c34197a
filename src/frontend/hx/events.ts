// The events document of a QEMU release (qmp-events.txt) -> Schema events: each event's doc
// (description, Data items, examples, notes) and the type of its `data` member, read from the
// Data section like a Returns section, else from the example events.
import type { CommandDoc, DataType, Event, TypedValue } from "../../model/types.js";
import { SourceText } from "../source.js";
import { buildDoc, splitDocuments } from "./doc.js";
import { collectNamedValueLists, inferType, membersOf, mergeTypes, type NamedValueLists } from "./doc-types.js";
import { parseEventsFile } from "./parse.js";
import { isJsonObject } from "../../model/examples.js";

/** An event name as the documents title them: `BLOCK_JOB_COMPLETED`. */
const eventName = /^[A-Z][A-Z0-9_]*$/;

/** Parses an events document. Throws HxError on text the grammar cannot read. */
export function parseEvents(text: string, file: string): Event[] {
  const source = new SourceText(file, text.startsWith("\ufeff") ? text.slice(1) : text);
  const tree = parseEventsFile(source);
  // The centred heading above the first event is not an event; neither is a stray paragraph.
  const docs = splitDocuments(tree.lines)
    .map((lines) => buildDoc(source, lines, lines[0]?.offset ?? 0, false))
    .filter((doc) => eventName.test(doc.title) && !doc.placeholder);
  const named = collectNamedValueLists(docs);
  const events: Event[] = [];
  for (const doc of docs) {
    if (events.some((event) => event.name === doc.title)) continue;
    events.push({ name: doc.title, location: doc.location, doc, data: eventData(doc, named) });
  }
  return events;
}

/**
 * `Data: None.` is the empty object (the runtime hands out `{}`), Data items an object of them;
 * without a Data section, the example events' `data`, merged.
 */
function eventData(doc: CommandDoc, named: NamedValueLists): TypedValue | undefined {
  const data = doc.arguments;
  if (data?.none) return { type: { kind: "object", members: [], open: false }, origin: "docs", location: data.location };
  const members = data ? membersOf(data.items, named) : [];
  if (data && members.length > 0) {
    const open = data.items.some((item) => item.name === undefined && item.type !== undefined);
    return { type: { kind: "object", members, open }, origin: "docs", location: data.location };
  }
  return dataFromExamples(doc);
}

function dataFromExamples(doc: CommandDoc): TypedValue | undefined {
  let type: DataType | undefined;
  let location: TypedValue["location"] | undefined;
  for (const example of doc.examples) {
    for (const part of example.parts) {
      if (part.kind !== "message" || !isJsonObject(part.message.json) || part.message.json["event"] !== doc.title) continue;
      const value = part.message.json["data"] ?? {};
      const inferred = inferType(value, part.message.location, true);
      type = type === undefined ? inferred : mergeTypes(type, inferred);
      location ??= part.message.location;
    }
  }
  return type === undefined || location === undefined ? undefined : { type, origin: "example", location };
}

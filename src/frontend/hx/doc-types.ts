// DataTypes read from SQMP doc text: a Returns section's member lists (nested items, arrays of
// objects, value lists), an argument's documented values or structure, and, where the Returns
// section gives no shape, the shape of the example replies. Types from the docs are as good as
// the docs: a member list is taken as complete, a value list ("Possible values: ...", "one of
// ...", "possibilities include ...") as the whole set of values.
import type { CommandDoc, DataType, DocItem, DocSection, JsonValue, Member, Paragraph, SourceLocation, TypedValue } from "../../model/types.js";
import { isJsonObject } from "../../model/examples.js";

/** Values documented for a QAPI type name anywhere in the file (`(MirrorSyncMode)`), merged. */
export type NamedValueLists = ReadonlyMap<string, readonly string[]>;

const emptyObject: DataType = { kind: "object", members: [], open: false };
const unknownType: DataType = { kind: "unknown" };

/**
 * Collects the value lists of items annotated with a type name, over every doc: blockdev-backup
 * lists three MirrorSyncMode values where drive-backup lists four, and both take all four.
 */
export function collectNamedValueLists(docs: readonly CommandDoc[]): NamedValueLists {
  const lists = new Map<string, string[]>();
  const visit = (item: DocItem): void => {
    const name = item.type !== undefined && qapiTypeName.test(item.type) ? item.type : undefined;
    const values = name === undefined ? undefined : valueList(item);
    if (name !== undefined && values !== undefined) {
      const known = lists.get(name) ?? [];
      for (const value of values) if (!known.includes(value)) known.push(value);
      lists.set(name, known);
    }
    item.children.forEach(visit);
  };
  for (const doc of docs) {
    for (const paragraph of [...doc.description, ...(doc.arguments?.paragraphs ?? []), ...(doc.returns?.paragraphs ?? [])]) {
      if (paragraph.kind === "list") paragraph.items.forEach(visit);
    }
  }
  return lists;
}

/** A QAPI type name in an annotation: `BlockdevOnError`, `NewImageMode`. */
const qapiTypeName = /^[A-Z][A-Za-z0-9]*$/;

/** The type a doc item describes, or undefined when its text says nothing about one. */
export function docItemType(item: DocItem, named: NamedValueLists): DataType | undefined {
  const annotation = item.type ?? inlineAnnotation(item.text);
  // A type name's values merged over the file include this item's own.
  const values = (annotation !== undefined ? named.get(annotation) : undefined) ?? valueList(item);
  const base = annotation === undefined ? shapeFromText(item, named) : typeOfAnnotation(annotation, item, named);
  if (values !== undefined && values.length > 0 && (base === undefined || base.kind === "string" || base.kind === "unknown")) {
    return { kind: "enum", values };
  }
  return base;
}

/** `json-int`, `array of json-object`, `[BlockDeviceInfo]`, `BlockdevOnError` ... */
function typeOfAnnotation(annotation: string, item: DocItem, named: NamedValueLists): DataType | undefined {
  const word = annotation.toLowerCase();
  const list = /^(?:array|list) of (.+)$/.exec(annotation) ?? /^\[(.+)\]$/.exec(annotation);
  if (list?.[1] !== undefined) return { kind: "array", element: typeOfAnnotation(list[1].trim(), item, named) ?? unknownType };
  switch (word) {
    case "json-string":
    case "json-str":
    case "string":
      return { kind: "string" };
    case "json-int":
    case "int":
    case "integer":
      // The docs do not say how wide: the runtime gives a bigint beyond 2^53.
      return { kind: "integer", int64: true };
    case "json-number":
    case "json-double":
    case "json-float":
    case "number":
      return { kind: "number" };
    case "json-bool":
    case "bool":
    case "boolean":
      return { kind: "boolean" };
    case "json-object":
    case "json-dict":
    case "json-objects":
    case "dict":
      return objectOf(item, named) ?? { kind: "object", members: [], open: true };
    case "json-array":
    case "json-list":
      return { kind: "array", element: arrayElement(item, named) };
  }
  // A QAPI type name: its values (collected by docItemType's caller) or nothing known.
  return qapiTypeName.test(annotation) ? unknownType : undefined;
}

/** `(json-int)` written inside the text rather than at its end: `number of pages (json-int) These are ...`. */
function inlineAnnotation(text: string): string | undefined {
  return /\((json-[a-z]+)\b[^()]*\)/.exec(text)?.[1];
}

/** An item without annotation: "a json-object containing", "a json-array of json-objects", nested items. */
function shapeFromText(item: DocItem, named: NamedValueLists): DataType | undefined {
  const text = item.text;
  if (/\b(json-array|array|list)\b/i.test(text) && !/^it is a json-object\b/i.test(text)) {
    if (/\bjson-array\b|\b(?:list|array) of\b/i.test(text)) return { kind: "array", element: arrayElement(item, named) };
  }
  if (/\bjson-object\b|\bdictionary\b/i.test(text) || namedChildren(item).length > 0) {
    return objectOf(item, named) ?? { kind: "object", members: [], open: true };
  }
  return undefined;
}

/** The element of a documented array: objects when it has member items, strings or ints when the text says so. */
function arrayElement(item: DocItem, named: NamedValueLists): DataType {
  const object = objectOf(item, named);
  if (object) return object;
  if (/\bjson-objects?\b|\bdictionar(?:y|ies)\b/i.test(item.text)) return { kind: "object", members: [], open: true };
  if (/\b(json-)?strings?\b|\bmacaddr string\b/i.test(item.text)) return { kind: "string" };
  if (/\bjson-int\b|\bintegers?\b|\bvlan id\b/i.test(item.text)) return { kind: "integer", int64: true };
  return unknownType;
}

function namedChildren(item: DocItem): readonly DocItem[] {
  return item.children.filter((child) => child.name !== undefined);
}

/** An object of the item's named children; open when an unnamed child documents a key too (a key named by the architecture). */
function objectOf(item: DocItem, named: NamedValueLists): DataType | undefined {
  const children = namedChildren(item);
  if (children.length === 0) return undefined;
  const open = item.children.some((child) => child.name === undefined && child.type !== undefined);
  const members = membersOf(children, named);
  return casesUnion(children, members, named) ?? { kind: "object", members, open };
}

/**
 * transaction's actions: `type` lists the operations and `data` documents its members per
 * `When "type" is "x":`. That is a union on `type`: one variant per documented case, and one
 * for the remaining values whose `data` the docs leave open.
 */
function casesUnion(items: readonly DocItem[], members: readonly Member[], named: NamedValueLists): DataType | undefined {
  const selected = items.find((item) => item.cases !== undefined && item.cases.length > 0);
  const cases = selected?.cases;
  const discriminator = cases?.[0]?.discriminator;
  const tag = members.find((member) => member.name === discriminator);
  if (!selected?.name || !cases || !tag || tag.type.kind !== "enum" || cases.some((entry) => entry.discriminator !== discriminator)) return undefined;
  const others = members.filter((member) => member.name !== tag.name && member.name !== selected.name);
  const variant = (values: readonly string[], payload: DataType): DataType => ({
    kind: "object",
    open: false,
    members: [
      { ...tag, type: { kind: "enum", values } },
      ...others,
      ...members.filter((member) => member.name === selected.name).map((member) => ({ ...member, type: payload })),
    ],
  });
  const documented = cases.filter((entry) => tag.type.kind === "enum" && tag.type.values.includes(entry.value));
  const variants = documented.map((entry) => variant([entry.value], { kind: "object", members: membersOf(entry.items, named), open: false }));
  const rest = tag.type.values.filter((value) => !documented.some((entry) => entry.value === value));
  if (rest.length > 0) variants.push(variant(rest, { kind: "object", members: [], open: true }));
  return { kind: "union", variants };
}

export function membersOf(items: readonly DocItem[], named: NamedValueLists): Member[] {
  const members: Member[] = [];
  for (const item of items) {
    if (item.name === undefined || members.some((member) => member.name === item.name)) continue;
    members.push({
      name: item.name,
      type: docItemType(item, named) ?? unknownType,
      optional: item.optional || presentOnlySometimes.test(item.text),
      description: item.text,
      location: item.location,
    });
  }
  return members;
}

/** Reply members the text says may be absent. */
const presentOnlySometimes = /\b(only present|not present|if present|present only|optional(?:ly)?|only (?:shown|returned|available) (?:if|when))\b/i;

/**
 * A documented list of values: `Possible values: "a", "b"`, `(one of 'x', 'y')`, `one of the
 * following values: "debug" - ..., "inmigrate" - ...`, `possibilities include "full" for ...`.
 * Double-quoted words are the values when there are any (single quotes then mark prose).
 */
export function valueList(item: DocItem): string[] | undefined {
  const texts = [item.text, ...item.children.filter((child) => child.name === undefined).map((child) => child.text)];
  for (const text of texts) {
    const opener = /\b(?:possible values?|one of(?: the following(?: values)?)?|possibilities include|valid values are|can be one of)\b\s*:?/i.exec(text);
    if (!opener) continue;
    const after = text.slice(opener.index + opener[0].length);
    const double = [...after.matchAll(/"([^"\s]+)"/g)].map((match) => match[1] ?? "");
    const single = [...after.matchAll(/'([^'\s]+)'/g)].map((match) => match[1] ?? "");
    const values = [...new Set(double.length > 0 ? double : single)].filter((value) => value !== "");
    if (values.length > 0) return values;
  }
  return undefined;
}

/**
 * A command's result from its Returns section: "Nothing on success" is the empty object; a
 * member list is an object, or an array of such objects when the text says the value is an
 * array ("Each json-object contains", "the returned value is a json-array"). Undefined when
 * the section gives no shape.
 */
export function resultFromReturns(returns: DocSection, named: NamedValueLists): TypedValue | undefined {
  const firstList = returns.paragraphs.findIndex((paragraph) => paragraph.kind === "list");
  const texts = returns.paragraphs.slice(0, firstList === -1 ? undefined : firstList).filter(isText).map((paragraph) => paragraph.text.replace(/\s+/g, " "));
  const typed = (type: DataType, location: SourceLocation): TypedValue => ({ type, origin: "docs", location });
  if (firstList === -1) {
    const [first = ""] = texts;
    if (/^(nothing|returns? nothing|an empty (json-)?object)\b/i.test(first)) return typed(emptyObject, returns.location);
    const scalar = /^(?:returns?:? )?(?:an? |the )?(json-(?:int|string|str|bool|number|double))\b/i.exec(first)?.[1];
    const type = scalar === undefined ? undefined : typeOfAnnotation(scalar, { name: undefined, quoted: false, text: first, type: scalar, optional: false, annotationRest: [], children: [], location: returns.location }, named);
    return type === undefined ? undefined : typed(type, returns.location);
  }
  const lists = returns.paragraphs.filter((paragraph): paragraph is Extract<Paragraph, { kind: "list" }> => paragraph.kind === "list");
  const [mainList] = lists;
  if (!mainList) return undefined;
  const members = linkLaterLists(membersOf(mainList.items, named), returns.paragraphs, firstList, named);
  if (members.length === 0) return undefined;
  const open = mainList.items.some((item) => item.name === undefined && item.type !== undefined);
  const object: DataType = { kind: "object", members, open };
  return typed(returnsArray(texts) ? { kind: "array", element: object } : object, returns.location);
}

function isText(paragraph: Paragraph): paragraph is Extract<Paragraph, { kind: "text" }> {
  return paragraph.kind === "text";
}

/** Whether the text before the member list says the reply is an array of such objects. */
function returnsArray(texts: readonly string[]): boolean {
  const last = texts.at(-1) ?? "";
  if (/^(each|every)\b|\barray entry\b/i.test(last)) return true;
  const [first = ""] = texts;
  if (/^returns? an? json-object\b|^the main json-object\b/i.test(first) || /^the main json-object\b/i.test(last)) return false;
  return texts.some((text) => /\bjson-array\b|^returns? an? (list|array)\b|\breturned value is an? (list|array)\b/i.test(text));
}

/**
 * query-vnc, query-spice, query-pci: a member `clients` documented as "a json-array of all
 * connected clients", and a later list introduced by "Clients are described by a json-object":
 * the later list is the element. Matched by the member's name in the introduction.
 */
function linkLaterLists(members: Member[], paragraphs: readonly Paragraph[], firstList: number, named: NamedValueLists): Member[] {
  const later: { intro: string; items: readonly DocItem[] }[] = [];
  for (let index = firstList + 1; index < paragraphs.length; index++) {
    const paragraph = paragraphs[index];
    const previous = paragraphs[index - 1];
    if (paragraph?.kind === "list" && previous?.kind === "text") later.push({ intro: previous.text.replace(/\s+/g, " "), items: paragraph.items });
  }
  if (later.length === 0) return members;
  const link = (member: Member, depth: number): Member => {
    const type = member.type;
    const stem = member.name.replace(/[-_]/g, " ").replace(/e?s$/, "").toLowerCase();
    const match = stem.length > 2 ? later.find((list) => new RegExp(`\\b${escapeRegExp(stem)}`, "i").test(list.intro)) : undefined;
    const element = match ? ({ kind: "object", members: membersOf(match.items, named), open: false } as const) : undefined;
    if (type.kind === "array" && type.element.kind === "object" && type.element.members.length === 0 && element) return { ...member, type: { kind: "array", element } };
    if (type.kind === "array" && type.element.kind === "unknown" && element) return { ...member, type: { kind: "array", element } };
    if (type.kind === "object" && depth < 4) return { ...member, type: { ...type, members: type.members.map((inner) => link(inner, depth + 1)) } };
    return member;
  };
  return members.map((member) => link(member, 0));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The shape of the `return` of the doc's example replies to `command` (a reply counts when the
 * request before it in its example executes the command, or there is none). Several replies
 * are merged: a member missing from one of them is optional. Objects stay open: an example
 * shows the keys one reply had, not all there are.
 */
export function resultFromExamples(doc: CommandDoc, command: string): TypedValue | undefined {
  let type: DataType | undefined;
  let location: SourceLocation | undefined;
  for (const example of doc.examples) {
    let executing: string | undefined;
    for (const part of example.parts) {
      if (part.kind !== "message" || !isJsonObject(part.message.json)) continue;
      const json = part.message.json;
      if (part.message.direction === "->") {
        executing = typeof json["execute"] === "string" ? json["execute"] : undefined;
        continue;
      }
      if (!Object.hasOwn(json, "return") || (executing !== undefined && executing !== command)) continue;
      const value = json["return"];
      if (value === undefined) continue;
      const inferred = inferType(value, part.message.location, true);
      type = type === undefined ? inferred : mergeTypes(type, inferred);
      location ??= part.message.location;
    }
  }
  return type === undefined || location === undefined ? undefined : { type, origin: "example", location };
}

/** The type of one JSON value seen at `location`; `top`: a top-level `{}` is the closed empty reply. */
export function inferType(value: JsonValue, location: SourceLocation, top = false): DataType {
  if (value === null) return { kind: "null" };
  if (typeof value === "boolean") return { kind: "boolean" };
  if (typeof value === "number") return Number.isInteger(value) ? { kind: "integer", int64: true } : { kind: "number" };
  if (typeof value === "string") return { kind: "string" };
  if (Array.isArray(value)) {
    const elements = value.map((element) => inferType(element, location));
    const [first, ...rest] = elements;
    return { kind: "array", element: first === undefined ? unknownType : rest.reduce(mergeTypes, first) };
  }
  if (!isJsonObject(value)) return unknownType;
  const entries = Object.entries(value);
  if (entries.length === 0) return top ? emptyObject : { kind: "object", members: [], open: true };
  return {
    kind: "object",
    members: entries.map(([name, member]) => ({ name, type: inferType(member, location), optional: false, description: "", location })),
    open: true,
  };
}

/** Two observed types of one value: objects merge member-wise, an integer and a fraction make a number (`number | bigint`), others make unknown. */
export function mergeTypes(a: DataType, b: DataType): DataType {
  if (a.kind === "object" && b.kind === "object") {
    if (!a.open && a.members.length === 0 && b.members.length > 0) return { ...b, members: b.members.map((member) => ({ ...member, optional: true })) };
    if (!b.open && b.members.length === 0 && a.members.length > 0) return { ...a, members: a.members.map((member) => ({ ...member, optional: true })) };
    const members: Member[] = a.members.map((member) => {
      const other = b.members.find((candidate) => candidate.name === member.name);
      return other ? { ...member, type: mergeTypes(member.type, other.type), optional: member.optional || other.optional } : { ...member, optional: true };
    });
    for (const member of b.members) if (!a.members.some((candidate) => candidate.name === member.name)) members.push({ ...member, optional: true });
    return { kind: "object", members, open: a.open || b.open };
  }
  if (a.kind === "array" && b.kind === "array") {
    if (a.element.kind === "unknown") return b;
    if (b.element.kind === "unknown") return a;
    return { kind: "array", element: mergeTypes(a.element, b.element) };
  }
  if (a.kind === b.kind && a.kind !== "enum" && a.kind !== "union" && a.kind !== "named") return a;
  if ((a.kind === "integer" || a.kind === "number") && (b.kind === "integer" || b.kind === "number")) return { kind: "integer", int64: true };
  return unknownType;
}

/**
 * Members the doc's own example requests leave out are optional: the docs of nested items
 * rarely mark alternatives (transaction's `device` or `node-name`), and QEMU's example shows
 * the member can be omitted. `values` are the example values of the typed argument.
 */
export function relaxToExamples(type: DataType, values: readonly JsonValue[]): DataType {
  if (values.length === 0) return type;
  switch (type.kind) {
    case "array":
      return { kind: "array", element: relaxToExamples(type.element, values.flatMap((value) => (Array.isArray(value) ? value : []))) };
    case "union":
      return { kind: "union", variants: type.variants.map((variant) => relaxToExamples(variant, values.filter((value) => fitsTags(variant, value)))) };
    case "object": {
      const objects = values.filter(isJsonObject);
      if (objects.length === 0) return type;
      return {
        ...type,
        members: type.members.map((member) => {
          const present = objects.filter((object) => Object.hasOwn(object, member.name));
          const memberValues = present.map((object) => object[member.name]).filter((value): value is JsonValue => value !== undefined);
          return { ...member, optional: member.optional || present.length < objects.length, type: relaxToExamples(member.type, memberValues) };
        }),
      };
    }
    default:
      return type;
  }
}

/** Whether an example value has, for every enum member of the variant it sets, one of its values. */
function fitsTags(variant: DataType, value: JsonValue): boolean {
  if (variant.kind !== "object" || !isJsonObject(value)) return false;
  return variant.members.every((member) => {
    const given = value[member.name];
    return member.type.kind !== "enum" || given === undefined || (typeof given === "string" && member.type.values.includes(given));
  });
}

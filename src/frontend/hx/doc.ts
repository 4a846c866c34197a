// Assembles classified doc lines (from the grammar) into CommandDocs: title, description,
// Arguments, Returns, Examples, Notes. Works the same for SQMP blocks and for the doc-only
// docs/qmp-commands.txt, which is split into blocks at each title and its underline.
import type { DocItemNode, DocLineNode, DocMessageNode, DocTextNode } from "./parse-tree.js";
import type { SourceText } from "../source.js";
import type {
  CommandDoc,
  DocArguments,
  DocExample,
  DocItem,
  DocItemCase,
  DocSection,
  ExampleMessage,
  ExamplePart,
  JsonValue,
  Paragraph,
} from "../../model/types.js";

type ContentLine = Exclude<DocLineNode, { kind: "comment" }>;

/** A title written without an underline: a lone lower-case command name (no dot, no space). */
const bareTitle = /^[a-z][a-z0-9_-]*$/;

/**
 * Splits the lines of one SQMP block (or of a whole doc-only file) into the documents it
 * holds: a new document starts at each unindented title underlined on the next line, and in
 * a doc-only file (`bareTitles`) also at a lone command name between blank lines
 * (docs/qmp-commands.txt titles `dump` that way; in an .hx file its SQMP block starts it).
 */
export function splitDocuments(lines: readonly DocLineNode[], bareTitles = false): ContentLine[][] {
  const content = lines.filter((line): line is ContentLine => line.kind !== "comment");
  const documents: ContentLine[][] = [];
  let current: ContentLine[] = [];
  content.forEach((line, index) => {
    const next = content[index + 1];
    const previous = content[index - 1];
    const underlined = next?.kind === "rule" && next.indent === 0;
    const standsAlone = bareTitles && bareTitle.test(line.kind === "text" ? line.text : "") && previous?.kind === "blank" && next?.kind === "blank";
    const startsTitle = line.kind === "text" && line.indent === 0 && (underlined || standsAlone);
    if (startsTitle && current.some((earlier) => earlier.kind !== "blank")) {
      documents.push(current);
      current = [];
    }
    current.push(line);
  });
  if (current.some((line) => line.kind !== "blank") || documents.length === 0) documents.push(current);
  return documents;
}

export function buildDoc(source: SourceText, lines: readonly ContentLine[], blockOffset: number, unterminated: boolean): CommandDoc {
  return new DocAssembler(source, lines, blockOffset, unterminated).assemble();
}

type SectionName = "description" | "arguments" | "returns" | "examples" | "notes" | "since";

class DocAssembler {
  private index = 0;
  private readonly sections = new Map<Exclude<SectionName, "examples">, { offset: number; lines: ContentLine[] }>();
  private readonly examples: { qualifier: string; offset: number; lines: ContentLine[] }[] = [];
  private argumentsNone = false;

  constructor(
    private readonly source: SourceText,
    private readonly lines: readonly ContentLine[],
    private readonly blockOffset: number,
    private readonly unterminated: boolean,
  ) {}

  assemble(): CommandDoc {
    this.skipBlanks();
    const titleLine = this.lines[this.index];
    let title = "";
    let titleOffset = this.blockOffset;
    if (titleLine?.kind === "text") {
      title = titleLine.text;
      titleOffset = titleLine.offset;
      this.index++;
    }
    let underline: CommandDoc["underline"];
    const rule = this.lines[this.index];
    if (title !== "" && rule?.kind === "rule") {
      underline = { char: rule.char, length: rule.length, location: this.source.locate(rule.offset) };
      this.index++;
    }
    const hasBody = this.lines.slice(this.index).some((line) => line.kind !== "blank");
    this.distribute();

    const description = this.paragraphsOf("description");
    return {
      title,
      location: this.source.locate(titleOffset),
      underline,
      placeholder: !hasBody && underline === undefined,
      unterminated: this.unterminated,
      description: description ?? [],
      arguments: this.argumentsSection(),
      returns: this.section("returns"),
      examples: this.examples.map((example) => this.example(example)),
      notes: this.paragraphsOf("notes") ?? [],
      since: this.sinceText(),
    };
  }

  private skipBlanks(): void {
    while (this.lines[this.index]?.kind === "blank") this.index++;
  }

  /** Sends every remaining line to the section it belongs to. */
  private distribute(): void {
    let section = "description" as SectionName;
    let currentExample: { qualifier: string; offset: number; lines: ContentLine[] } | undefined;
    const open = (name: Exclude<SectionName, "examples">, offset: number): ContentLine[] => {
      section = name;
      let entry = this.sections.get(name);
      if (!entry) {
        entry = { offset, lines: [] };
        this.sections.set(name, entry);
      } else {
        entry.lines.push({ kind: "blank", offset });
      }
      return entry.lines;
    };
    const startExample = (qualifier: string, offset: number): void => {
      section = "examples";
      currentExample = { qualifier, offset, lines: [] };
      this.examples.push(currentExample);
    };
    let target: ContentLine[] = open("description", this.lines[this.index]?.offset ?? this.blockOffset);

    for (; this.index < this.lines.length; this.index++) {
      const line = this.lines[this.index];
      if (line === undefined) break;
      // `Since: 2.1` right below the title is one line: the description follows it (change-backing-file).
      if (section === "since" && line.kind === "blank" && this.sections.get("since")?.lines.some((earlier) => earlier.kind !== "blank")) {
        target = open("description", line.offset);
        continue;
      }
      // `Since 2.4` (no colon) opening the description is the version, not the summary.
      if (section === "description" && line.kind === "text" && line.indent === 0 && sinceLine.test(line.text)) {
        target = open("since", line.offset);
        target.push({ ...line, text: line.text.replace(/^Since:?\s*/i, "").replace(/\.$/, "") });
        continue;
      }
      if (line.kind === "heading") {
        const restLine: DocTextNode | undefined =
          line.rest === "" ? undefined : { kind: "text", indent: 0, text: line.rest, offset: line.offset };
        switch (line.name) {
          case "Arguments":
          case "Argument":
          case "Data":
            target = open("arguments", line.offset);
            if (/^none\.?$/i.test(line.rest)) this.argumentsNone = true;
            else if (restLine) target.push(restLine);
            continue;
          case "Returns":
            target = open("returns", line.offset);
            if (restLine) target.push(restLine);
            continue;
          case "Example":
          case "Examples":
            startExample(line.qualifier, line.offset);
            if (restLine && currentExample) currentExample.lines.push(restLine);
            continue;
          case "Since":
            target = open("since", line.offset);
            if (restLine) target.push(restLine);
            continue;
          default:
            target = open("notes", line.offset);
            if (restLine) target.push(restLine);
            continue;
        }
      }
      // "Return a json-object with ..." in the description starts the Returns section; so it
      // does after an Arguments list (add-fd: "Return a json-object with the following ...").
      if ((section === "description" || section === "arguments") && line.kind === "text" && line.indent === 0 && returnsOpener.test(line.text) && this.previousIsBlank()) {
        target = open("returns", line.offset);
      }
      // A message outside an Example section opens one, so that no message is lost.
      if (line.kind === "message" && section !== "examples") startExample("", line.offset);
      if (section === "examples" && currentExample) currentExample.lines.push(line);
      else target.push(line);
    }
  }

  private previousIsBlank(): boolean {
    const previous = this.lines[this.index - 1];
    return previous === undefined || previous.kind === "blank" || previous.kind === "rule";
  }

  private section(name: Exclude<SectionName, "examples">): DocSection | undefined {
    const entry = this.sections.get(name);
    if (!entry) return undefined;
    return { location: this.source.locate(entry.offset), paragraphs: this.paragraphs(entry.lines) };
  }

  private paragraphsOf(name: Exclude<SectionName, "examples">): readonly Paragraph[] | undefined {
    return this.section(name)?.paragraphs;
  }

  private argumentsSection(): DocArguments | undefined {
    const section = this.section("arguments");
    if (!section) return undefined;
    const items = section.paragraphs.flatMap((paragraph) => (paragraph.kind === "list" ? paragraph.items : []));
    return { ...section, none: this.argumentsNone && items.length === 0, items };
  }

  private sinceText(): string | undefined {
    const paragraphs = this.paragraphsOf("since");
    if (!paragraphs) return undefined;
    return paragraphs.map((paragraph) => (paragraph.kind === "text" ? paragraph.text : "")).join(" ").trim();
  }

  /** Groups lines into text paragraphs and lists; list items nest by indentation. */
  private paragraphs(lines: readonly ContentLine[]): Paragraph[] {
    const paragraphs: Paragraph[] = [];
    let text: DocTextNode[] = [];
    let list: ItemBuilder[] | undefined;
    let listOffset = 0;
    let stack: ItemBuilder[] = [];
    const flushText = (): void => {
      const first = text[0];
      if (first) paragraphs.push({ kind: "text", text: joinText(text), location: this.source.locate(first.offset) });
      text = [];
    };
    const flushList = (): void => {
      if (list) paragraphs.push({ kind: "list", items: list.flatMap((item) => this.items(item)), location: this.source.locate(listOffset) });
      list = undefined;
      stack = [];
    };
    for (const line of lines) {
      switch (line.kind) {
        case "blank":
          flushText();
          flushList();
          break;
        case "item": {
          // "actions array:" above indented items names the argument they describe.
          const header = text.length === 1 && !list && line.indent > 0 ? arrayHeader(text[0]) : undefined;
          if (header) text = [];
          flushText();
          if (header) {
            list = [header];
            listOffset = header.node.offset;
            stack = [header];
          }
          if (!list) {
            list = [];
            listOffset = line.offset;
          }
          const builder: ItemBuilder = { node: line, continuation: [], children: [] };
          while (stack.length > 0 && (stack.at(-1)?.node.indent ?? 0) >= line.indent) stack.pop();
          const parent = stack.at(-1);
          if (parent) parent.children.push(builder);
          else list.push(builder);
          stack.push(builder);
          break;
        }
        case "text":
        case "rule": {
          const textLine: DocTextNode =
            line.kind === "rule" ? { kind: "text", indent: line.indent, text: line.char.repeat(line.length), offset: line.offset } : line;
          const owner = stack.at(-1);
          if (owner && textLine.indent > 0) {
            // Continuation of the deepest item that starts left of this line.
            while (stack.length > 1 && (stack.at(-1)?.node.indent ?? 0) >= textLine.indent) stack.pop();
            stack.at(-1)?.continuation.push(textLine);
          } else {
            flushList();
            text.push(textLine);
          }
          break;
        }
        case "message":
        case "heading":
          // Messages live in examples and headings were consumed; keep their text if one strays here.
          flushList();
          text.push({ kind: "text", indent: 0, text: this.lineSource(line.offset), offset: line.offset });
          break;
      }
    }
    flushText();
    flushList();
    return paragraphs;
  }

  /** One item per name: `- "cyls", "heads", "secs": Disk geometry` documents three arguments. */
  private items(builder: ItemBuilder): DocItem[] {
    const fullText = [builder.node.text, ...builder.continuation.map((line) => line.text)].join(" ").replace(/\s+/g, " ").trim();
    const { names, quoted, rest } = splitItemNames(fullText);
    const annotation = splitAnnotation(rest);
    const children = builder.children.flatMap((child) => this.items(child));
    const cases = this.cases(builder);
    const location = this.source.locate(builder.node.offset);
    return names.map((name) => ({
      name,
      quoted,
      text: annotation.text,
      type: annotation.type,
      optional: annotation.optional,
      annotationRest: annotation.rest,
      children,
      ...(cases ? { cases } : {}),
      location,
    }));
  }

  /** Children under `When "type" is "x":` lines (in the item's text), grouped by those lines. */
  private cases(builder: ItemBuilder): DocItemCase[] | undefined {
    const markers = [builder.node, ...builder.continuation].flatMap((line) => {
      const match = /When "([^"]+)" is "([^"]+)":\s*$/.exec(line.text);
      return match?.[1] !== undefined && match[2] !== undefined ? [{ offset: line.offset, discriminator: match[1], value: match[2] }] : [];
    });
    const [first] = markers;
    if (!first || builder.children.some((child) => child.node.offset < first.offset)) return undefined;
    return markers.map((marker, index) => {
      const end = markers[index + 1]?.offset ?? Infinity;
      const items = builder.children.filter((child) => child.node.offset > marker.offset && child.node.offset < end).flatMap((child) => this.items(child));
      return { discriminator: marker.discriminator, value: marker.value, items };
    });
  }

  private example(example: { qualifier: string; offset: number; lines: ContentLine[] }): DocExample {
    const parts: ExamplePart[] = [];
    let text: DocTextNode[] = [];
    const flushText = (): void => {
      const first = text[0];
      if (first) parts.push({ kind: "text", text: joinText(text), location: this.source.locate(first.offset) });
      text = [];
    };
    for (const line of example.lines) {
      if (line.kind === "message") {
        flushText();
        parts.push({ kind: "message", message: this.message(line) });
      } else if (line.kind === "blank") {
        flushText();
      } else {
        text.push({ kind: "text", indent: 0, text: this.lineSource(line.offset), offset: line.offset });
      }
    }
    flushText();
    return { qualifier: example.qualifier, location: this.source.locate(example.offset), parts };
  }

  private message(line: DocMessageNode): ExampleMessage {
    // `->`/`<-` precede SQMP messages; an events document's example events are bare JSON.
    const prefix = line.bare ? 0 : 2;
    const body = this.source.text.slice(line.offset + prefix, line.textEnd).trimEnd();
    return {
      direction: line.direction,
      text: dedentContinuation(body.replace(/^[ \t]+/, ""), this.source.position(line.offset).column + prefix),
      json: line.raw ? undefined : (line.json as JsonValue),
      location: this.source.locate(line.offset),
    };
  }

  /** The rest of the line from `offset`, as written. */
  private lineSource(offset: number): string {
    const end = this.source.text.indexOf("\n", offset);
    return this.source.text.slice(offset, end === -1 ? undefined : end).trimEnd();
  }
}

/** `actions array:` / `keys array:` (transaction, send-key): an item for the named array. */
function arrayHeader(line: DocTextNode | undefined): ItemBuilder | undefined {
  const match = line && line.indent === 0 ? /^"?([A-Za-z_][A-Za-z0-9_.-]*)"? (array|list)\s*:$/.exec(line.text) : null;
  if (!line || !match?.[1]) return undefined;
  return { node: { kind: "item", indent: -1, text: `"${match[1]}": (json-array)`, offset: line.offset }, continuation: [], children: [] };
}

/** `Since 2.4` on a line of its own. */
const sinceLine = /^Since:?\s+v?\d+(\.\d+)+\.?$/i;

/**
 * A paragraph that starts describing the reply: "Return a json-object ...", and in query
 * commands without that sentence "Each json-object contains:", "Each device is represented by a
 * json-object, the returned value ...", "The returned value is ...".
 */
const returnsOpener = /^(Returns?\b|The returned value\b|Each\b.*\b(json-object|json-array|returned|array entry))/;

interface ItemBuilder {
  readonly node: DocItemNode;
  readonly continuation: DocTextNode[];
  readonly children: ItemBuilder[];
}

function joinText(lines: readonly DocTextNode[]): string {
  return lines.map((line) => line.text).join("\n");
}

/** Continuation lines of a multi-line message are indented past the message start: drop that. */
function dedentContinuation(text: string, column: number): string {
  const [first = "", ...rest] = text.split(/\r?\n/);
  const indents = rest.filter((line) => line.trim() !== "").map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const cut = Math.min(column, ...indents);
  return [first, ...rest.map((line) => line.slice(Math.min(cut, /^[ \t]*/.exec(line)?.[0].length ?? 0)).trimEnd())].join("\n");
}

/**
 * `"name": text`, `name: text`, `"a", "b": text` (several names, one text) or plain text (a
 * nested remark such as `Possible values: ...`, whose name is undefined).
 */
export function splitItemNames(text: string): { names: (string | undefined)[]; quoted: boolean; rest: string } {
  const quoted = /^("[^"]+"(?:\s*,\s*"[^"]+")*)\s*:\s*(.*)$/s.exec(text);
  if (quoted?.[1] !== undefined) return { names: [...quoted[1].matchAll(/"([^"]+)"/g)].map((match) => match[1]), quoted: true, rest: quoted[2] ?? "" };
  const bare = /^([A-Za-z0-9_][A-Za-z0-9_.+-]*)\s*:\s*(.*)$/s.exec(text);
  if (bare) return { names: [bare[1]], quoted: false, rest: bare[2] ?? "" };
  return { names: [undefined], quoted: false, rest: text };
}

const annotationWord = /^(optional|json-[a-z]+|[A-Z][A-Za-z0-9]*|(array|list) of .+|\[[A-Za-z0-9-]+\]|default\b.*|default:.*)$/;

/** `(Since 2.1)` written after the annotation: `(json-string, optional) (Since 2.1)`. */
const sinceSuffix = /\s*\((since\s[^()]*)\)\s*\.?$/i;

/**
 * `text (json-int, optional)` -> type json-int, optional. The annotation is the last
 * parenthesised group when every comma-separated word in it is an annotation word, or the
 * group before a trailing `(Since x.y)` (kept in `rest`); a leading `(optional)` is
 * recognised too. A default (`default 10M`) makes the argument optional: it can be omitted.
 */
export function splitAnnotation(text: string): { text: string; type: string | undefined; optional: boolean; rest: string[] } {
  let body = text.trim();
  let optional = false;
  const leading = /^\(optional\)\s*/i.exec(body);
  if (leading) {
    optional = true;
    body = body.slice(leading[0].length);
  }
  const since = sinceSuffix.exec(body);
  const annotated = since ? body.slice(0, since.index) : body;
  const trailing = /\(([^()]*)\)\s*\.?$/.exec(annotated);
  if (trailing) {
    const words = (trailing[1] ?? "").split(",").map((word) => word.trim()).filter((word) => word !== "");
    // A group with a JSON type or "optional" is an annotation even with a remark in it:
    // `(device tree path, json-string, optional)`.
    const marked = words.some((word) => word === "optional" || /^json-[a-z]+$/.test(word));
    if (words.length > 0 && (marked || words.every((word) => annotationWord.test(word)))) {
      let type: string | undefined;
      const rest: string[] = [];
      for (const word of words) {
        if (word === "optional") optional = true;
        else if (type === undefined && !word.startsWith("default") && annotationWord.test(word) && (!marked || /^(json-|array|list|\[)/.test(word) || /^[A-Z]/.test(word))) type = word;
        else rest.push(word);
        if (word.startsWith("default")) optional = true;
      }
      if (since?.[1] !== undefined) rest.push(since[1]);
      return { text: annotated.slice(0, trailing.index).trim(), type, optional, rest };
    }
  }
  return { text: body, type: undefined, optional, rest: [] };
}

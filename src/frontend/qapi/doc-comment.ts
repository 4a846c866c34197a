// The `##` doc comment above a QAPI definition -> its description and its members' texts.
// The layout is QEMU's of 1.1-2.8: a `@Name:` title line, paragraphs, `@member: text` items
// (continued on the following lines until a blank line), and sections such as `Returns:`,
// `Since:` and `Notes:`, which stay in the description.

export interface QapiDoc {
  /** Paragraphs other than the title and the member items, separated by blank lines. */
  readonly description: string;
  /** Per member (dotted for the members of an inline object: `qemu.major`), its text. */
  readonly members: ReadonlyMap<string, string>;
}

const memberItem = /^@([A-Za-z0-9_.-]+)\s*:\s?(.*)$/;
const section = /^(Returns|Since|Notes?|Example|Errors?|TODO)\b/;

/** `lines`: the comment texts between the block's `##` lines, `#` removed. */
export function parseDocComment(lines: readonly string[]): QapiDoc {
  const paragraphs: string[][] = [[]];
  const members = new Map<string, string[]>();
  let member: string[] | undefined;
  let titleSeen = false;
  for (const raw of lines) {
    const text = raw.trim();
    if (text === "") {
      member = undefined;
      if ((paragraphs.at(-1) ?? []).length > 0) paragraphs.push([]);
      continue;
    }
    // The first line names the definition: `@Name:`, `@Name`, `@name:` (a command).
    if (!titleSeen && member === undefined && paragraphs.length === 1 && (paragraphs[0] ?? []).length === 0 && /^@[A-Za-z0-9_.-]+:?$/.test(text)) {
      titleSeen = true;
      continue;
    }
    titleSeen = true;
    // Most lines are prose: only a line starting with `@` can be an item.
    const item = text.charCodeAt(0) === 0x40 ? memberItem.exec(text) : null;
    if (item?.[1] !== undefined) {
      member = [withoutOptionalMarker((item[2] ?? "").trim())];
      members.set(item[1], member);
      continue;
    }
    if (member !== undefined && !section.test(text)) {
      member.push(text);
      continue;
    }
    member = undefined;
    paragraphs.at(-1)?.push(text);
  }
  return {
    description: paragraphs
      .filter((paragraph) => paragraph.length > 0)
      .map((paragraph) => paragraph.join("\n"))
      .join("\n\n"),
    members: new Map([...members].map(([name, texts]) => [name, texts.filter((text) => text !== "").join("\n")])),
  };
}

/** `#optional` was QAPI's marker of an optional member in its doc text until 2.8. */
function withoutOptionalMarker(text: string): string {
  return text.replace(/^#optional\s*/, "");
}

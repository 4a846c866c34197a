// Prettier's Markdown form, written directly for the pages qmp-hx emits. Prettier changes
// only two things in them: it aligns table columns and it collapses runs of spaces in prose.
// `markdownInPrettierForm` does both for a page built from the blocks docs.ts writes (ATX
// headings, paragraphs, tight `-` lists, pipe tables, fenced code) and answers undefined for
// anything else, so that prettier, the formatter of record, formats that page instead. The
// tests hold it to prettier's output on every corpus page and on random hostile pages.

/** The page as prettier would print it, or undefined when the page is outside the proven subset. */
export function markdownInPrettierForm(page: string): string | undefined {
  if (!page.endsWith("\n") || page.endsWith("\n\n") || page.startsWith("\n")) return undefined;
  const lines = page.slice(0, -1).split("\n");
  const out: string[] = [];
  let previousBlock: BlockKind | undefined;
  for (let index = 0; index < lines.length; ) {
    if (previousBlock !== undefined) {
      // Blocks are separated by exactly one blank line.
      if (lines[index] !== "" || lines[index + 1] === "" || index + 1 >= lines.length) return undefined;
      out.push("");
      index++;
    }
    const start = index;
    const first = lines[index] ?? "";
    let kind: BlockKind;
    let block: string[] | undefined;
    const fence = /^(`{3,})[A-Za-z]*$/.exec(first);
    if (fence) {
      const close = lines.indexOf(fence[1] ?? "", index + 1);
      if (close < 0) return undefined;
      kind = "fence";
      block = codeBlock(lines.slice(index, close + 1));
      index = close + 1;
    } else {
      while (index < lines.length && lines[index] !== "") index++;
      const blockLines = lines.slice(start, index);
      if (/^#{1,6} /.test(first)) {
        kind = "heading";
        block = blockLines.length === 1 ? heading(first) : undefined;
      } else if (first.startsWith("|")) {
        kind = "table";
        block = table(blockLines);
      } else if (first.startsWith("- ")) {
        // Two lists one blank line apart are one list to a Markdown reader; prettier keeps the
        // blank line after the item before it (the tests cover lists in a row).
        kind = "list";
        block = list(blockLines);
      } else {
        kind = "paragraph";
        block = paragraph(blockLines);
      }
    }
    if (block === undefined) return undefined;
    // One by one: spreading a block of many lines (the index of a large file) as arguments overflows the stack.
    for (const line of block) out.push(line);
    previousBlock = kind;
  }
  return out.join("\n") + "\n";
}

type BlockKind = "fence" | "heading" | "table" | "list" | "paragraph";

/**
 * Code is printed as written, less trailing spaces and tabs (prettier's printer trims every
 * line). Left to prettier: an empty block, control characters other than tabs, and a line of
 * backticks that could close the fence early.
 */
function codeBlock(lines: readonly string[]): string[] | undefined {
  const marks = /^`+/.exec(lines[0] ?? "")?.[0] ?? "```";
  const closesEarly = new RegExp(`^ {0,3}${marks}`);
  const inner = lines.slice(1, -1);
  if (inner.length === 0 || !inner.every((line) => !hasControlCharacter(line.replace(/\t/g, " ")) && !closesEarly.test(line))) return undefined;
  // Prettier's fence is one backtick longer than the longest run inside, and at least three.
  const longestRun = Math.max(0, ...inner.flatMap((line) => (line.match(/`+/g) ?? []).map((run) => run.length)));
  if (marks.length !== Math.max(3, longestRun + 1)) return undefined;
  return [lines[0] ?? marks, ...inner.map((line) => line.replace(/[ \t]+$/, "")), marks];
}

function heading(line: string): string[] | undefined {
  const [, marks, content] = /^(#{1,6}) (.*)$/.exec(line) ?? [];
  if (marks === undefined || content === undefined) return undefined;
  const inline = inlineText(content);
  // A closing run of `#` belongs to the heading's syntax, not to its text.
  if (inline === undefined || inline === "" || /(^|\s)#+$/.test(inline)) return undefined;
  return [`${marks} ${inline}`];
}

function paragraph(lines: readonly string[]): string[] | undefined {
  const printed: string[] = [];
  for (const line of lines) {
    if (startsBlock(line)) return undefined;
    const inline = inlineText(line);
    if (inline === undefined || inline === "") return undefined;
    printed.push(inline);
  }
  return printed;
}

/** A tight list of `-` items, each on one line, nested two spaces per level. */
function list(lines: readonly string[]): string[] | undefined {
  const printed: string[] = [];
  let depth = -1;
  for (const line of lines) {
    const [, indent, content] = /^((?: {2})*)- (.*)$/.exec(line) ?? [];
    if (indent === undefined || content === undefined) return undefined;
    const itemDepth = indent.length / 2;
    if (itemDepth > depth + 1) return undefined;
    depth = itemDepth;
    if (startsBlock(content)) return undefined;
    const inline = inlineText(content);
    if (inline === undefined || inline === "") return undefined;
    printed.push(`${indent}- ${inline}`);
  }
  return printed;
}

/** A pipe table whose second row is `| --- | ... |` and whose rows all have the header's cells. */
function table(lines: readonly string[]): string[] | undefined {
  if (lines.length < 2) return undefined;
  const rows: string[][] = [];
  for (const line of lines) {
    const cells = tableCells(line);
    if (cells === undefined) return undefined;
    rows.push(cells);
  }
  const [header, delimiter, ...body] = rows;
  if (header === undefined || delimiter === undefined || delimiter.length !== header.length || !delimiter.every((cell) => cell === "---")) return undefined;
  // A header cell prettier might print otherwise; docs.ts names every column.
  if (header.some((cell) => cell === "")) return undefined;
  const printedRows: string[][] = [];
  for (const row of [header, ...body]) {
    if (row.length !== header.length) return undefined;
    const printed: string[] = [];
    for (const cell of row) {
      const inline = cell === "" ? "" : inlineText(cell);
      if (inline === undefined) return undefined;
      printed.push(inline);
    }
    printedRows.push(printed);
  }
  const widths: number[] = header.map(() => 3);
  const cellWidths: number[][] = [];
  for (const row of printedRows) {
    const rowWidths: number[] = [];
    for (const [column, cell] of row.entries()) {
      const width = stringWidth(cell);
      if (width === undefined) return undefined;
      rowWidths.push(width);
      widths[column] = Math.max(widths[column] ?? 3, width);
    }
    cellWidths.push(rowWidths);
  }
  const format = (row: readonly string[], rowWidths: readonly number[]): string =>
    `| ${row.map((cell, column) => cell + " ".repeat((widths[column] ?? 0) - (rowWidths[column] ?? 0))).join(" | ")} |`;
  const [printedHeader, ...printedBody] = printedRows;
  const [headerWidths, ...bodyWidths] = cellWidths;
  if (printedHeader === undefined || headerWidths === undefined) return undefined;
  return [
    format(printedHeader, headerWidths),
    `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`,
    ...printedBody.map((row, index) => format(row, bodyWidths[index] ?? [])),
  ];
}

/** The cells of `| a | b |`, split at pipes no backslash escapes, trimmed. */
function tableCells(line: string): string[] | undefined {
  if (!line.startsWith("| ") || !line.endsWith(" |") || line.length < 4) return undefined;
  const cells: string[] = [];
  let cell = "";
  for (let index = 1; index < line.length; index++) {
    const char = line[index] ?? "";
    if (char === "\\") {
      cell += char + (line[index + 1] ?? "");
      index++;
    } else if (char === "|") {
      cells.push(cell.trim());
      cell = "";
    } else cell += char;
  }
  return cell === "" ? cells : undefined;
}

/**
 * A line that a Markdown reader would take for the start of another block, or for the
 * underline of a setext heading, if it stood where prose stands.
 */
function startsBlock(line: string): boolean {
  return /^(\s|#{1,6}(\s|$)|[-+*](\s|$)|\d{1,9}[.)](\s|$)|>|<|`{3}|~{3}|\|)/.test(line) || /^(=+|-+|[-*_ ]{3,}) *$/.test(line) || /^\[[^\]]*\]:/.test(line);
}

/**
 * One line of inline Markdown as prettier prints it with proseWrap "preserve": runs of spaces
 * outside code spans become one. What docs.ts writes is plain text with every markup character
 * escaped, code spans and links to pages; undefined for anything else (emphasis, HTML,
 * entities, autolinks, math, other whitespace or control characters, a code span that begins
 * or ends with a space, a trailing backslash), whose printing the tests do not cover.
 */
function inlineText(line: string, inLink = false): string | undefined {
  if (hasControlCharacter(line) || /[\t\v\f\u0085\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(line)) return undefined;
  if (/^ | $|:\/\/|www\.|[A-Za-z0-9._+-]@[A-Za-z0-9]|\$|\{[{%]/.test(line)) return undefined;
  // A list-marker-like word right before a code span or link: prettier escapes or joins it.
  if (/^([-+*=#>~]+|\d+[.)]?)[`[]/.test(line)) return undefined;
  let printed = "";
  for (let index = 0; index < line.length; ) {
    const char = line[index] ?? "";
    if (char === "\\") {
      const next = line[index + 1] ?? "";
      if (!/^[!-/:-@[-`{-~0-9]$/.test(next)) return undefined;
      printed += char + next;
      index += 2;
    } else if (char === "`") {
      const run = /^`+/.exec(line.slice(index))?.[0] ?? "`";
      const close = closingRun(line, index + run.length, run.length);
      if (close < 0) return undefined;
      const code = line.slice(index + run.length, close);
      // Prettier prints a code span with the fewest backticks its content allows.
      if (code === "" || /^[ `]|[ `]$/.test(code) || run.length !== fewestBackticks(code)) return undefined;
      printed += run + code + run;
      index = close + run.length;
    } else if (char === " ") {
      while (line[index] === " ") index++;
      // A no-break space beside a space: whether prettier keeps both is not proven here.
      if (line[index] === "\u00a0" || printed.endsWith("\u00a0")) return undefined;
      printed += " ";
    } else if (char === "[" && !inLink) {
      // A page, a page's heading (`types/block-core.md#blockdevonerror`) or a heading of this page.
      const link = /^\[((?:[^\\\[\]]|\\.)+)\]\(([A-Za-z0-9_.\/-]+(?:#[A-Za-z0-9_-]+)?|#[A-Za-z0-9_-]+)\)/.exec(line.slice(index));
      const text = link?.[1] === undefined ? undefined : inlineText(link[1], true);
      if (link === null || text === undefined) return undefined;
      printed += `[${text}](${link[2] ?? ""})`;
      index += link[0].length;
    } else if ("*<[]~|".includes(char) || (char === "_" && !(/[A-Za-z0-9]/.test(line[index - 1] ?? "") && /[A-Za-z0-9]/.test(line[index + 1] ?? "")))) {
      return undefined;
    } else if ((char === "&" && /^&#?[A-Za-z0-9]+;/.test(line.slice(index))) || (char === "!" && line[index + 1] === "[")) {
      return undefined;
    } else {
      // A run of characters that need no look is copied at once.
      plainRun.lastIndex = index + 1;
      plainRun.test(line);
      printed += line.slice(index, plainRun.lastIndex);
      index = plainRun.lastIndex;
    }
  }
  return printed;
}

/** Characters inlineText prints as they stand whatever their neighbours (not `\\`, `` ` ``, space, `[`, `*<]~|`, `_`, `&`, `!`). */
const plainRun = /[^\\` [*<\]~|_&!]*/y;

/** The shortest backtick run that does not occur in `code`. */
function fewestBackticks(code: string): number {
  const runs = new Set((code.match(/`+/g) ?? []).map((run) => run.length));
  let length = 1;
  while (runs.has(length)) length++;
  return length;
}

/** Where a backtick run of exactly `length` starts at or after `from`, or -1. */
function closingRun(line: string, from: number, length: number): number {
  for (let index = from; index < line.length; ) {
    if (line[index] !== "`") {
      index++;
      continue;
    }
    let end = index;
    while (line[end] === "`") end++;
    if (end - index === length) return index;
    index = end;
  }
  return -1;
}

function hasControlCharacter(text: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f]/.test(text);
}

/**
 * The width prettier gives a table cell (its getStringWidth): one column per character for
 * ASCII and the Latin blocks, none for combining accents. Undefined for anything else (wide
 * East Asian characters, emoji, other scripts), which is then left to prettier.
 */
export function stringWidth(text: string): number | undefined {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f) width++;
    else if (code >= 0x300 && code <= 0x36f) continue;
    // © and ® are emoji to prettier's width rules.
    else if (code >= 0xa0 && code <= 0x2ff && code !== 0xa9 && code !== 0xae) width++;
    else return undefined;
  }
  return width;
}

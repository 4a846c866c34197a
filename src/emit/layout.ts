// Line fitting as prettier does it: a small document language (strings, groups, indentation,
// line breaks, ifBreak, conditional groups) and a printer that follows the algorithm of
// prettier's printDocToString (src/document/printer.js in prettier 3): a group is printed flat
// when its contents, and what follows them up to the next possible line break, fit in the
// print width; a group that holds a hard line or a broken group is broken. The TypeScript
// printer (src/emit/typescript-printer.ts) and the emitters' code layout build these documents
// in the shapes prettier's estree printer builds for the same code, so that the text is
// prettier's without parsing and reprinting it; the tests hold prettier's output as the judge.

export type Doc = string | readonly Doc[] | Group | Indent | Align | Line | IfBreak | IndentIfBreak | BreakParent;

interface Group {
  readonly kind: "group";
  readonly contents: Doc;
  readonly broken: boolean;
  /** A conditional group's alternatives, most flat first (prettier's conditionalGroup). */
  readonly expandedStates?: readonly Doc[];
  /** Names the group for indentIfBreak. */
  readonly id?: symbol;
}
interface IndentIfBreak {
  readonly kind: "indentIfBreak";
  readonly contents: Doc;
  readonly groupId: symbol;
}
interface BreakParent {
  readonly kind: "breakParent";
}
interface Indent {
  readonly kind: "indent";
  readonly contents: Doc;
}
interface Align {
  readonly kind: "align";
  readonly width: number;
  readonly contents: Doc;
}
interface Line {
  readonly kind: "line";
  readonly soft: boolean;
  readonly hard: boolean;
  /** Keeps the spaces before it (prettier's literalline, here indented as a hardline). */
  readonly keepsTrailingSpaces?: boolean;
}
interface IfBreak {
  readonly kind: "ifBreak";
  readonly breakContents: Doc;
  readonly flatContents: Doc;
}

export const line: Line = { kind: "line", soft: false, hard: false };
export const softline: Line = { kind: "line", soft: true, hard: false };
export const hardline: Line = { kind: "line", soft: false, hard: true };
export const hardlineKeepingTrailingSpaces: Line = { kind: "line", soft: false, hard: true, keepsTrailingSpaces: true };

/** A group breaks when asked to or when it holds a hard line or a broken group (prettier's propagateBreaks). */
export function group(contents: Doc, shouldBreak = false, id?: symbol): Group {
  return { kind: "group", contents, broken: shouldBreak || holdsBreak(contents), ...(id === undefined ? {} : { id }) };
}

/** Indented when the group named `groupId` was broken (prettier's indentIfBreak). */
export function indentIfBreak(contents: Doc, groupId: symbol): IndentIfBreak {
  return { kind: "indentIfBreak", contents, groupId };
}

/** Breaks every group around it (prettier's breakParent). */
export const breakParent: BreakParent = { kind: "breakParent" };

/**
 * Prettier's conditionalGroup: the first state if it fits flat, else the first of the middle
 * states that fits, else the last one broken. A break inside does not break it (nor, through
 * it, its parents), as in prettier.
 */
export function conditionalGroup(states: readonly Doc[], shouldBreak = false): Group {
  const [first = ""] = states;
  return { kind: "group", contents: first, broken: shouldBreak, expandedStates: states };
}

export function indent(contents: Doc): Indent {
  return { kind: "indent", contents };
}

export function align(width: number, contents: Doc): Align {
  return { kind: "align", width, contents };
}

export function ifBreak(breakContents: Doc, flatContents: Doc = ""): IfBreak {
  return { kind: "ifBreak", breakContents, flatContents };
}

export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  const joined: Doc[] = [];
  docs.forEach((doc, index) => {
    if (index > 0) joined.push(separator);
    joined.push(doc);
  });
  return joined;
}

function holdsBreak(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (isDocArray(doc)) return doc.some(holdsBreak);
  switch (doc.kind) {
    case "group":
      // prettier propagates a conditional group's own break too; its states are not looked into here
      // because every state of the conditional groups built here holds the same hard lines.
      return doc.broken || (doc.expandedStates !== undefined && doc.expandedStates.some(holdsBreak));
    case "indent":
    case "align":
    case "indentIfBreak":
      return holdsBreak(doc.contents);
    case "breakParent":
      return true;
    case "line":
      return doc.hard;
    case "ifBreak":
      return holdsBreak(doc.breakContents) || holdsBreak(doc.flatContents);
  }
}

function isDocArray(doc: Doc): doc is readonly Doc[] {
  return Array.isArray(doc);
}

/** Display width of text as prettier measures it (getStringWidth: east-asian wide characters count 2). */
export type StringWidth = (text: string) => number;

let wideTextWidth: StringWidth | undefined;

/**
 * Loads prettier's getStringWidth for text outside ASCII (prettier's standalone build, a small
 * module). Emitting code whose width is measured calls this first when its text is not ASCII.
 */
export async function loadWideTextWidth(): Promise<void> {
  if (wideTextWidth !== undefined) return;
  // The standalone build exports prettier's util at run time; its type declarations omit it.
  const prettier = (await import("prettier/standalone")) as unknown as { util: { getStringWidth: StringWidth } };
  wideTextWidth = prettier.util.getStringWidth;
}

/** Whether measuring `text` needs loadWideTextWidth first. */
export function needsWideTextWidth(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u007f]/.test(text);
}

export class WideTextWidthNotLoaded extends Error {}

export function stringWidth(text: string): number {
  if (!needsWideTextWidth(text)) return text.length;
  if (wideTextWidth === undefined) throw new WideTextWidthNotLoaded(`measuring ${JSON.stringify(text.slice(0, 40))} needs loadWideTextWidth()`);
  return wideTextWidth(text);
}

const printWidth = 100;

const enum Mode {
  Break,
  Flat,
}

interface Command {
  readonly indentation: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

/**
 * Prints `doc` as prettier's printDocToString would with printWidth 100 and two-space
 * indentation, starting at column `startColumn` with indentation `startIndentation`.
 */
export function printDoc(doc: Doc, startIndentation = 0, startColumn = startIndentation): string {
  const out: string[] = [];
  let position = startColumn;
  let shouldRemeasure = false;
  const commands: Command[] = [{ indentation: startIndentation, mode: Mode.Break, doc }];
  const groupModes = new Map<symbol, Mode>();
  function chooseGroupLayout(current: Group, indentation: number, mode: Mode): Command {
    if (mode === Mode.Flat && !shouldRemeasure) return { indentation, mode: current.broken ? Mode.Break : Mode.Flat, doc: current.contents };
    shouldRemeasure = false;
    const remaining = printWidth - position;
    const flat: Command = { indentation, mode: Mode.Flat, doc: current.contents };
    if (!current.broken && fits(flat, commands, remaining)) return flat;
    const states = current.expandedStates;
    if (states === undefined) return { indentation, mode: Mode.Break, doc: current.contents };
    if (!current.broken) {
      for (let index = 1; index < states.length - 1; index++) {
        const state: Command = { indentation, mode: Mode.Flat, doc: states[index] as Doc };
        if (fits(state, commands, remaining)) return state;
      }
    }
    return { indentation, mode: Mode.Break, doc: states.at(-1) as Doc };
  }
  while (commands.length > 0) {
    const { indentation, mode, doc: current } = commands.pop() as Command;
    if (typeof current === "string") {
      if (current !== "") {
        out.push(current);
        position += stringWidth(current);
      }
      continue;
    }
    if (isDocArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) commands.push({ indentation, mode, doc: current[index] as Doc });
      continue;
    }
    switch (current.kind) {
      case "indent":
        commands.push({ indentation: indentation + 2, mode, doc: current.contents });
        break;
      case "align":
        commands.push({ indentation: indentation + current.width, mode, doc: current.contents });
        break;
      case "indentIfBreak":
        commands.push({ indentation: groupModes.get(current.groupId) === Mode.Break ? indentation + 2 : indentation, mode, doc: current.contents });
        break;
      case "breakParent":
        break;
      case "group": {
        const chosen = chooseGroupLayout(current, indentation, mode);
        commands.push(chosen);
        if (current.id !== undefined) groupModes.set(current.id, chosen.mode);
        break;
      }
      case "ifBreak": {
        const contents = mode === Mode.Break ? current.breakContents : current.flatContents;
        if (contents !== "") commands.push({ indentation, mode, doc: contents });
        break;
      }
      case "line":
        if (mode === Mode.Flat && !current.hard) {
          if (!current.soft) {
            out.push(" ");
            position += 1;
          }
          break;
        }
        if (mode === Mode.Flat) shouldRemeasure = true;
        if (current.keepsTrailingSpaces !== true) trimTrailingSpaces(out);
        out.push("\n" + " ".repeat(indentation));
        position = indentation;
        break;
    }
  }
  return out.join("");
}

function trimTrailingSpaces(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1] as string;
    const trimmed = last.replace(/[ \t]+$/, "");
    if (trimmed !== "") {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}

/** prettier's fits: does `next`, then the rest up to the first line break, fit in `width`? */
function fits(next: Command, rest: readonly Command[], width: number): boolean {
  let remaining = width;
  let restIndex = rest.length;
  let pendingSpace = false;
  const commands: { mode: Mode; doc: Doc }[] = [next];
  while (remaining >= 0) {
    const command = commands.pop();
    if (command === undefined) {
      if (restIndex === 0) return true;
      commands.push(rest[--restIndex] as Command);
      continue;
    }
    const { mode, doc } = command;
    if (typeof doc === "string") {
      if (doc !== "") {
        if (pendingSpace) {
          remaining -= 1;
          pendingSpace = false;
        }
        remaining -= stringWidth(doc);
      }
      continue;
    }
    if (isDocArray(doc)) {
      for (let index = doc.length - 1; index >= 0; index--) commands.push({ mode, doc: doc[index] as Doc });
      continue;
    }
    switch (doc.kind) {
      case "indent":
      case "align":
      case "indentIfBreak":
        commands.push({ mode, doc: doc.contents });
        break;
      case "breakParent":
        break;
      case "group": {
        const groupMode = doc.broken ? Mode.Break : mode;
        const contents = doc.expandedStates !== undefined && groupMode === Mode.Break ? (doc.expandedStates.at(-1) as Doc) : doc.contents;
        commands.push({ mode: groupMode, doc: contents });
        break;
      }
      case "ifBreak": {
        const contents = mode === Mode.Break ? doc.breakContents : doc.flatContents;
        if (contents !== "") commands.push({ mode, doc: contents });
        break;
      }
      case "line":
        if (mode === Mode.Break || doc.hard) return true;
        if (!doc.soft) pendingSpace = true;
        break;
    }
  }
  return false;
}

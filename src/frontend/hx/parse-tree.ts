// Shapes of what grammar/hx.peggy returns. Offsets are absolute UTF-16 offsets into the
// parsed text; src/frontend/source.ts turns them into line:column.

export interface HxFileNode {
  readonly kind: "file";
  readonly items: readonly TopItemNode[];
}

export type TopItemNode = CommentNode | DirectiveNode | DocBlockNode | EntryNode;

export interface CommentNode {
  readonly kind: "comment";
  readonly text: string;
  readonly offset: number;
}

/** A `#name argument` preprocessor line. */
export interface DirectiveNode {
  readonly kind: "directive";
  readonly name: string;
  readonly argument: string;
  readonly offset: number;
  readonly argumentOffset: number;
}

/** An SQMP ... EQMP block; `end` is null when the file ends before EQMP. */
export interface DocBlockNode {
  readonly kind: "doc";
  readonly offset: number;
  readonly lines: readonly DocLineNode[];
  readonly end: number | null;
}

export interface DocOnlyFileNode {
  readonly kind: "docfile";
  readonly lines: readonly DocLineNode[];
}

/** qmp-events.txt: doc lines; `Data:` is a heading and example events are messages. */
export interface EventsFileNode {
  readonly kind: "eventsfile";
  readonly lines: readonly DocLineNode[];
}

export type DocLineNode =
  | CommentNode
  | DocBlankNode
  | DocRuleNode
  | DocHeadingNode
  | DocMessageNode
  | DocItemNode
  | DocTextNode;

export interface DocBlankNode {
  readonly kind: "blank";
  readonly offset: number;
}

/** A line of `-` or `=` only: a title underline. */
export interface DocRuleNode {
  readonly kind: "rule";
  readonly char: string;
  readonly length: number;
  readonly indent: number;
  readonly offset: number;
}

/** `Arguments:`, `Example (1):`, `Notes:` ... at column 1; `rest` is the text after the colon. */
export interface DocHeadingNode {
  readonly kind: "heading";
  readonly name: string;
  readonly qualifier: string;
  readonly rest: string;
  readonly offset: number;
}

/** An example message; `json` is undefined when the text is not valid JSON. */
export interface DocMessageNode {
  readonly kind: "message";
  readonly direction: "->" | "<-";
  readonly indent: number;
  readonly offset: number;
  readonly json: unknown;
  /** Offset just past the JSON value (or past the lines of a raw message). */
  readonly textEnd: number;
  readonly raw?: true;
  /** Written without `->`/`<-` (an events document's example event). */
  readonly bare?: true;
  readonly trailing: string;
}

/** `- text` at some indentation (an argument, a returned member, a nested remark). */
export interface DocItemNode {
  readonly kind: "item";
  readonly indent: number;
  readonly text: string;
  readonly offset: number;
}

export interface DocTextNode {
  readonly kind: "text";
  readonly indent: number;
  readonly text: string;
  readonly offset: number;
}

/** `{ .field = value, ... },`; `offset` is the `{`, `end` the `}`. */
export interface EntryNode {
  readonly kind: "entry";
  readonly offset: number;
  readonly fields: readonly FieldNode[];
  readonly end: number;
}

export interface FieldNode {
  readonly kind: "field";
  /** `name`, `args_type`, `mhandler.cmd_new`, ... */
  readonly path: string;
  readonly value: FieldValueNode;
  /** The `.` that starts the field. */
  readonly offset: number;
}

export type FieldValueNode = NumberValueNode | ConcatValueNode;

export interface NumberValueNode {
  readonly kind: "number";
  readonly value: number;
  readonly offset: number;
}

/** Adjacent string literals and identifiers, as C concatenates them after macro expansion. */
export interface ConcatValueNode {
  readonly kind: "concat";
  readonly parts: readonly (StringNode | MacroNode)[];
  readonly offset: number;
}

/** A string literal: decoded segments, each with the source offset it starts at. */
export interface StringNode {
  readonly kind: "string";
  readonly segments: readonly (readonly [text: string, offset: number])[];
  readonly offset: number;
}

export interface MacroNode {
  readonly kind: "macro";
  readonly name: string;
  readonly offset: number;
}

/** One `name:code` item of args_type; offsets are into the decoded args_type string. */
export interface ArgItemNode {
  readonly name: string;
  /** `s F B i l M o T b O q f`, or `-` for a flag. */
  readonly code: string;
  readonly flag: string | undefined;
  readonly optional: boolean;
  readonly offset: number;
  readonly codeOffset: number;
}

/** The expression of an #if / #elif line. */
export type ConditionNode =
  | { readonly kind: "defined"; readonly name: string }
  | { readonly kind: "symbol"; readonly name: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "not"; readonly operand: ConditionNode }
  | { readonly kind: "binary"; readonly operator: "||" | "&&" | "==" | "!=" | "<=" | ">=" | "<" | ">"; readonly left: ConditionNode; readonly right: ConditionNode };

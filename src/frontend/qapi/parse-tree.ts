// Shapes of what grammar/qapi.peggy returns. Offsets are absolute UTF-16 offsets into the
// parsed file; src/frontend/source.ts turns them into line:column.

/**
 * What parse.ts's scan tells the grammar about the text it reads, which is the file with each
 * comment cut down to its `#` and each string to its quotes: where an offset of that text lies
 * in the file, and the strings' values.
 */
export interface QapiScan {
  fileOffset(offset: number): number;
  /** The value of the string whose opening quote is at this offset of the text read (its body was cut: the grammar reads `''`). */
  stringAt(offset: number): string;
}

export interface QapiFileNode {
  readonly kind: "file";
  /** Top-level comment lines and definition objects, in file order. */
  readonly items: readonly (QapiCommentNode | QapiObjectNode)[];
}

/** A `#` comment line; `text` is what follows the `#`. */
export interface QapiCommentNode {
  readonly kind: "comment";
  readonly text: string;
  readonly offset: number;
}

export type QapiValueNode = QapiObjectNode | QapiArrayNode | QapiStringNode | QapiBooleanNode;

export interface QapiObjectNode {
  readonly kind: "object";
  readonly entries: readonly QapiEntryNode[];
  readonly offset: number;
}

export interface QapiEntryNode {
  readonly key: QapiStringNode;
  readonly value: QapiValueNode;
}

export interface QapiArrayNode {
  readonly kind: "array";
  readonly elements: readonly QapiValueNode[];
  readonly offset: number;
}

export interface QapiStringNode {
  readonly kind: "string";
  readonly value: string;
  readonly offset: number;
}

export interface QapiBooleanNode {
  readonly kind: "boolean";
  readonly value: boolean;
  readonly offset: number;
}

// Selecting the entries of one build: #if conditions evaluated against --define / --undefine.
// A symbol given neither way is unknown, and so is any condition that depends on it; an entry
// is dropped only when its condition is known to be false. With no symbols given every entry
// stays, with its condition as data.
import type { ConditionNode } from "./parse-tree.js";

export interface BuildSymbols {
  /** Defined symbols and their values (`--define NAME=VALUE`; `--define NAME` is 1). */
  readonly defines?: ReadonlyMap<string, string>;
  /** Symbols known not to be defined (`--undefine NAME`). */
  readonly undefines?: ReadonlySet<string>;
}

/** Three-valued: a number, or undefined when it depends on an unknown symbol. */
export type ConditionValue = number | undefined;

export function evaluateCondition(node: ConditionNode, symbols: BuildSymbols): ConditionValue {
  switch (node.kind) {
    case "number":
      return node.value;
    case "defined":
      return symbols.defines?.has(node.name) ? 1 : symbols.undefines?.has(node.name) ? 0 : undefined;
    case "symbol": {
      const value = symbols.defines?.get(node.name);
      if (value !== undefined) return /^-?\d+$/.test(value.trim()) ? Number(value) : 1;
      return symbols.undefines?.has(node.name) ? 0 : undefined;
    }
    case "not":
      return not(evaluateCondition(node.operand, symbols));
    case "binary": {
      const left = evaluateCondition(node.left, symbols);
      const right = evaluateCondition(node.right, symbols);
      if (node.operator === "&&") return and(left, right);
      if (node.operator === "||") return not(and(not(left), not(right)));
      if (left === undefined || right === undefined) return undefined;
      const holds = { "==": left === right, "!=": left !== right, "<=": left <= right, ">=": left >= right, "<": left < right, ">": left > right }[node.operator];
      return holds ? 1 : 0;
    }
  }
}

export function not(value: ConditionValue): ConditionValue {
  return value === undefined ? undefined : value === 0 ? 1 : 0;
}

/** False when either is false, true when both are true, else unknown. */
export function and(left: ConditionValue, right: ConditionValue): ConditionValue {
  if (left === 0 || right === 0) return 0;
  return left === undefined || right === undefined ? undefined : 1;
}

// Selecting the entries of one build: #if conditions evaluated against --define / --undefine.
// A symbol given neither way is unknown, and so is any condition that depends on it; an entry
// is dropped only when its condition is known to be false. With no symbols given every entry
// stays, with its condition as data.
import type { ConditionNode } from "../parser/parse-tree.js";
import { parseCondition } from "../parser/parse.js";
import { SourceText } from "../parser/source.js";
import type { Condition } from "./types.js";

export interface BuildSymbols {
  /** Defined symbols and their values (`--define NAME=VALUE`; `--define NAME` is 1). */
  readonly defines?: ReadonlyMap<string, string>;
  /** Symbols known not to be defined (`--undefine NAME`). */
  readonly undefines?: ReadonlySet<string>;
}

/** Three-valued: a number, or undefined when it depends on an unknown symbol. */
export function evaluateCondition(node: ConditionNode, symbols: BuildSymbols): number | undefined {
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
    case "not": {
      const operand = evaluateCondition(node.operand, symbols);
      return operand === undefined ? undefined : operand === 0 ? 1 : 0;
    }
    case "binary": {
      const left = evaluateCondition(node.left, symbols);
      const right = evaluateCondition(node.right, symbols);
      if (node.operator === "&&") {
        if (left === 0 || right === 0) return 0;
        return left === undefined || right === undefined ? undefined : 1;
      }
      if (node.operator === "||") {
        if ((left !== undefined && left !== 0) || (right !== undefined && right !== 0)) return 1;
        return left === undefined || right === undefined ? undefined : 0;
      }
      if (left === undefined || right === undefined) return undefined;
      const holds = { "==": left === right, "!=": left !== right, "<=": left <= right, ">=": left >= right, "<": left < right, ">": left > right }[node.operator];
      return holds ? 1 : 0;
    }
  }
}

const expressionSource = new SourceText("<condition>", "");

/** Whether all of an entry's conditions hold: true, false, or undefined (unknown). */
export function conditionsHold(conditions: readonly Condition[], symbols: BuildSymbols): boolean | undefined {
  let unknown = false;
  for (const condition of conditions) {
    // The expressions were checked where their directives are; this cannot fail.
    const value = evaluateCondition(parseCondition(expressionSource, condition.expression, 0), symbols);
    if (value === 0) return false;
    if (value === undefined) unknown = true;
  }
  return unknown ? undefined : true;
}

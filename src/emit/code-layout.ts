// Code the emitters write (function bodies, initializers) as layout documents in the shapes
// prettier's estree printer gives the same code, so that it comes out in prettier's form
// without being parsed: string literals with prettier's quotes, call arguments that fit or
// break, arrays of arrays that always break, && / || chains and conditionals that break as
// prettier breaks them, assignments. A structure holds such code as a writer function that
// also carries its layout: ts-morph (the reference path) writes the code's text, the direct
// printer (src/emit/typescript-printer.ts) lays out the document in place.
import type { WriterFunction } from "./structures.js";
import { align, breakParent, conditionalGroup, group, hardline, ifBreak, indent, indentIfBreak, join, line, printDoc, softline, type Doc } from "./layout.js";

/** Code with its layout: a writer function for ts-morph that the direct printer recognizes. */
export interface LaidOutCode extends WriterFunction {
  readonly layout: Doc;
  /** As an initializer: prettier's assignment layout for it ("break-after-operator" for a string or member access, else "fluid"). */
  readonly assignment: "fluid" | "break-after-operator";
}

export function code(layout: Doc, assignment: LaidOutCode["assignment"] = "fluid"): LaidOutCode {
  // Any layout of the code is valid TypeScript; prettier lays it out again on the reference path.
  const writer = (target: Parameters<WriterFunction>[0]): void => {
    target.write(printDoc(layout));
  };
  return Object.assign(writer, { layout, assignment });
}

export function isLaidOutCode(value: unknown): value is LaidOutCode {
  return typeof value === "function" && "layout" in value;
}

/** Text that is the same in every layout (a constant statement already in prettier's form, written with two-space indentation). */
export function verbatim(text: string): Doc {
  return join(hardline, text.split("\n"));
}

/** Statements one a line; `undefined` between two of them is a blank line. */
export function statementList(statements: readonly (Doc | undefined)[]): Doc {
  return statements.map((statement, index) => (statement === undefined ? (index === 0 ? "" : hardline) : index === 0 ? statement : [hardline, statement]));
}

/** `{ statements }` as a block; `{}` when empty. */
export function block(statements: readonly (Doc | undefined)[]): Doc {
  return statements.length === 0 ? "{}" : ["{", indent([hardline, statementList(statements)]), hardline, "}"];
}

/**
 * A string literal as prettier prints one: double quotes unless the text holds more double
 * quotes than single ones; escapes as JSON writes them, but for the quotes.
 */
export function stringLiteral(value: string): string {
  const json = JSON.stringify(value);
  let doubles = 0;
  let singles = 0;
  for (let index = 0; index < value.length; index++) {
    const unit = value.charCodeAt(index);
    if (unit === 34) doubles++;
    else if (unit === 39) singles++;
  }
  if (doubles <= singles) return json;
  const content = json.slice(1, -1).replace(/\\(["\\])|'/g, (match, escaped: string | undefined) => (escaped === '"' ? '"' : escaped === "\\" ? match : "\\'"));
  return `'${content}'`;
}

/**
 * `open items close`, comma-separated, as prettier lays out every such list: flat, or one item a
 * line with a trailing comma; `padding` is what stands inside the brackets when flat (`line`: a space).
 */
export function commaList(open: string, items: readonly Doc[], close: string, padding: Doc = softline): Doc {
  return [open, indent([padding, join([",", line], items)]), ifBreak(","), padding, close];
}

/** An argument list with nothing to hug: flat, or one argument a line with a trailing comma. */
export function callArguments(args: readonly Doc[]): Doc {
  if (args.length === 0) return "()";
  return group(commaList("(", args, ")"));
}

/** An array literal; prettier always breaks one of two or more arrays of two or more elements each. */
export function arrayLiteral(elements: readonly Doc[], { isMatrix }: { isMatrix: boolean }): Doc {
  if (elements.length === 0) return "[]";
  return group(commaList("[", elements, "]"), isMatrix);
}

/** Arguments whose last is a non-empty array literal, which prettier hugs: `f(a, [` ... `])`. */
export function argumentsHuggingLast(leading: readonly Doc[], last: Doc, lastWillBreak: boolean): Doc {
  const before = leading.map((arg) => [arg, ", "]);
  const allBrokenOut = group(commaList("(", [...leading, last], ")", line), true);
  if (lastWillBreak) return [breakParent, conditionalGroup([["(", ...before, group(last, true), ")"], allBrokenOut])];
  return conditionalGroup([["(", ...before, last, ")"], ["(", ...before, group(last, true), ")"], allBrokenOut]);
}

/** An expression of the validators' conditions, as far as its layout goes. */
export type Expression =
  | { readonly kind: "atom"; readonly text: Doc }
  | { readonly kind: "binary"; readonly operator: string; readonly left: Expression; readonly right: Expression }
  | { readonly kind: "conditional"; readonly test: Expression; readonly consequent: Expression; readonly alternate: Expression };

export const atom = (text: Doc): Expression => ({ kind: "atom", text });
export const binary = (left: Expression, operator: string, right: Expression): Expression => ({ kind: "binary", operator, left, right });
export const conditional = (test: Expression, consequent: Expression, alternate: Expression): Expression => ({ kind: "conditional", test, consequent, alternate });

/**
 * `a && b && c` from the operands, left to right. An operand that is itself a chain of the same
 * operator joins this one, as prettier rebalances `a && (b && c)` into one chain.
 */
export function chain(operator: "&&" | "||", operands: readonly Expression[]): Expression {
  const leaves = operands.flatMap((operand) => chainOperands(operand, operator));
  const [first, ...rest] = leaves;
  if (first === undefined) throw new Error(`an empty ${operator} chain`);
  return rest.reduce((left, right) => binary(left, operator, right), first);
}

function chainOperands(operand: Expression, operator: string): Expression[] {
  if (operand.kind !== "binary" || operand.operator !== operator) return [operand];
  return [...chainOperands(operand.left, operator), ...chainOperands(operand.right, operator)];
}

const logicalOperators = new Set(["&&", "||", "??"]);
const isLogical = (expression: Expression): boolean => expression.kind === "binary" && logicalOperators.has(expression.operator);
/** prettier's "type" of a node as far as printBinaryish compares them. */
const nodeType = (expression: Expression): string => (expression.kind === "binary" ? (isLogical(expression) ? "LogicalExpression" : "BinaryExpression") : expression.kind);

type Parent = "if" | "conditional" | "variable" | "return" | "other" | Expression;

/** An expression as prettier prints it where `parent` holds it (parentheses included). */
export function expression(node: Expression, parent: Parent = "other"): Doc {
  const printed = expressionWithoutParentheses(node, parent);
  return needsParentheses(node, parent) ? ["(", printed, ")"] : printed;
}

function needsParentheses(node: Expression, parent: Parent): boolean {
  if (typeof parent === "string" || parent.kind === "atom") return false;
  if (node.kind === "conditional") return parent.kind === "binary" || (parent.kind === "conditional" && parent.test === node);
  if (node.kind !== "binary" || parent.kind !== "binary") return false;
  // Mixed logical operators get parentheses; a comparison inside a logical chain does not.
  if (isLogical(node)) return isLogical(parent) ? node.operator !== parent.operator || parent.right === node : true;
  // A comparison inside a logical chain needs none; comparisons are not nested here.
  return false;
}

function expressionWithoutParentheses(node: Expression, parent: Parent): Doc {
  switch (node.kind) {
    case "atom":
      return node.text;
    case "conditional": {
      const branches = [line, "? ", align(2, expression(node.consequent, node)), line, ": ", align(2, expression(node.alternate, node))];
      return group([expression(node.test, node), indent(branches)]);
    }
    case "binary":
      return binaryish(node, parent);
  }
}

/** prettier's printBinaryish (src/language-js/print/binaryish.js) for the shapes built here. */
function binaryish(node: Expression & { kind: "binary" }, parent: Parent): Doc {
  const insideParentheses = parent === "if";
  const parts = binaryishParts(node, parent, insideParentheses);
  if (insideParentheses) return parts;
  const parentIsConditional = parent === "conditional" || (typeof parent !== "string" && parent.kind === "conditional");
  if (parent === "return" || parentIsConditional || parent === "variable") return group(parts);
  const [head, ...rest] = parts;
  return group([head ?? "", indent(rest)]);
}

function binaryishParts(node: Expression & { kind: "binary" }, parent: Parent, insideParentheses: boolean): Doc[] {
  const left = node.left;
  const flattens = left.kind === "binary" && sameLevel(node.operator, left.operator);
  const parts: Doc[] = flattens ? binaryishParts(left, node, insideParentheses) : [group(expression(left, node))];
  const right: Doc = [node.operator, line, expression(node.right, node)];
  const type = nodeType(node);
  const parentType = typeof parent === "string" ? parent : nodeType(parent);
  const shouldGroup = !(insideParentheses && isLogical(node)) && parentType !== type && nodeType(left) !== type && nodeType(node.right) !== type;
  parts.push(" ", shouldGroup ? group(right) : right);
  return parts;
}

const precedence = new Map([
  ["??", 1],
  ["||", 2],
  ["&&", 3],
  ["===", 7],
  ["!==", 7],
  ["<", 8],
  [">", 8],
]);

/** prettier's shouldFlatten for the operators used here: equal precedence, but not two equality operators. */
function sameLevel(operator: string, leftOperator: string): boolean {
  if (precedence.get(operator) !== precedence.get(leftOperator)) return false;
  return !(precedence.get(operator) === 7);
}

/** `if (test) consequent`, the test broken inside its parentheses as prettier does. */
export function ifStatement(test: Expression, consequent: Doc, consequentIsBlock: boolean): Doc {
  const clause = consequentIsBlock ? [" ", consequent] : indent([line, consequent]);
  return group(["if (", group([indent([softline, expression(test, "if")]), softline]), ")", group(clause)]);
}

/** `const name = value;` where the value is a member access or string (prettier breaks after `=`). */
export function constBreakingAfterOperator(name: string, value: Doc): Doc {
  return ["const ", group([group(name), " =", group(indent([line, value]))]), ";"];
}

/** `const name = value;` in prettier's fluid layout (calls, `new`, conditionals without a binary test). */
export function constFluid(name: Doc, value: Doc): Doc {
  return ["const ", fluidAssignment(name, value), ";"];
}

export function fluidAssignment(left: Doc, value: Doc): Doc {
  const id = Symbol("assignment");
  return group([group(left), " =", group(indent(line), false, id), indentIfBreak(value, id)]);
}

/** `object["key"]`: prettier lets a string key move inside the brackets (only a number key stays put). */
export function computedMember(object: string, key: string): Doc {
  return [object, group(["[", indent([softline, key]), softline, "]"])];
}

/** A call `callee(args)` with nothing to hug. */
export function call(callee: string, args: readonly Doc[]): Doc {
  return [callee, callArguments(args)];
}

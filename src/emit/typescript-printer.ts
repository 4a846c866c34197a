// The ts-morph structures the emitters build, printed directly in prettier's form: the text
// `prettier.format(printStructure(structures), typeScriptOptions)` gives, without ts-morph,
// TypeScript or prettier. It covers the shapes the emitters use (named imports and type
// exports, interfaces with JSDoc'd properties and index signatures, type aliases, functions,
// const statements, JSDoc with tags); type texts are read by a small parser of the type
// syntax src/emit/type-text.ts writes, code comes laid out (src/emit/code-layout.ts). Anything
// else throws UnsupportedShape, and the caller formats the file with prettier instead. The
// layouts follow prettier 3's estree printer; test/corpus/typescript-form.test.ts and
// test/property/typescript-form.test.ts hold prettier's output as the judge.
import { commaList, isLaidOutCode, stringLiteral } from "./code-layout.js";
import { align, group, hardline, hardlineKeepingTrailingSpaces, ifBreak, indent, indentIfBreak, join, line, printDoc, softline, type Doc } from "./layout.js";
import { StructureKind, type JSDocStructure, type StatementStructures } from "./structures.js";

/** A structure shape outside what the printer handles; the message says which. */
export class UnsupportedShape extends Error {}

/** The statements as prettier prints them, after a header of line comments (each line `// ...`). */
export function printStatements(header: string, statements: readonly StatementStructures[]): string {
  // Each statement is printed on its own: the hardlines between statements end every fitting
  // decision, so the text is the same as printing them as one document, and only one
  // statement's document is held at a time (a schema with thousands of commands stays small).
  const parts: string[] = [];
  let previousEndsWithBlock = false;
  statements.forEach((statement, index) => {
    const endsWithBlock = statement.kind === StructureKind.Function || statement.kind === StructureKind.Interface;
    // ts-morph puts a blank line before a function or interface and after a closing brace; prettier keeps it.
    if (index > 0) parts.push(endsWithBlock || previousEndsWithBlock ? "\n\n" : "\n");
    // A hardline would trim the spaces that end the statement before it.
    parts.push(printDoc(statementDoc(statement)).replace(/[ \t]+$/, ""));
    previousEndsWithBlock = endsWithBlock;
  });
  return `${header}${parts.join("")}\n`;
}

function statementDoc(statement: StatementStructures): Doc {
  switch (statement.kind) {
    case StructureKind.ImportDeclaration: {
      const { namedImports, defaultImport, namespaceImport, isTypeOnly, attributes } = statement;
      if (defaultImport !== undefined || namespaceImport !== undefined || isTypeOnly || (attributes ?? []).length > 0 || !Array.isArray(namedImports) || namedImports.length === 0) {
        throw new UnsupportedShape("an import other than named imports");
      }
      const names = namedImports.map((specifier) => {
        if (typeof specifier !== "object" || specifier.alias !== undefined) throw new UnsupportedShape("an import specifier other than a name");
        return `${specifier.isTypeOnly ? "type " : ""}${specifier.name}`;
      });
      return ["import ", namedSpecifiers(names), " from ", stringLiteral(statement.moduleSpecifier), ";"];
    }
    case StructureKind.ExportDeclaration: {
      const { namedExports, moduleSpecifier, namespaceExport, attributes } = statement;
      if (namespaceExport !== undefined || moduleSpecifier === undefined || (attributes ?? []).length > 0 || !Array.isArray(namedExports) || namedExports.length === 0) {
        throw new UnsupportedShape("an export other than named exports from a module");
      }
      const names = namedExports.map((specifier) => {
        if (typeof specifier === "string") return specifier;
        if (typeof specifier !== "object" || specifier.alias !== undefined || specifier.isTypeOnly) throw new UnsupportedShape("an export specifier other than a name");
        return specifier.name;
      });
      return ["export ", statement.isTypeOnly ? "type " : "", namedSpecifiers(names), " from ", stringLiteral(moduleSpecifier), ";"];
    }
    case StructureKind.Interface: {
      const { name, typeParameters, extends: heritage, properties, indexSignatures, methods, callSignatures, constructSignatures, getAccessors, setAccessors } = statement;
      if ((typeParameters ?? []).length > 0 || [methods, callSignatures, constructSignatures, getAccessors, setAccessors].some((members) => (members ?? []).length > 0) || !Array.isArray(heritage ?? [])) {
        throw new UnsupportedShape("an interface with members other than properties and index signatures");
      }
      const bases = ((heritage ?? []) as readonly unknown[]).map((base) => {
        if (typeof base !== "string") throw new UnsupportedShape("an interface heritage written by a function");
        return typeDoc(parseType(base), "annotation");
      });
      const members: Doc[] = [];
      for (const signature of indexSignatures ?? []) {
        if (signature.returnType === undefined || typeof signature.returnType !== "string" || signature.keyType === undefined) throw new UnsupportedShape("an index signature without types");
        const key = ["[", signature.keyName ?? "key", ": ", typeDoc(parseType(signature.keyType), "annotation"), "]"];
        members.push([docsDoc(signature.docs), signature.isReadonly ? "readonly " : "", key, ": ", typeDoc(parseType(signature.returnType), "annotation")]);
      }
      for (const property of properties ?? []) {
        if (property.type !== undefined && typeof property.type !== "string") throw new UnsupportedShape("a property type written by a function");
        if (property.initializer !== undefined) throw new UnsupportedShape("a property signature with an initializer");
        const type = property.type === undefined ? "" : [": ", typeDoc(parseType(property.type), "annotation")];
        members.push([docsDoc(property.docs), property.isReadonly ? "readonly " : "", propertyKeyDoc(property.name), property.hasQuestionToken ? "?" : "", type]);
      }
      const heritageDoc = bases.length === 0 ? [" ", name] : group(indent([" ", name, line, "extends ", bases.length === 1 ? (bases[0] as Doc) : indent(join([",", line], bases))]));
      const body = members.length === 0 ? "{}" : ["{", indent([hardline, join(hardline, members.map((member) => [member, ";"]))]), hardline, "}"];
      return [docsDoc(statement.docs), exportKeywords(statement), group(["interface", heritageDoc, " ", body])];
    }
    case StructureKind.TypeAlias: {
      if ((statement.typeParameters ?? []).length > 0 || typeof statement.type !== "string") throw new UnsupportedShape("a type alias with type parameters or a written type");
      const type = parseType(statement.type);
      const left = ["type ", statement.name];
      // prettier breaks after `=` before a union that does not hug, and then does not indent the union again.
      const assignment =
        type.kind === "union" && !unionHugs(type.types)
          ? group([group(left), " =", group(indent([line, typeDoc(type, "unionAfterOperator")]))])
          : fluidAssignment(left, typeDoc(type, "alias"));
      return [docsDoc(statement.docs), exportKeywords(statement), assignment, ";"];
    }
    case StructureKind.VariableStatement: {
      const [declaration, ...others] = statement.declarations;
      if (declaration === undefined || others.length > 0 || statement.declarationKind !== "const") throw new UnsupportedShape("a variable statement other than one const");
      if (declaration.hasExclamationToken || !isLaidOutCode(declaration.initializer) || (declaration.type !== undefined && typeof declaration.type !== "string")) {
        throw new UnsupportedShape("a const whose initializer is not laid-out code");
      }
      const left = declaration.type === undefined ? declaration.name : [declaration.name, ": ", typeDoc(parseType(declaration.type), "annotation")];
      const { layout, assignment } = declaration.initializer;
      const assigned = assignment === "break-after-operator" ? group([group(left), " =", group(indent([line, layout]))]) : fluidAssignment(left, layout);
      return [docsDoc(statement.docs), exportKeywords(statement), group(["const ", assigned, ";"])];
    }
    case StructureKind.Function: {
      const { name, parameters, returnType, typeParameters, statements, overloads, isGenerator } = statement;
      if (name === undefined || isGenerator || (overloads ?? []).length > 0 || (returnType !== undefined && typeof returnType !== "string")) throw new UnsupportedShape("a function with overloads, a generator or a written return type");
      const params = (parameters ?? []).map((parameter) => {
        if (parameter.isRestParameter || parameter.scope !== undefined || parameter.isReadonly || (parameter.decorators ?? []).length > 0 || (parameter.type !== undefined && typeof parameter.type !== "string")) {
          throw new UnsupportedShape("a parameter other than a typed name");
        }
        const type = parameter.type === undefined ? "" : [": ", typeDoc(parseType(parameter.type), "annotation")];
        return [parameter.name, parameter.hasQuestionToken ? "?" : "", type, parameter.initializer === undefined ? "" : [" = ", simpleInitializer(parameter.initializer)]];
      });
      const typeParams = (typeParameters ?? []).map((parameter) => {
        if (typeof parameter === "string") return parameter;
        if (parameter.default !== undefined || parameter.isConst || parameter.variance !== undefined || (parameter.constraint !== undefined && typeof parameter.constraint !== "string")) {
          throw new UnsupportedShape("a type parameter other than a name with a constraint");
        }
        return parameter.constraint === undefined ? parameter.name : [parameter.name, " extends ", typeDoc(parseType(parameter.constraint), "annotation")];
      });
      const typeParamsDoc = typeParams.length === 0 ? "" : group(commaList("<", typeParams, ">"));
      const paramsDoc = params.length === 0 ? "()" : commaList("(", params, ")");
      const returnDoc = returnType === undefined ? "" : [": ", typeDoc(parseType(returnType), "annotation")];
      const body = functionBody(statements);
      return [docsDoc(statement.docs), exportKeywords(statement), statement.isAsync ? "async " : "", "function ", name, typeParamsDoc, group([paramsDoc, returnDoc]), " ", body];
    }
    default:
      throw new UnsupportedShape(`a statement of structure kind ${statement.kind}`);
  }
}

function exportKeywords(statement: { isExported?: boolean; isDefaultExport?: boolean; hasDeclareKeyword?: boolean }): Doc {
  if (statement.isDefaultExport || statement.hasDeclareKeyword) throw new UnsupportedShape("a default export or declare");
  return statement.isExported ? "export " : "";
}

function namedSpecifiers(names: readonly string[]): Doc {
  // prettier keeps a lone specifier on the line, however long.
  if (names.length === 1) return ["{ ", names[0] as string, " }"];
  return group(commaList("{", names, "}", line));
}

function fluidAssignment(left: Doc, right: Doc): Doc {
  const id = Symbol("assignment");
  return group([group(left), " =", group(indent(line), false, id), indentIfBreak(right, id)]);
}

function functionBody(statements: unknown): Doc {
  if (statements === undefined) throw new UnsupportedShape("a function without a body");
  const list = typeof statements === "function" || typeof statements === "string" ? [statements] : (statements as readonly unknown[]);
  if (list.length === 0) return "{}";
  if (list.length > 1 || !isLaidOutCode(list[0])) throw new UnsupportedShape("a function body other than one piece of laid-out code");
  return ["{", indent([hardline, list[0].layout]), hardline, "}"];
}

function simpleInitializer(initializer: unknown): string {
  if (typeof initializer === "string" && /^(?:\{\}|\[\]|[A-Za-z_$][\w$]*|-?\d+)$/.test(initializer)) return initializer;
  throw new UnsupportedShape("a parameter initializer other than a name, a number, {} or []");
}

/** A property name as ts-morph writes it (a name or a JSON string) as prettier prints it: quotes only where needed. */
function propertyKeyDoc(name: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(name)) return name;
  if (!name.startsWith('"')) throw new UnsupportedShape(`a property name ${name}`);
  const value = JSON.parse(name) as string;
  const printed = stringLiteral(value);
  if (printed.slice(1, -1) !== value) return printed;
  if (isLongStandingIdentifierName(value)) return value;
  // prettier unquotes ES5 identifier names; its table of those is not repeated here, so a name
  // that is an identifier today, with characters beyond the long-standing scripts, is left to it.
  if (/^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u.test(value)) throw new UnsupportedShape(`a property name ${name} that may be an identifier outside the scripts the printer knows`);
  return printed;
}

/**
 * An identifier name made of ASCII, or of letters, digits and combining marks of scripts that
 * Unicode had long before ES5 (Latin, Greek, Cyrillic, CJK ideographs, kana, Hangul): an ES5
 * identifier name to prettier too.
 */
function isLongStandingIdentifierName(value: string): boolean {
  const longStanding = /^[\u0000-\u024f\u0300-\u036f\u0370-\u03ff\u0400-\u04ff\u3041-\u30ff\u4e00-\u9fa5\uac00-\ud7a3]$/;
  const start = (character: string): boolean => /[$_A-Za-z]/.test(character) || (longStanding.test(character) && /^[\p{L}\p{Nl}]$/u.test(character));
  const part = (character: string): boolean => start(character) || /[0-9]/.test(character) || (longStanding.test(character) && /^[\p{Mn}\p{Mc}\p{Nd}\p{Pc}]$/u.test(character));
  const characters = [...value];
  return characters.length > 0 && start(characters[0] as string) && characters.every(part);
}

/** JSDoc as ts-morph writes it and prettier re-indents it, each followed by a line break. */
function docsDoc(docs: readonly (string | JSDocStructure | unknown)[] | undefined): Doc {
  if (docs === undefined || docs.length === 0) return "";
  return docs.map((doc) => [jsDocComment(doc), hardline]);
}

function jsDocComment(doc: unknown): Doc {
  if (typeof doc !== "object" || doc === null) throw new UnsupportedShape("a JSDoc written as a string or by a function");
  const { description, tags } = doc as JSDocStructure;
  if (description !== undefined && typeof description !== "string") throw new UnsupportedShape("a JSDoc description written by a function");
  const tagTexts = (tags ?? []).map((tag) => {
    if (tag.text !== undefined && typeof tag.text !== "string") throw new UnsupportedShape("a JSDoc tag written by a function");
    const text = tag.text ?? "";
    return `@${tag.tagName}${text.length > 0 && !/^\r?\n/.test(text) ? " " : ""}${text}`;
  });
  const text = description ? [description, ...tagTexts].join("\n") : tagTexts.join("\n");
  const lines = text.split(/\r?\n/);
  if (lines.length <= 1) {
    const opening = `/** ${text}`;
    return `${opening}${opening.endsWith(" ") ? "" : " "}*/`;
  }
  // prettier trims each line of a JSDoc comment, but keeps two trailing spaces (a Markdown line break).
  const body = (lines[0] === "" ? lines.slice(1) : lines).map((textLine) => {
    const written = ` *${textLine.length > 0 ? ` ${textLine}` : ""}`;
    const trimmed = written.trim();
    return trimmed !== "*" && written.endsWith("  ") ? [` ${trimmed}  `, hardlineKeepingTrailingSpaces] : [` ${trimmed}`, hardline];
  });
  return ["/**", hardline, body, " */"];
}

// Types: a parser of the type syntax the emitters write, and prettier's layout of it.

type TypeNode =
  | { readonly kind: "name"; readonly text: string; readonly simple: boolean }
  | { readonly kind: "reference"; readonly name: string; readonly args: readonly TypeNode[] }
  | { readonly kind: "union" | "intersection"; readonly types: readonly TypeNode[] }
  | { readonly kind: "array"; readonly element: TypeNode }
  | { readonly kind: "operator"; readonly operator: "readonly" | "keyof"; readonly type: TypeNode }
  | { readonly kind: "indexed"; readonly object: TypeNode; readonly index: TypeNode }
  | { readonly kind: "object"; readonly members: readonly TypeMember[]; readonly brokenInSource: boolean }
  | { readonly kind: "function"; readonly params: readonly { name: string; optional: boolean; type: TypeNode }[]; readonly result: TypeNode };

interface TypeMember {
  readonly comment: string | undefined;
  readonly readonly: boolean;
  readonly key: { readonly kind: "property"; readonly name: string; readonly optional: boolean } | { readonly kind: "index"; readonly name: string; readonly keyType: TypeNode };
  readonly type: TypeNode;
}

const keywordTypes = new Set(["string", "number", "boolean", "bigint", "symbol", "object", "unknown", "any", "never", "null", "undefined", "void"]);

const tokenPattern = /\s+|\/\*\*(?:[^*]|\*(?!\/))*\*\/|"(?:[^"\\\n]|\\.)*"|[A-Za-z_$][\w$]*|=>|[{}()[\]<>|&;,:?]/y;

interface Token {
  readonly text: string;
  /** A line break came before it. */
  readonly afterNewline: boolean;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let afterNewline = false;
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < text.length) {
    const at = tokenPattern.lastIndex;
    const match = tokenPattern.exec(text);
    if (match === null) throw new UnsupportedShape(`a type text the printer cannot read at ${JSON.stringify(text.slice(at, at + 20))}`);
    const [token] = match;
    if (/^\s/.test(token)) {
      if (token.includes("\n")) afterNewline = true;
      continue;
    }
    tokens.push({ text: token, afterNewline });
    afterNewline = false;
  }
  return tokens;
}

const parsedTypes = new Map<string, TypeNode>();

function parseType(text: string): TypeNode {
  const cached = parsedTypes.get(text);
  if (cached !== undefined) return cached;
  const parser = new TypeParser(tokenize(text));
  const type = parser.type();
  parser.end();
  // Type texts repeat (number | bigint, Record<string, never>, names): parsed once.
  if (text.length < 200) parsedTypes.set(text, type);
  return type;
}

class TypeParser {
  private position = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(offset = 0): string | undefined {
    return this.tokens[this.position + offset]?.text;
  }

  private take(expected?: string): string {
    const token = this.tokens[this.position];
    if (token === undefined || (expected !== undefined && token.text !== expected)) throw new UnsupportedShape(`a type text with ${token?.text ?? "its end"} where ${expected ?? "a token"} was expected`);
    this.position++;
    return token.text;
  }

  end(): void {
    if (this.position !== this.tokens.length) throw new UnsupportedShape(`a type text with ${this.peek()} after the type`);
  }

  type(): TypeNode {
    if (this.peek() === "|") this.take();
    return this.separated("|", "union", () => this.separated("&", "intersection", () => this.operand()));
  }

  /** `part` once, or several times between `separator`s: then a union or intersection of them. */
  private separated(separator: "|" | "&", kind: "union" | "intersection", part: () => TypeNode): TypeNode {
    const types = [part()];
    while (this.peek() === separator) {
      this.take();
      types.push(part());
    }
    return types.length === 1 ? (types[0] as TypeNode) : { kind, types };
  }

  private operand(): TypeNode {
    const word = this.peek();
    if ((word === "readonly" || word === "keyof") && this.peek(1) !== undefined && /^[A-Za-z_$("{]/.test(this.peek(1) as string)) {
      this.take();
      return { kind: "operator", operator: word, type: this.operand() };
    }
    let type = this.primary();
    while (this.peek() === "[") {
      this.take();
      if (this.peek() === "]") {
        this.take();
        type = { kind: "array", element: type };
      } else {
        const index = this.type();
        this.take("]");
        type = { kind: "indexed", object: type, index };
      }
    }
    return type;
  }

  private primary(): TypeNode {
    const token = this.take();
    if (token === "(") {
      if (this.peek() === ")" || (/^[A-Za-z_$]/.test(this.peek() ?? "") && (this.peek(1) === ":" || this.peek(1) === "?"))) return this.functionType();
      const inner = this.type();
      this.take(")");
      return inner;
    }
    if (token === "{") return this.objectType();
    if (token.startsWith('"')) return { kind: "name", text: stringLiteral(JSON.parse(token) as string), simple: false };
    if (!/^[A-Za-z_$]/.test(token)) throw new UnsupportedShape(`a type text with ${token} where a type was expected`);
    if (this.peek() !== "<") return { kind: "name", text: token, simple: true };
    this.take("<");
    const args = [this.type()];
    while (this.peek() === ",") {
      this.take();
      args.push(this.type());
    }
    this.take(">");
    return { kind: "reference", name: token, args };
  }

  private functionType(): TypeNode {
    const params: { name: string; optional: boolean; type: TypeNode }[] = [];
    while (this.peek() !== ")") {
      const name = this.take();
      const optional = this.peek() === "?";
      if (optional) this.take();
      this.take(":");
      params.push({ name, optional, type: this.type() });
      if (this.peek() === ",") this.take();
    }
    this.take(")");
    this.take("=>");
    return { kind: "function", params, result: this.type() };
  }

  private objectType(): TypeNode {
    const brokenInSource = this.tokens[this.position]?.afterNewline ?? false;
    const members: TypeMember[] = [];
    while (this.peek() !== "}") {
      let comment: string | undefined;
      if (this.peek()?.startsWith("/**")) {
        comment = this.take();
        if (comment.includes("\n")) throw new UnsupportedShape("a comment of several lines inside a type");
      }
      const isReadonly = this.peek() === "readonly" && this.peek(1) !== ":" && this.peek(1) !== "?";
      if (isReadonly) this.take();
      let key: TypeMember["key"];
      if (this.peek() === "[") {
        this.take();
        const name = this.take();
        this.take(":");
        const keyType = this.type();
        this.take("]");
        key = { kind: "index", name, keyType };
      } else {
        const name = this.take();
        if (!/^(?:[A-Za-z_$][\w$]*|".*")$/s.test(name)) throw new UnsupportedShape(`a member name ${name} inside a type`);
        const optional = this.peek() === "?";
        if (optional) this.take();
        key = { kind: "property", name, optional };
      }
      this.take(":");
      members.push({ comment, readonly: isReadonly, key, type: this.type() });
      if (this.peek() === ";" || this.peek() === ",") this.take();
    }
    this.take("}");
    return { kind: "object", members, brokenInSource };
  }
}

/** A type text laid out as prettier lays out a type annotation (for code that writes types, as in `x as T`). */
export function typeLayout(text: string): Doc {
  return typeDoc(parseType(text), "annotation");
}

/** Where a type stands, as far as its layout and parentheses go. */
type TypeContext = "annotation" | "alias" | "unionAfterOperator" | "union" | "intersection" | "arrayElement" | "operator" | "indexedObject" | "typeArgument" | "other";

function typeDoc(node: TypeNode, context: TypeContext): Doc {
  const printed = typeWithoutParentheses(node, context);
  return typeNeedsParentheses(node, context) ? ["(", printed, ")"] : printed;
}

/** prettier's needsParens for the type nodes used here. */
function typeNeedsParentheses(node: TypeNode, context: TypeContext): boolean {
  switch (node.kind) {
    case "function":
    case "union":
    case "intersection":
      if (context === "union" || context === "intersection") return true;
      return context === "arrayElement" || context === "operator" || context === "indexedObject";
    case "operator":
      return context === "arrayElement" || context === "operator" || context === "indexedObject";
    default:
      return false;
  }
}

const isObjectType = (node: TypeNode): boolean => node.kind === "object";
/** prettier's shouldHugType: keywords and plain names, object types, and a union of one object and nulls. */
const huggable = (node: TypeNode): boolean => (node.kind === "name" && node.simple) || isObjectType(node) || (node.kind === "union" && unionHugs(node.types));

function unionHugs(types: readonly TypeNode[]): boolean {
  const objectLike = types.find((type) => type.kind === "object" || (type.kind === "name" && type.simple && !keywordTypes.has(type.text)) || type.kind === "reference");
  return objectLike !== undefined && types.every((type) => type === objectLike || (type.kind === "name" && (type.text === "null" || type.text === "void")));
}

function typeWithoutParentheses(node: TypeNode, context: TypeContext): Doc {
  switch (node.kind) {
    case "name":
      return node.text;
    case "reference": {
      const [only] = node.args;
      if (node.args.length === 1 && only !== undefined && huggable(only)) return [node.name, "<", typeDoc(only, "typeArgument"), ">"];
      return group([node.name, "<", indent([softline, join([",", line], node.args.map((arg) => typeDoc(arg, "typeArgument")))]), softline, ">"]);
    }
    case "array":
      return [typeDoc(node.element, "arrayElement"), "[]"];
    case "operator":
      return [node.operator, " ", typeDoc(node.type, "operator")];
    case "indexed":
      return [typeDoc(node.object, "indexedObject"), "[", typeDoc(node.index, "other"), "]"];
    case "function": {
      const params = node.params.map((param) => [param.name, param.optional ? "?" : "", ": ", typeDoc(param.type, "annotation")]);
      const paramsDoc = params.length === 0 ? "()" : commaList("(", params, ")");
      return group([paramsDoc, " => ", typeDoc(node.result, "annotation")]);
    }
    case "object":
      return objectTypeDoc(node.members, node.brokenInSource);
    case "intersection":
      return intersectionDoc(node.types);
    case "union": {
      if (unionHugs(node.types)) return join(" | ", node.types.map((type) => typeDoc(type, "union")));
      const members = group(node.types.map((type, index) => [index === 0 ? ifBreak("| ") : [line, "| "], align(2, typeDoc(type, "union"))]));
      if (typeNeedsParentheses(node, context)) return group([indent([softline, members]), softline]);
      if (context === "typeArgument" || context === "unionAfterOperator") return members;
      return group(indent([softline, members]));
    }
  }
}

/** prettier's printIntersectionType: objects stay on the line of their `&`, other types may move to the next. */
function intersectionDoc(types: readonly TypeNode[]): Doc {
  let wasIndented = false;
  return group(
    types.map((type, index) => {
      const printed = typeDoc(type, "intersection");
      if (index === 0) return printed;
      const current = isObjectType(type);
      const previous = isObjectType(types[index - 1] as TypeNode);
      if (current && previous) return [" & ", wasIndented ? indent(printed) : printed];
      if (!current && !previous) return indent([" &", line, printed]);
      if (index > 1) wasIndented = true;
      return [" & ", index > 1 ? indent(printed) : printed];
    }),
  );
}

function objectTypeDoc(members: readonly TypeMember[], brokenInSource: boolean): Doc {
  if (members.length === 0) return "{}";
  const printed = members.map((member) => {
    const key =
      member.key.kind === "index"
        ? ["[", member.key.name, ": ", typeDoc(member.key.keyType, "annotation"), "]"]
        : [propertyKeyDoc(member.key.name), member.key.optional ? "?" : ""];
    return [member.comment === undefined ? "" : [member.comment, hardline], member.readonly ? "readonly " : "", key, ": ", typeDoc(member.type, "annotation")];
  });
  return group(["{", indent([line, join([";", line], printed)]), ifBreak(";"), line, "}"], brokenInSource);
}

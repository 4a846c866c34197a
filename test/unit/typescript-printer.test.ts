// The direct TypeScript printer's building blocks against ts-morph and prettier: the structure
// kinds it uses without loading ts-morph are ts-morph's own, string literals get prettier's
// quotes, and shapes it does not handle are refused with a reason rather than printed wrong.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as prettier from "prettier";
import * as tsMorph from "ts-morph";
import { StructureKind, VariableDeclarationKind } from "../../src/emit/structures.js";
import { code, stringLiteral } from "../../src/emit/code-layout.js";
import { printStatements, UnsupportedShape } from "../../src/emit/typescript-printer.js";
import { typeScriptOptions } from "../../src/emit/format.js";
import { printDoc, group, indent, line, softline, ifBreak } from "../../src/emit/layout.js";

describe("direct TypeScript printer", () => {
  it("uses ts-morph's own structure kinds", () => {
    for (const [name, value] of Object.entries(StructureKind)) assert.equal(value, tsMorph.StructureKind[name as keyof typeof tsMorph.StructureKind], name);
    assert.equal(VariableDeclarationKind.Const, tsMorph.VariableDeclarationKind.Const);
  });

  it("quotes string literals as prettier does", async () => {
    for (const value of ["plain", 'one "double"', "one 'single'", `"two" 'two'`, `""'`, "back\\slash", "tab\there", "new\nline", "\u2028", "中文", '\\"', "it's \"x\" y\"z"]) {
      const formatted = await prettier.format(`x = ${JSON.stringify(value)};\n`, typeScriptOptions);
      assert.equal(`x = ${stringLiteral(value)};\n`, formatted, JSON.stringify(value));
    }
  });

  it("breaks a group only when it does not fit in 100 columns", () => {
    const call = (args: string[]) => ["f(", group([indent([softline, args.join(", ")]), ifBreak(","), softline]), ")"];
    assert.equal(printDoc(call(["a".repeat(97)])), `f(${"a".repeat(97)})`);
    assert.equal(printDoc(call(["a".repeat(98)])), `f(\n  ${"a".repeat(98)},\n)`);
    assert.equal(printDoc(group(["x", line, "y"])), "x y");
  });

  it("refuses shapes it does not handle, saying which", () => {
    const refused = [
      { kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const, declarations: [{ name: "x", initializer: "1 + 2" }] },
      { kind: StructureKind.Function, name: "f", statements: ["return 1;"] },
      { kind: StructureKind.TypeAlias, name: "T", type: "A extends B ? C : D" },
      { kind: tsMorph.StructureKind.Enum, name: "E" },
    ] as const;
    for (const statement of refused) assert.throws(() => printStatements("", [statement as never]), UnsupportedShape, JSON.stringify(statement));
    assert.equal(printStatements("", [{ kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const, declarations: [{ name: "x", initializer: code("1") }] }]), "const x = 1;\n");
  });
});

// The ts-morph structure kinds the emitters build, without loading ts-morph: its enums are
// plain numbers and strings, and loading ts-morph (and TypeScript with it) is only needed to
// print structures the direct printer does not handle, or for the tests' reference text.
// test/unit/typescript-printer.test.ts checks these values against ts-morph's own.
import type * as TsMorph from "ts-morph";

export const StructureKind = {
  ExportDeclaration: 11 as TsMorph.StructureKind.ExportDeclaration,
  Function: 13 as TsMorph.StructureKind.Function,
  ImportDeclaration: 16 as TsMorph.StructureKind.ImportDeclaration,
  Interface: 19 as TsMorph.StructureKind.Interface,
  JSDoc: 24 as TsMorph.StructureKind.JSDoc,
  SourceFile: 36 as TsMorph.StructureKind.SourceFile,
  TypeAlias: 38 as TsMorph.StructureKind.TypeAlias,
  VariableStatement: 41 as TsMorph.StructureKind.VariableStatement,
} as const;

export const VariableDeclarationKind = {
  Const: "const" as TsMorph.VariableDeclarationKind.Const,
} as const;

export type {
  ExportDeclarationStructure,
  FunctionDeclarationStructure,
  ImportDeclarationStructure,
  InterfaceDeclarationStructure,
  JSDocStructure,
  OptionalKind,
  PropertySignatureStructure,
  StatementStructures,
  TypeAliasDeclarationStructure,
  VariableStatementStructure,
  WriterFunction,
} from "ts-morph";

// What each args_type code meant to QEMU's QMP monitor (monitor.c, 0.14 to 2.7): the JSON
// type it checked and the word its InvalidParameterType error used (the runtime's check,
// src/runtime/arguments.ts, holds the same table for the wire). Emitters and the linter read this one.
import type { ArgCode, Argument } from "./types.js";

export type JsonKind = "string" | "integer" | "number" | "boolean" | "any";

export interface ArgCodeInfo {
  readonly kind: JsonKind;
  /** The `expected:` word of QEMU's InvalidParameterType, or undefined when any value passed. */
  readonly expected: "string" | "int" | "number" | "bool" | undefined;
  /** A 64-bit quantity: clients may pass a bigint beyond 2^53. */
  readonly wide: boolean;
  /** The JSON type a doc names for it. */
  readonly docType: string;
  readonly meaning: string;
}

export const argCodes: Readonly<Record<ArgCode, ArgCodeInfo>> = {
  s: { kind: "string", expected: "string", wide: false, docType: "json-string", meaning: "string" },
  F: { kind: "string", expected: "string", wide: false, docType: "json-string", meaning: "file name" },
  B: { kind: "string", expected: "string", wide: false, docType: "json-string", meaning: "block device name" },
  i: { kind: "integer", expected: "int", wide: false, docType: "json-int", meaning: "integer" },
  l: { kind: "integer", expected: "int", wide: true, docType: "json-int", meaning: "64-bit integer" },
  M: { kind: "integer", expected: "int", wide: true, docType: "json-int", meaning: "size in MiB" },
  o: { kind: "integer", expected: "int", wide: true, docType: "json-int", meaning: "size in bytes" },
  T: { kind: "number", expected: "number", wide: false, docType: "json-number", meaning: "number" },
  f: { kind: "number", expected: "number", wide: false, docType: "json-number", meaning: "number" },
  b: { kind: "boolean", expected: "bool", wide: false, docType: "json-bool", meaning: "boolean" },
  "-": { kind: "boolean", expected: "bool", wide: false, docType: "json-bool", meaning: "flag" },
  q: { kind: "any", expected: undefined, wide: false, docType: "any JSON value", meaning: "any JSON value" },
  O: { kind: "any", expected: undefined, wide: false, docType: "options", meaning: "further properties" },
};

export function isArgCode(code: string): code is ArgCode {
  return Object.hasOwn(argCodes, code);
}

/**
 * The args_type code that a documented JSON type corresponds to, for arguments known only
 * from docs. QAPI type names (enums, structs) and lists carry no QMP-level check: `q`.
 */
export function codeForDocType(type: string | undefined): ArgCode {
  switch (type?.toLowerCase()) {
    case "json-string":
    case "string":
      return "s";
    case "json-int":
    case "int":
    case "integer":
      return "i";
    case "json-number":
    case "json-double":
    case "number":
      return "T";
    case "json-bool":
    case "bool":
    case "boolean":
      return "b";
    default:
      return "q";
  }
}

/** Whether a doc's type annotation agrees with a code; unknown names (QAPI types) agree. */
export function docTypeAgrees(code: ArgCode, docType: string): boolean {
  const fromDoc = codeForDocType(docType);
  if (fromDoc === "q") return true;
  const want = argCodes[code].kind;
  const have = argCodes[fromDoc].kind;
  return want === "any" || want === have || (want === "number" && have === "integer");
}

/** The argument as args_type writes it: `speed:i?`, `force:-f`. */
export function argsTypeItem(arg: Argument): string {
  return `${arg.name}:${argType(arg)}`;
}

/** The type half of an args_type item, as QEMU's monitor read it: `i?`, `-f`, `O`. */
export function argType(arg: Argument): string {
  return arg.code === "-" ? `-${arg.flag ?? ""}` : `${arg.code}${arg.optional ? "?" : ""}`;
}

// Package entry: parse, model, generate. The QMP runtime is its own package, `qmp-hx-runtime`.
export { generate, parseFile, type GenerateToOptions, type ParseFileOptions } from "./api.js";
export { loadQapiSchema, parseQapiSchema, type QapiSchema, type QapiDefinition, type QapiMember, type QapiTypeRef } from "./frontend/qapi/definitions.js";
export { enrichWithQapi } from "./frontend/qapi/enrich.js";
export { parseEvents } from "./frontend/hx/events.js";
export { parseSchema, type ParseOptions } from "./frontend/hx/schema.js";
export type { BuildOptions, BuildResult } from "./frontend/hx/build.js";
export { generateFiles, type GenerateOptions, type GeneratedFile } from "./emit/generate.js";
export { manifestName, OutputError, writeOutput, type WriteOptions, type WriteReport } from "./write/writer.js";
export { validateCommandArguments, type ValidationIssue, type ValidationIssueClass } from "./model/validate.js";
export { argCodes, type ArgCodeInfo } from "./model/codes.js";
export { HxError, formatDiagnostic, type Diagnostic, type SourceLocation } from "./frontend/source.js";
export type { Notice, Severity } from "./model/notices.js";
export type * from "./model/types.js";

// `diff` and `drift`'s public surface, for the CLI and library users.
export { diffSchemas, codeChangeLevel, changedDocSections, type DiffAspects, type DiffOptions } from "./diff.js";
export { compareDataTypes, lookupIn, type Direction, type TypeChange, type TypeLookup } from "./data-types.js";
export { changeLevels, countByLevel, diffExitCode, type Change, type ChangeKind, type ChangeLevel, type DiffFailOn, type DiffReport, type SideInfo } from "./change.js";
export { diffJsonVersion, diffSummary, formatDiffReports, type DiffFormat } from "./format.js";
export { parseVersionOf, sideOf, versionFromFileName } from "./versions.js";

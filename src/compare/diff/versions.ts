// Which QEMU version a file is: a .hx carries no version number, so it is given
// (`--version-of FILE=X.Y`) or read from the file's name (`33-2.7.0-qemu_qemu-1dc33ed90b.hx`).
import { fileBaseName } from "../../emit/common.js";
import type { SideInfo } from "./change.js";

/** The first dotted number in the file's name (`2.7.0`, `1.0`), or undefined. */
export function versionFromFileName(path: string): string | undefined {
  return /(?:^|[^0-9.])(\d+\.\d+(?:\.\d+)*)(?![0-9])/.exec(fileBaseName(path))?.[1];
}

/** `FILE=X.Y` as given to `--version-of`: the file as typed, or its base name. */
export function parseVersionOf(option: string): readonly [file: string, version: string] | undefined {
  const equals = option.lastIndexOf("=");
  if (equals <= 0 || equals === option.length - 1) return undefined;
  return [option.slice(0, equals), option.slice(equals + 1)];
}

/** The side a report names: the file, and its version with where the version came from. */
export function sideOf(path: string, versionsGiven: ReadonlyMap<string, string>): SideInfo {
  const given = versionsGiven.get(path) ?? versionsGiven.get(fileBaseName(path));
  if (given !== undefined) return { label: fileBaseName(path), version: { value: given, from: "option" } };
  const named = versionFromFileName(path);
  return { label: fileBaseName(path), version: named === undefined ? undefined : { value: named, from: "file name" } };
}

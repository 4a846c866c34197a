// `drift`: the bindings' model against a running QEMU, through the runtime's QmpClient and the
// same comparison as `diff`. Every QEMU that shipped a .hx answers `query-commands`; from 2.5
// on `query-qmp-schema` adds arguments, results and events.
import type { QmpClient } from "../../runtime/index.js";
import { QmpError } from "../../runtime/index.js";
import type { Schema } from "../../model/types.js";
import type { Change, DiffReport, SideInfo } from "../diff/change.js";
import { diffSchemas } from "../diff/diff.js";
import { schemaFromCommandList, schemaFromIntrospection } from "./introspect.js";

export interface LiveSchema {
  readonly schema: Schema;
  /** `query-qmp-schema` answered: arguments, results and events are known, not just names. */
  readonly introspected: boolean;
  readonly side: SideInfo;
}

/** Asks a connected QEMU what it offers. */
export async function readLiveSchema(qmp: QmpClient, where: string): Promise<LiveSchema> {
  const { major, minor, micro } = qmp.version.qemu;
  const version = `${major}.${minor}.${micro}`;
  const side: SideInfo = { label: `QEMU ${version} at ${where}`, version: { value: version, from: "greeting" } };
  const names = schemaFromCommandList(await qmp.execute("query-commands"), side.label);
  let introspection: unknown;
  try {
    introspection = await qmp.execute("query-qmp-schema");
  } catch (error) {
    // Before 2.5 there is no introspection: the command list is all there is.
    if (error instanceof QmpError && error.class === "CommandNotFound") return { schema: names, introspected: false, side };
    throw error;
  }
  const schema = schemaFromIntrospection(introspection, side.label);
  // query-qmp-schema lists QAPI's commands; query-commands is what the monitor dispatches.
  const listed = new Set(names.commands.map((command) => command.name));
  return { schema: { ...schema, commands: [...schema.commands.filter((command) => listed.has(command.name)), ...names.commands.filter((command) => !schema.commands.some((known) => known.name === command.name))] }, introspected: true, side };
}

/** The comparison, phrased for calls through the bindings: breaking means such a call fails on this QEMU. */
export function driftReport(bindings: Schema, bindingsSide: SideInfo, live: LiveSchema): DiffReport {
  const report = diffSchemas(bindings, live.schema, {
    mode: "drift",
    old: bindingsSide,
    new: live.side,
    compare: {
      arguments: live.introspected,
      argumentCodes: "json-type",
      openKeys: false,
      conditions: false,
      handlers: false,
      docs: false,
      results: live.introspected,
      events: live.introspected,
    },
  });
  const conditional = new Set(bindings.commands.filter((command) => command.conditions.length > 0).map((command) => command.name));
  return { ...report, changes: report.changes.map((change) => phrased(change, conditional)) };
}

function phrased(change: Change, conditional: ReadonlySet<string>): Change {
  if (change.subject !== "command") return change;
  const failing = (how: string): string => `calling ${change.name}${how} through these bindings will fail on this QEMU`;
  const argument = change.argument === undefined ? "" : `'${change.argument}'`;
  switch (change.kind) {
    case "command-removed":
      return { ...change, message: `not on this QEMU: ${failing("")} (CommandNotFound)${conditional.has(change.name) ? "; its #if may be false for this build (select the build with -D/-U)" : ""}` };
    case "command-added":
      return { ...change, message: "on this QEMU, not in these bindings" };
    default:
      if (change.level !== "breaking") return change;
      // What a call through the bindings must do to meet the difference.
      if (change.kind === "argument-added" || change.kind === "argument-required") return { ...change, message: `${change.message}; ${failing(` without ${argument}`)}` };
      return { ...change, message: `${change.message}; ${failing(argument ? ` with ${argument}` : "")}` };
  }
}

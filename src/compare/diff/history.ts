// A version history of commands across files in release order: the first file (version) in
// which each command and each of its arguments appear, read from diff's steps so that a command
// and an argument are "the same" exactly when `diff` says so. The result goes into the newest
// model (Command.firstIn, Argument.firstIn), where every emitter can show it.
import type { Argument, Command, FirstAppearance, Schema } from "../../model/types.js";
import { propertyArguments } from "../../emit/common.js";
import type { SideInfo } from "./change.js";
import { diffSchemas } from "./diff.js";

export interface HistoryFile {
  readonly schema: Schema;
  readonly side: SideInfo;
}

interface CommandFirst {
  readonly command: FirstAppearance;
  readonly arguments: Map<string, FirstAppearance>;
}

function appearance(side: SideInfo): FirstAppearance {
  return side.version ? { version: side.version.value, from: side.version.from === "option" ? "option" : "file name" } : { version: side.label, from: "file" };
}

/**
 * The newest file's model (the last of `files`) with `firstIn` set on every command and
 * argument. A command removed and added again counts from where it came back.
 */
export function withHistory(files: readonly HistoryFile[]): Schema {
  const [first, ...rest] = files;
  if (!first) throw new Error("withHistory: no files");
  const firsts = new Map<string, CommandFirst>();
  const start = (command: Command, at: FirstAppearance): void => {
    firsts.set(command.name, { command: at, arguments: new Map(propertyArguments(command).map((arg) => [arg.name, at])) });
  };
  for (const command of first.schema.commands) if (!firsts.has(command.name)) start(command, appearance(first.side));
  let previous = first;
  for (const file of rest) {
    const at = appearance(file.side);
    for (const change of diffSchemas(previous.schema, file.schema).changes) {
      if (change.subject !== "command") continue;
      const command = file.schema.commands.find((candidate) => candidate.name === change.name);
      if (change.kind === "command-added" && command) start(command, at);
      if (change.kind === "argument-added" && change.argument !== undefined) firsts.get(change.name)?.arguments.set(change.argument, at);
    }
    previous = file;
  }
  const newest = previous.schema;
  return {
    ...newest,
    commands: newest.commands.map((command): Command => {
      const known = firsts.get(command.name);
      if (!known) return command;
      return {
        ...command,
        firstIn: known.command,
        args: command.args.map((arg): Argument => {
          const firstIn = known.arguments.get(arg.name);
          return firstIn ? { ...arg, firstIn } : arg;
        }),
      };
    }),
  };
}

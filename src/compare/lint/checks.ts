// The checks behind the lint rules. Each reads only the model (src/model/types.ts); none
// looks at the .hx text again. They report through a callback and never decide severities
// beyond the rule's default, except duplicate-command, whose default depends on conditions.
import { argCodes, argsTypeItem, docTypeAgrees } from "../../model/codes.js";
import type { Severity } from "../../model/notices.js";
import type { Command, CommandDoc, ExampleMessage, Schema, SourceLocation } from "../../model/types.js";
import { exampleRequests, isJsonObject } from "../../model/examples.js";
import { misfit } from "../../model/data-check.js";
import { validateCommandArguments } from "../../model/validate.js";
import type { RuleId } from "./rules.js";

export type Report = (rule: RuleId, message: string, location: SourceLocation, severity?: Severity) => void;

export function runChecks(schema: Schema, report: Report): void {
  checkDuplicateCommands(schema, report);
  for (const command of schema.commands) checkCommand(command, report);
  checkExampleReplies(schema, report);
  for (const doc of schema.otherDocs) {
    if (doc.placeholder) {
      report("placeholder-doc", `placeholder doc block '${doc.title}': it has a title and nothing else`, doc.location);
    }
    checkDocShape(doc, report);
  }
}

function checkCommand(command: Command, report: Report): void {
  const { doc } = command;
  if (command.origin === "doc-only") {
    report("doc-without-entry", `'${command.name}' is documented but has no entry in the dispatch table`, command.location);
  }
  if (doc === undefined) {
    // Only table commands can lack a doc: the others were made from one.
    report("missing-doc", `'${command.name}' has a table entry but no SQMP doc block`, command.location);
    return;
  }
  if (command.origin === "table") checkArguments(command, doc, report);
  checkExamples(command, doc, report);
  checkTitle(command, doc, report);
  checkDocShape(doc, report);
}

// ---------------------------------------------------------------------------------------
// Arguments: args_type against the doc's Arguments list

function checkArguments(command: Command, doc: CommandDoc, report: Report): void {
  const tableArgs = command.args.filter((arg) => arg.source === "args_type");
  // An `O` argument stands for "further properties": its own name is never a key on the wire.
  const documentable = tableArgs.filter((arg) => arg.code !== "O");
  const section = doc.arguments;

  if (section?.none && documentable.length > 0) {
    const names = documentable.map((arg) => `'${argsTypeItem(arg)}'`).join(", ");
    report("doc-missing-argument", `the doc of '${command.name}' says "Arguments: None." but args_type declares ${names}`, section.location);
  } else {
    for (const arg of documentable) {
      if (arg.doc !== undefined) continue;
      const where = section === undefined ? "the doc has no Arguments section" : "it is not in the doc's Arguments list";
      report("doc-missing-argument", `argument '${arg.name}' of '${command.name}' (args_type '${argsTypeItem(arg)}') is undocumented: ${where}`, arg.location);
    }
  }

  // Keys an `O` command's doc lists are its properties (the model made them `source: "doc"`).
  if (!command.acceptsUnknownKeys) {
    const known = new Set(tableArgs.map((arg) => arg.name));
    for (const item of section?.items ?? []) {
      if (item.name === undefined || known.has(item.name)) continue;
      const declared = tableArgs.length === 0 ? "args_type is empty" : `args_type is '${command.argsType ?? ""}'`;
      report("doc-unknown-argument", `the doc of '${command.name}' lists argument '${item.name}', which args_type does not have (${declared})`, item.location);
    }
  }

  for (const arg of documentable) {
    const item = arg.doc;
    if (item === undefined) continue;
    if (item.optional !== arg.optional) {
      // "It's optional" in prose, or a misspelt annotation such as `(josn-string, optional)`.
      const hint = /\boptional\b/i.test(item.text) ? " (its text says optional, but not in a '(type, optional)' annotation)" : "";
      const message = arg.optional
        ? `'${arg.name}' of '${command.name}' is optional in args_type ('${argsTypeItem(arg)}') but the doc does not mark it optional${hint}`
        : `the doc marks '${arg.name}' of '${command.name}' optional but args_type requires it ('${argsTypeItem(arg)}')`;
      report("optional-mismatch", message, item.location);
    }
    if (item.type !== undefined && !docTypeAgrees(arg.code, item.type)) {
      report(
        "type-mismatch",
        `the doc types '${arg.name}' of '${command.name}' as ${item.type} but args_type code '${arg.code === "-" ? `-${arg.flag ?? ""}` : arg.code}' means ${argCodes[arg.code].docType}`,
        item.location,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------
// Examples

/** The first line of a message, short enough for a one-line finding. */
function excerpt(message: ExampleMessage): string {
  const [first = ""] = message.text.split("\n");
  const line = first.trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

function checkExamples(command: Command, doc: CommandDoc, report: Report): void {
  for (const example of doc.examples) {
    for (const part of example.parts) {
      if (part.kind === "message" && part.message.json === undefined) {
        const { message } = part;
        report("example-invalid-json", `example message in the doc of '${command.name}' is not valid JSON: ${message.direction} ${excerpt(message)}`, message.location);
      }
    }
  }
  for (const request of exampleRequests(doc)) {
    const { execute, message } = request;
    if (execute !== command.name) {
      report("example-other-command", `example in the doc of '${command.name}' executes '${execute}'`, message.location);
      continue;
    }
    // A doc-only command (query commands up to 0.15) has no args_type to check against.
    if (command.origin === "doc-only") continue;
    const issues = validateCommandArguments(command, request.arguments);
    if (issues.length > 0) {
      // Without a table (docs/qmp-commands.txt) the check is the one the doc itself implies.
      const by = command.origin === "table" ? "QEMU would reject" : "its documented Arguments reject";
      report("example-rejected", `${by} this example of '${command.name}': ${issues.map((issue) => issue.message).join("; ")}`, message.location);
    }
  }
}

/**
 * Example replies (`<- { "return": ... }` after a request of the command) and example events
 * against the type the docs (or QAPI) give; a type inferred from the examples is not checked
 * against them.
 */
function checkExampleReplies(schema: Schema, report: Report): void {
  for (const command of schema.commands) {
    const { result, doc } = command;
    if (!doc || !result || result.origin === "example") continue;
    for (const example of doc.examples) {
      let executing: string | undefined;
      for (const part of example.parts) {
        if (part.kind !== "message" || !isJsonObject(part.message.json)) continue;
        const json = part.message.json;
        if (part.message.direction === "->") executing = typeof json["execute"] === "string" ? json["execute"] : undefined;
        const value = json["return"];
        if (part.message.direction !== "<-" || value === undefined || (executing !== undefined && executing !== command.name)) continue;
        const found = misfit(result.type, value, "return", schema.types);
        if (found !== undefined) report("example-reply-mismatch", `an example reply of '${command.name}' does not fit its documented result type: ${found}`, part.message.location);
      }
    }
  }
  for (const event of schema.events) {
    if (!event.doc || !event.data || event.data.origin === "example") continue;
    for (const example of event.doc.examples) {
      for (const part of example.parts) {
        if (part.kind !== "message" || !isJsonObject(part.message.json) || part.message.json["event"] !== event.name) continue;
        const found = misfit(event.data.type, part.message.json["data"] ?? {}, "data", schema.types);
        if (found !== undefined) report("example-reply-mismatch", `an example of event '${event.name}' does not fit its documented data type: ${found}`, part.message.location);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Titles and block shape

const hasWhitespace = /\s/;

function checkTitle(command: Command, doc: CommandDoc, report: Report): void {
  const { title } = doc;
  if (title === command.name) return;
  let message: string;
  if (title.startsWith("@") && title.slice(1) === command.name) message = `doc title '${title}' of '${command.name}' has a leading '@'`;
  else if (hasWhitespace.test(title)) message = `doc title '${title}' is a sentence, not the command name '${command.name}'`;
  else message = `doc title '${title}' is not the command name '${command.name}'`;
  report("title-not-command-name", message, doc.location);
}

function checkDocShape(doc: CommandDoc, report: Report): void {
  // Code points, not UTF-16 units: an underline is typed one dash per visible character.
  const titleLength = [...doc.title].length;
  if (doc.underline !== undefined && doc.underline.length !== titleLength) {
    report(
      "title-underline-length",
      `underline of '${doc.title}' is ${doc.underline.length} characters long, the title ${titleLength}`,
      doc.underline.location,
    );
  }
  if (doc.unterminated) {
    report("unterminated-doc", `the SQMP block of '${doc.title}' is not closed by EQMP before the end of the file`, doc.location);
  }
}

// ---------------------------------------------------------------------------------------
// Duplicate table entries

function describeConditions(command: Command): string {
  return command.conditions.length === 0 ? "no #if" : command.conditions.map((condition) => condition.directive).join(" / ");
}

/**
 * Two entries can both be compiled only if neither sits under a condition the other lacks
 * in a way that excludes it; we do not evaluate C expressions, so "exclusive" here means:
 * both are conditional and neither's conditions include all of the other's (different
 * `#if` blocks or branches, the way per-target commands are written).
 */
function underDifferentConditions(first: Command, second: Command): boolean {
  if (first.conditions.length === 0 || second.conditions.length === 0) return false;
  const a = new Set(first.conditions.map((condition) => condition.expression));
  const b = new Set(second.conditions.map((condition) => condition.expression));
  const aInB = [...a].every((expression) => b.has(expression));
  const bInA = [...b].every((expression) => a.has(expression));
  return !aInB && !bInA;
}

function checkDuplicateCommands(schema: Schema, report: Report): void {
  const earlierByName = new Map<string, Command[]>();
  for (const command of schema.commands) {
    if (command.origin !== "table") continue;
    const earlier = earlierByName.get(command.name) ?? [];
    earlierByName.set(command.name, [...earlier, command]);
    const [first] = earlier;
    if (first === undefined) continue;
    // Against a third entry, the one it can clash with matters more than the first.
    const clash = earlier.find((other) => !underDifferentConditions(other, command));
    const other = clash ?? first;
    const where = `${other.location.file}:${other.location.line}:${other.location.column}`;
    report(
      "duplicate-command",
      `'${command.name}' is already in the table at ${where} (${describeConditions(other)}); this entry is under ${describeConditions(command)}` +
        (clash ? ": both can be compiled in" : ": different conditions, so at most one is likely compiled in"),
      command.location,
      clash ? undefined : "info",
    );
  }
}

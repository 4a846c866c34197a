// The events document front end (grammar start rule EventsFile, src/frontend/hx/events.ts) on
// an inline document in qmp-events.txt's style.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEvents } from "../../src/index.js";
import type { DataType } from "../../src/model/types.js";

const document = `                   QEMU Machine Protocol Events
                   ============================

BLOCK_JOB_ERROR
---------------

Emitted when a block job encounters an error.

Data:

- "device": device name (json-string)
- "len": maximum progress value (json-int)
- "action": action that has been taken, it's one of the following (json-string):
    "ignore": error has been ignored
    "stop": error caused job to be paused

Example:

{ "event": "BLOCK_JOB_ERROR",
    "data": { "device": "ide0-hd1", "len": 10, "action": "stop" },
    "timestamp": { "seconds": 1265044230, "microseconds": 450486 } }

RESET
-----

Emitted when the Virtual Machine is reset.

Data: None.

Example:

{ "event": "RESET",
    "timestamp": { "seconds": 1267041653, "microseconds": 9518 } }

ACPI_DEVICE_OST
---------------

Emitted when guest executes ACPI _OST method.

 - data: ACPIOSTInfo type as described in qapi-schema.json

{ "event": "ACPI_DEVICE_OST",
     "data": { "device": "d1", "source": 1 } }

{ not JSON, kept as text
`;

function shape(type: DataType | undefined): unknown {
  return JSON.parse(JSON.stringify(type, (key, value: unknown) => (key === "location" || key === "description" ? undefined : value)));
}

describe("events document", () => {
  const events = parseEvents(document, "qmp-events.txt");

  it("finds each event, not the centred heading, with its doc", () => {
    assert.deepEqual(events.map((event) => [event.name, event.location.line]), [
      ["BLOCK_JOB_ERROR", 4],
      ["RESET", 23],
      ["ACPI_DEVICE_OST", 35],
    ]);
    assert.match(events[0]?.doc?.description[0]?.kind === "text" ? events[0].doc.description[0].text : "", /^Emitted when a block job/);
    const message = events[0]?.doc?.examples[0]?.parts[0];
    assert.equal(message?.kind === "message" ? message.message.location.line : 0, 19);
    assert.match(message?.kind === "message" ? message.message.text : "", /^\{ "event": "BLOCK_JOB_ERROR",\n +"data": /);
  });

  it("types Data items (with a value list), Data: None, and else the example's data", () => {
    assert.deepEqual(shape(events[0]?.data?.type), {
      kind: "object",
      open: false,
      members: [
        { name: "device", type: { kind: "string" }, optional: false },
        { name: "len", type: { kind: "integer", int64: true }, optional: false },
        { name: "action", type: { kind: "enum", values: ["ignore", "stop"] }, optional: false },
      ],
    });
    assert.equal(events[0]?.data?.origin, "docs");
    assert.deepEqual(shape(events[1]?.data?.type), { kind: "object", members: [], open: false });
    assert.equal(events[2]?.data?.origin, "example");
    assert.deepEqual(shape(events[2]?.data?.type), {
      kind: "object",
      open: true,
      members: [
        { name: "device", type: { kind: "string" }, optional: false },
        { name: "source", type: { kind: "integer", int64: true }, optional: false },
      ],
    });
  });
});

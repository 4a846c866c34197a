import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ConnectionClosedError,
  ProtocolError,
  QmpError,
  QmpHxError,
  TimeoutError,
  ValidationError,
} from "../../src/runtime/index.js";

test("every error is a QmpHxError with its own name", () => {
  const errors = [
    new QmpError("stop", "GenericError", "nope", 3),
    new ValidationError("stop", []),
    new ConnectionClosedError("gone"),
    new ProtocolError("bad"),
    new TimeoutError("slow", 5),
  ];
  for (const error of errors) {
    assert.ok(error instanceof QmpHxError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, error.constructor.name);
  }
});

test("ValidationError lists every issue in its message, keeps them, and gives the first as QEMU's reply", () => {
  const issues = [
    { path: "arguments.target", kind: "missing", class: "MissingParameter", message: "Parameter 'target' is missing", data: { name: "target" } },
    { path: "arguments.speed", kind: "wrong-type", class: "InvalidParameterType", message: "Invalid parameter type for 'speed', expected: int" },
  ] as const;
  const error = new ValidationError("blockdev-backup", issues);
  assert.equal(error.command, "blockdev-backup");
  assert.deepEqual(error.issues, issues);
  assert.deepEqual(error.reply, { class: "MissingParameter", desc: "Parameter 'target' is missing", data: { name: "target" } });
  assert.deepEqual(new ValidationError("x", issues.slice(1)).reply, { class: "InvalidParameterType", desc: "Invalid parameter type for 'speed', expected: int" });
  assert.equal(new ValidationError("x", [{ path: "arguments.n", kind: "unencodable", class: "Unencodable", message: "NaN is not a JSON number" }]).reply, undefined);
  assert.equal(
    error.message,
    "invalid arguments for blockdev-backup (2 issues):\n" +
      "  - arguments.target: Parameter 'target' is missing [MissingParameter]\n" +
      "  - arguments.speed: Invalid parameter type for 'speed', expected: int [InvalidParameterType]",
  );
});

test("ProtocolError keeps at most 200 characters of the line", () => {
  const error = new ProtocolError("received a line that is not JSON", "x".repeat(500));
  assert.equal(error.line, `${"x".repeat(200)}…`);
  assert.ok(error.message.length < 260);
});

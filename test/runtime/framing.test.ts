import assert from "node:assert/strict";
import { test } from "node:test";
import { LineSplitter, LineTooLongError } from "../../src/runtime/framing.js";

function split(chunks: (string | Buffer)[], max = 1024): string[] {
  const splitter = new LineSplitter(max);
  const lines: string[] = [];
  for (const chunk of chunks) splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk, (line) => void lines.push(line));
  return lines;
}

test("splits on \\n and strips a \\r before it", () => {
  assert.deepEqual(split(['{"a":1}\r\n{"b":2}\n{"c":"x\\r"}\r\n']), ['{"a":1}', '{"b":2}', '{"c":"x\\r"}']);
});

test("joins a message split across many reads, byte by byte", () => {
  const text = '{"return": {"status": "running"}, "id": 1}\r\n{"event": "STOP"}\r\n';
  const bytes = [...Buffer.from(text)].map((byte) => Buffer.from([byte]));
  assert.deepEqual(split(bytes), ['{"return": {"status": "running"}, "id": 1}', '{"event": "STOP"}']);
});

test("a \\r\\n split between two reads", () => {
  assert.deepEqual(split(['{"a":1}\r', '\n{"b":2}\r', "\n"]), ['{"a":1}', '{"b":2}']);
});

test("decodes a multi-byte character split across reads", () => {
  const bytes = Buffer.from('"é😀"\n');
  assert.deepEqual(split([bytes.subarray(0, 2), bytes.subarray(2, 5), bytes.subarray(5)]), ['"é😀"']);
});

test("skips blank lines and keeps the unterminated rest for later", () => {
  const splitter = new LineSplitter(1024);
  const lines: string[] = [];
  splitter.push(Buffer.from('\r\n\n{"a":1}\n{"b"'), (line) => void lines.push(line));
  assert.deepEqual(lines, ['{"a":1}']);
  assert.equal(splitter.bufferedBytes, 4);
  splitter.push(Buffer.from(":2}\n"), (line) => void lines.push(line));
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
  assert.equal(splitter.bufferedBytes, 0);
});

test("stops when the callback returns false", () => {
  const splitter = new LineSplitter(1024);
  const lines: string[] = [];
  splitter.push(Buffer.from("1\n2\n3\n"), (line) => {
    lines.push(line);
    return line !== "2";
  });
  assert.deepEqual(lines, ["1", "2"]);
});

test("a line at the limit passes; one byte more fails, after the lines before it", () => {
  assert.deepEqual(split([`${"x".repeat(8)}\r\n`], 8), ["x".repeat(8)]);
  const lines: string[] = [];
  const splitter = new LineSplitter(8);
  assert.throws(
    () => splitter.push(Buffer.from(`ok\n${"x".repeat(9)}\n`), (line) => void lines.push(line)),
    (error: unknown) => error instanceof LineTooLongError && error.limit === 8,
  );
  assert.deepEqual(lines, ["ok"]);
});

test("an unterminated message fails as soon as it is over the limit, without waiting for its end", () => {
  const splitter = new LineSplitter(8);
  splitter.push(Buffer.from("12345"), () => assert.fail("no line expected"));
  assert.throws(() => splitter.push(Buffer.from("6789x"), () => assert.fail("no line expected")), LineTooLongError);
});

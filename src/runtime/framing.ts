// QMP frames every message as one line of JSON ending in "\r\n" (QEMU escapes newlines inside
// strings, so a raw newline always ends a message). Reads may split a message or carry several;
// this turns a byte stream back into whole lines.
//
// Lines are cut on bytes, before decoding: 0x0a never occurs inside a multi-byte UTF-8 sequence,
// so a character split across two reads is decoded whole.

/** Thrown by LineSplitter.push when a line outgrows the limit; the stream cannot be resynchronised cheaply. */
export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`message longer than ${limit} bytes`);
    this.name = "LineTooLongError";
  }
}

export class LineSplitter {
  // Bytes of the line not yet terminated, as received (concatenated only once the line ends).
  private parts: Buffer[] = [];
  private partBytes = 0;

  /** @param maxLineBytes longest accepted line, without its "\r\n" */
  constructor(private readonly maxLineBytes: number) {}

  /**
   * Feeds a chunk; calls `onLine` for each complete, non-blank line, without its line ending.
   * `onLine` returning `false` stops the splitting (the rest of the chunk is dropped).
   * Throws LineTooLongError after the lines before the oversized one were delivered.
   */
  push(chunk: Buffer, onLine: (line: string) => boolean | void): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      let line: Buffer | undefined;
      let from = start;
      let to = nl;
      if (this.parts.length > 0) {
        this.parts.push(chunk.subarray(start, nl));
        line = Buffer.concat(this.parts, this.partBytes + nl - start);
        this.parts = [];
        this.partBytes = 0;
        from = 0;
        to = line.length;
      }
      const bytes = line ?? chunk;
      if (to > from && bytes[to - 1] === 0x0d) to--;
      start = nl + 1;
      if (to - from > this.maxLineBytes) throw new LineTooLongError(this.maxLineBytes);
      if (to > from && onLine(bytes.toString("utf8", from, to)) === false) return;
    }
    if (start < chunk.length) {
      // Fail as soon as the unterminated part is too long, rather than buffering without bound.
      // (+1: the part may still end in the "\r" of its "\r\n".)
      if (this.partBytes + chunk.length - start > this.maxLineBytes + 1) throw new LineTooLongError(this.maxLineBytes);
      this.parts.push(start === 0 ? chunk : chunk.subarray(start));
      this.partBytes += chunk.length - start;
    }
  }

  /** Bytes received after the last line ending. */
  get bufferedBytes(): number {
    return this.partBytes;
  }
}

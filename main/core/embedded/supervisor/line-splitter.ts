/** Splits a byte stream into lines; a partial last line is kept until more data or flush(). */
export class LineSplitter {
  private buf = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    this.buf += chunk.toString();
    let nl = this.buf.indexOf('\n');
    while (nl >= 0) {
      this.onLine(this.buf.slice(0, nl).replace(/\r$/, ''));
      this.buf = this.buf.slice(nl + 1);
      nl = this.buf.indexOf('\n');
    }
    // A child that never prints a newline must not grow memory without bound.
    if (this.buf.length > 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.buf.length > 0) this.onLine(this.buf);
    this.buf = '';
  }
}

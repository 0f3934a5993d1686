// The last non-empty line a run wrote to stderr, kept from its chunks without holding the whole output: what a
// failed command run is known by (its error message), so failures group by cause rather than by exit code.

/** Lines past this many characters are cut: a failure reason is one line, not a dump. */
const MAX_LINE = 500;

export class LastStderrLine {
  private partial = '';
  private last = '';

  push(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!.slice(-MAX_LINE * 2);
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]!.trim();
      if (line) {
        this.last = line;
        break;
      }
    }
  }

  /** The last non-empty line, counting an unterminated final line; '' when there was none. */
  get line(): string {
    const line = this.partial.trim() || this.last;
    return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
  }
}

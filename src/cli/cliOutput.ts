// Where the CLI writes: plain text or --json documents on stdout, errors on stderr.

export interface CliOutput {
  json: boolean;
  /** Whether stdout is a terminal (live progress line instead of plain lines). */
  tty: boolean;
  line(text: string): void;
  /** Rewrites the current terminal line (only when tty). */
  status(text: string): void;
  document(value: unknown): void;
  error(text: string): void;
}

export function processOutput(json: boolean): CliOutput {
  const tty = Boolean(process.stdout.isTTY) && !json;
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) {
      process.stdout.write('\r\x1b[2K');
      statusShown = false;
    }
  };
  return {
    json,
    tty,
    line(text) {
      // After EPIPE (see main.ts) stdout is destroyed: nothing more to say to a reader that left.
      if (json || process.stdout.destroyed) return;
      clearStatus();
      process.stdout.write(text + '\n');
    },
    status(text) {
      if (!tty || process.stdout.destroyed) return;
      process.stdout.write('\r\x1b[2K' + text);
      statusShown = true;
    },
    document(value) {
      if (process.stdout.destroyed) return;
      process.stdout.write(JSON.stringify(value, null, 2) + '\n');
    },
    error(text) {
      clearStatus();
      process.stderr.write(text + '\n');
    },
  };
}

// RunLogWriter: appends one running run's output to its log file without blocking the event loop on each chunk.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Output waiting for the disk, per run. Past it, output is dropped (and the gap marked in the file) rather
 * than held: a run printing faster than the disk writes must not grow the engine's memory without bound.
 */
export const RUN_LOG_MAX_BUFFERED_CHARS = 8 * 1024 * 1024;

/**
 * One open handle per running attempt, opened on the first output and closed by close(). Chunks collect in
 * memory while a write is in flight, so a burst of output costs one write, not one per chunk. A write that
 * fails (disk full, folder removed) is reported once and ends writing for this attempt: the state file's tail
 * still has the run's last output.
 */
export class RunLogWriter {
  private handle: fs.promises.FileHandle | undefined;
  private chunks: string[] = [];
  private buffered = 0;
  private droppedChars = 0;
  private draining: Promise<void> | undefined;
  private failed = false;
  private closed = false;

  constructor(
    readonly file: string,
    private readonly onError: (error: Error) => void = () => undefined,
    private readonly maxBufferedChars: number = RUN_LOG_MAX_BUFFERED_CHARS,
  ) {}

  write(text: string): void {
    if (this.failed || this.closed || text === '') return;
    if (this.buffered + text.length > this.maxBufferedChars && this.buffered > 0) {
      this.droppedChars += text.length;
      return;
    }
    this.chunks.push(text);
    this.buffered += text.length;
    this.draining ??= this.drain();
  }

  /** Resolves once everything written so far is in the file and the handle is closed. Never rejects. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private async drain(): Promise<void> {
    try {
      if (!this.handle) {
        await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
        this.handle = await fs.promises.open(this.file, 'a');
      }
      while (this.chunks.length > 0) {
        let batch = this.chunks.join('');
        this.chunks = [];
        this.buffered = 0;
        // Everything dropped arrived after this batch and before whatever comes next.
        if (this.droppedChars > 0) {
          batch += `${batch.endsWith('\n') ? '' : '\n'}[... ${this.droppedChars} characters of output not written: it came faster than the disk took it ...]\n`;
          this.droppedChars = 0;
        }
        await this.handle.write(batch);
      }
    } catch (e) {
      this.failed = true;
      this.chunks = [];
      this.buffered = 0;
      this.onError(new Error(`could not write the run log ${this.file}: ${e instanceof Error ? e.message : String(e)}; the state file keeps the run's last output`));
    } finally {
      this.draining = undefined;
    }
  }
}

// Keeps a run's log to a bounded tail: older text is dropped and counted in a truncation marker.

/**
 * Per-run log budget in UTF-8 bytes. The whole output is in the run's log file (runLogFiles.ts); the state file
 * keeps this much for a quick look and for runs whose file could not be written.
 */
export const RUN_LOG_TAIL_BYTES = 16 * 1024;

/** How far past the cut we look for a line break, so the kept tail starts at a whole line when it can. */
const LINE_ALIGN_BYTES = 4 * 1024;

export interface LogTail {
  tail: string;
  truncatedBytes: number;
}

export function appendToLogTail(current: LogTail, text: string, limitBytes: number = RUN_LOG_TAIL_BYTES): LogTail {
  const combined = current.tail + text;
  if (Buffer.byteLength(combined, 'utf8') <= limitBytes) return { tail: combined, truncatedBytes: current.truncatedBytes };
  const bytes = Buffer.from(combined, 'utf8');
  let cut = bytes.length - limitBytes;
  const newline = bytes.indexOf(0x0a, cut);
  if (newline >= 0 && newline - cut < LINE_ALIGN_BYTES && newline + 1 < bytes.length) cut = newline + 1;
  // Never start inside a multi-byte character.
  while (cut < bytes.length && (bytes[cut]! & 0xc0) === 0x80) cut++;
  return { tail: bytes.subarray(cut).toString('utf8'), truncatedBytes: current.truncatedBytes + cut };
}

export function formatRunLog(log: LogTail): string {
  return log.truncatedBytes > 0 ? `[... ${log.truncatedBytes} bytes truncated ...]\n${log.tail}` : log.tail;
}

// Coalesces a burst of change events into one panel update at most every `intervalMs` (the panels' batching).

/** schedule() runs `update` once, `intervalMs` after the first call of a burst; later calls join it. */
export class CoalescedUpdate {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly update: () => void | Promise<void>,
    private readonly intervalMs: number,
  ) {}

  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, this.intervalMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

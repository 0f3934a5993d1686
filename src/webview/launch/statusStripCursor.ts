// StatusStripCursor: the keyboard cursor of the launch panel's status strip and the range Shift extends from its anchor.

/** What a key did: moved the cursor, asked to apply the range, dropped the range, or nothing (left to the page). */
export type StripKeyAction = 'moved' | 'apply' | 'cleared' | null;

export class StatusStripCursor {
  /** The partition index the cursor is on, or -1 before the strip was first focused. */
  index = -1;
  private anchor = -1;
  private extending = false;

  /** The range Shift has extended (from the anchor to the cursor, in order), or null while none is. */
  get range(): [number, number] | null {
    if (!this.extending || this.index < 0) return null;
    return this.anchor <= this.index ? [this.anchor, this.index] : [this.index, this.anchor];
  }

  /** Puts the cursor on `index`; with `extend`, keeps the anchor so the range grows or shrinks. */
  moveTo(index: number, extend: boolean): void {
    if (!extend || !this.extending) this.anchor = extend && this.index >= 0 ? this.index : index;
    this.extending = extend;
    this.index = index;
  }

  /** Keeps the cursor inside `count` partitions; `start` is where it goes when it has no place yet. */
  fit(count: number, start: number): void {
    if (count === 0) {
      this.index = -1;
      this.extending = false;
    } else if (this.index < 0 || this.index >= count) this.moveTo(Math.min(Math.max(start, 0), count - 1), false);
    else if (this.anchor >= count) this.moveTo(this.index, false);
  }

  /** Applies one key press to a strip of `count` partitions. */
  key(key: string, shift: boolean, count: number): StripKeyAction {
    if (count === 0) return null;
    // A tenth of the strip, so ten presses of Page Down cross it whatever its length.
    const page = Math.max(1, Math.ceil(count / 10));
    const at = Math.max(0, this.index);
    const target: Record<string, number> = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: count - 1, PageUp: at - page, PageDown: at + page };
    if (key in target) {
      this.moveTo(Math.max(0, Math.min(count - 1, target[key]!)), shift);
      return 'moved';
    }
    if (key === 'Enter' || key === ' ') return this.index >= 0 ? 'apply' : null;
    if (key === 'Escape' && this.extending) {
      this.moveTo(this.index, false);
      return 'cleared';
    }
    return null;
  }
}

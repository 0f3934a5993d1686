// Keeps a table body's rows in step with a list of items by key, reusing rows so updates patch cells in place.
export interface KeyedRow {
  readonly row: HTMLTableRowElement;
}

export class KeyedTableRows<T, R extends KeyedRow> {
  private readonly rows = new Map<string, R>();

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly keyOf: (item: T) => string,
    private readonly createRow: (item: T) => R,
    private readonly patchRow: (row: R, item: T) => void,
  ) {}

  /** Makes the body show exactly `items` in order; duplicate keys after the first are ignored. */
  update(items: readonly T[]): void {
    const seen = new Set<string>();
    let position = 0;
    for (const item of items) {
      const key = this.keyOf(item);
      if (seen.has(key)) continue;
      seen.add(key);
      let refs = this.rows.get(key);
      if (!refs) {
        refs = this.createRow(item);
        this.rows.set(key, refs);
      }
      this.patchRow(refs, item);
      const current = this.body.rows[position];
      // Rows already in place are left alone; moving only out-of-order rows keeps steady-state updates DOM-free.
      if (current !== refs.row) this.body.insertBefore(refs.row, current ?? null);
      position++;
    }
    for (const [key, refs] of this.rows) {
      if (!seen.has(key)) {
        refs.row.remove();
        this.rows.delete(key);
      }
    }
  }
}

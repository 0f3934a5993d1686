// Builds an empty data table with a header row, used by the targets and runs sections.
import { createElement } from '../domElement';

export interface DataTable {
  readonly table: HTMLTableElement;
  readonly body: HTMLTableSectionElement;
}

/** Columns whose class ends in "-numeric" are right-aligned by the stylesheet; `title` explains a terse heading on hover. */
export function createDataTable(id: string, caption: string, columns: readonly { label: string; className: string; title?: string }[]): DataTable {
  const table = createElement('table', 'data-table');
  table.id = id;
  table.append(createElement('caption', 'visually-hidden', caption));
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = createElement('th', column.className, column.label);
    th.scope = 'col';
    if (column.title) th.title = column.title;
    head.append(th);
  }
  const body = table.createTBody();
  return { table, body };
}

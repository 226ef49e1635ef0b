// The status × type × template pivot: one row per type and template, one column per status, each non-zero
// count a button that filters the tree to exactly those requests. Columns sort by a click on their heading
// (again to reverse); the sort is kept with the webview's state.
import type { RequestStatusName } from '../../cm/codes';
import { REQUEST_STATUSES } from '../../cm/codes';
import { button, el } from './dom';
import { numberText } from './pageLanguage';
import * as l10n from '@vscode/l10n';

export interface PivotSort {
  /** 'template', 'type', 'total' or a status name. */
  readonly column: string;
  readonly descending: boolean;
}

export const DEFAULT_PIVOT_SORT: PivotSort = { column: 'total', descending: true };

interface PivotRow {
  readonly type: string;
  readonly template: string;
  readonly templateLabel: string;
  readonly counts: Partial<Record<RequestStatusName, number>>;
  readonly total: number;
}

export interface PivotCallbacks {
  filter(status: RequestStatusName, type: string, template: string): void;
  sorted(sort: PivotSort): void;
}

export function pivotTable(
  pivot: readonly (readonly [RequestStatusName, string, string, number])[],
  templates: Readonly<Record<string, string>>,
  sort: PivotSort,
  callbacks: PivotCallbacks,
): HTMLElement {
  const rows = new Map<string, { type: string; template: string; counts: Partial<Record<RequestStatusName, number>>; total: number }>();
  const columnTotals: Partial<Record<RequestStatusName, number>> = {};
  for (const [status, type, template, count] of pivot) {
    const key = `${type}\u0000${template}`;
    const row = rows.get(key) ?? { type, template, counts: {}, total: 0 };
    row.counts[status] = (row.counts[status] ?? 0) + count;
    row.total += count;
    rows.set(key, row);
    columnTotals[status] = (columnTotals[status] ?? 0) + count;
  }
  const statuses = REQUEST_STATUSES.filter((status) => (columnTotals[status] ?? 0) > 0);
  const sorted: PivotRow[] = [...rows.values()]
    .map((row) => ({ ...row, templateLabel: templates[row.template] ?? row.template }))
    .sort(comparator(sort));

  const heading = (column: string, label: string): HTMLTableCellElement => {
    const active = sort.column === column;
    return el(
      'th',
      { scope: 'col', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none' },
      button(`${label}${active ? (sort.descending ? ' ▼' : ' ▲') : ''}`, { class: 'sort', 'data-key': `sort-${column}` }, () =>
        callbacks.sorted({ column, descending: active ? !sort.descending : column !== 'template' && column !== 'type' }),
      ),
    );
  };
  const body = sorted.map((row) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, row.templateLabel),
      el('td', {}, row.type),
      ...statuses.map((status) => {
        const count = row.counts[status] ?? 0;
        return el(
          'td',
          { class: 'number' },
          count === 0
            ? el('span', { class: 'zero', 'aria-label': 'none' }, '·')
            : button(
                numberText(count),
                {
                  class: 'cell',
                  'data-key': `cell-${status}-${row.type}-${row.template}`,
                  'data-status': status,
                  'data-type': row.type,
                  'data-template': row.template,
                  'aria-label': l10n.t`${numberText(count)} ${status} ${row.type} requests for ${row.templateLabel}: show them in the tree`,
                },
                () => callbacks.filter(status, row.type, row.template),
              ),
        );
      }),
      el('td', { class: 'number total' }, row.total),
    ),
  );
  const grandTotal = statuses.reduce((sum, status) => sum + (columnTotals[status] ?? 0), 0);
  return el(
    'div',
    { class: 'table-scroll' },
    el(
      'table',
      { class: 'pivot', 'data-table': 'pivot' },
      el(
        'caption',
        { class: 'visually-hidden' },
        l10n.t('Requests by template, type and status. Each count shows those requests in the tree.'),
      ),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          heading('template', l10n.t('Template')),
          heading('type', l10n.t('Type')),
          ...statuses.map((status) => heading(status, status)),
          heading('total', l10n.t('Total')),
        ),
      ),
      el('tbody', {}, ...body),
      el(
        'tfoot',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, l10n.t('Total')),
          el('td', {}),
          ...statuses.map((status) => el('td', { class: 'number' }, columnTotals[status] ?? 0)),
          el('td', { class: 'number total' }, grandTotal),
        ),
      ),
    ),
  );
}

function comparator(sort: PivotSort): (a: PivotRow, b: PivotRow) => number {
  const direction = sort.descending ? -1 : 1;
  const byName = (a: PivotRow, b: PivotRow): number => a.templateLabel.localeCompare(b.templateLabel) || a.type.localeCompare(b.type);
  return (a, b) => {
    if (sort.column === 'template') {
      return direction * byName(a, b);
    }
    if (sort.column === 'type') {
      return direction * (a.type.localeCompare(b.type) || a.templateLabel.localeCompare(b.templateLabel));
    }
    const value = (row: PivotRow): number => (sort.column === 'total' ? row.total : (row.counts[sort.column as RequestStatusName] ?? 0));
    return direction * (value(a) - value(b)) || byName(a, b);
  };
}

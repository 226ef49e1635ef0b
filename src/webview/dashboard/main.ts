// The dashboard webview: draws the figures the extension sends (it never talks to the CM server), keeps its
// range and pivot sort in the webview state (restored after a reload), and asks the extension to filter the
// tree, open a request, refresh or export.
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import { REQUEST_STATUSES, type RequestStatusName } from '../../cm/codes';
import type { DashboardFigures, DurationFigures } from '../../model/dashboardFigures';
import type { DashboardState, FromDashboard, ToDashboard } from '../../model/dashboardMessages';
import { formatAge } from '../../model/requestAge';
import { ageBucketLabels, DASHBOARD_RANGES, DAY, formatDuration, rangeLabel, type DashboardRange } from '../../model/dashboardScales';
import { button, el, themeColor } from './dom';
import { DEFAULT_PIVOT_SORT, pivotTable, type PivotSort } from './pivotTable';
import { stackedBars, type StackedBars, type StackedSeries } from './stackedBars';
import { numberText, pageLanguage, setPageLanguage } from './pageLanguage';
import * as l10n from '@vscode/l10n';

interface WebviewState extends DashboardState {
  readonly pivotSort?: PivotSort;
}

declare function acquireVsCodeApi(): {
  postMessage(message: FromDashboard): void;
  getState(): Partial<WebviewState> | undefined;
  setState(state: WebviewState): void;
};

const vscode = acquireVsCodeApi();
const root = document.getElementById('dashboard') as HTMLElement;
// The extension hands over VS Code's translations; every string drawn below goes through them.
l10n.config({ contents: JSON.parse(root.dataset.l10n ?? '{}') as Record<string, string> });
setPageLanguage(root.dataset.language);
let last: ToDashboard | undefined;
let charts: StackedBars[] = [];
let draws = 0;
let pivotSort: PivotSort = vscode.getState()?.pivotSort ?? DEFAULT_PIVOT_SORT;

/** Status colours come from the theme's chart colours (see dashboard.css), so every theme reads well. */
const statusColor = (status: RequestStatusName): string => themeColor(`--mimcm-status-${status}`, '#888');

function saveState(serverId: string, range: DashboardRange): void {
  vscode.setState({ serverId, range, pivotSort });
}

function render(message: ToDashboard): void {
  last = message;
  // A redraw (a refresh, a filter) must not lose the reader's place: focus and open tables are put back.
  const focused = document.activeElement?.getAttribute('data-key');
  const open = new Set([...root.querySelectorAll('details[open]')].map((details) => details.getAttribute('data-key')));
  for (const chart of charts) {
    chart.destroy();
  }
  charts = [];
  if (message.kind === 'empty') {
    root.replaceChildren(
      el('h1', {}, l10n.t`CM Dashboard: ${message.server}`),
      el('p', { class: 'note', role: 'status', 'data-figure': 'empty' }, message.message),
      ...(message.loading ? [] : [button(l10n.t('Refresh'), { 'data-key': 'refresh' }, () => vscode.postMessage({ kind: 'refresh' }))]),
    );
  } else {
    saveState(message.serverId, message.range);
    root.replaceChildren(...figuresPage(message));
    for (const chart of charts) {
      chart.mount();
    }
  }
  for (const details of root.querySelectorAll('details')) {
    if (open.has(details.getAttribute('data-key'))) {
      details.open = true;
    }
  }
  if (focused !== null && focused !== undefined) {
    root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  }
  root.setAttribute('aria-busy', String(message.loading));
  // Tests and the benchmark wait for this: how many times figures were drawn (0 while there are none).
  draws = message.kind === 'figures' ? draws + 1 : 0;
  document.body.dataset.drawn = String(draws);
}

function figuresPage(message: Extract<ToDashboard, { kind: 'figures' }>): Node[] {
  const { figures } = message;
  return [
    el(
      'header',
      {},
      el('h1', {}, l10n.t`CM Dashboard: ${message.server}`),
      el('p', { class: 'meta' }, l10n.t`${message.hostLabel} · loaded ${message.loadedAt} · statuses: ${message.statuses.join(', ')}`),
      el(
        'div',
        { class: 'actions' },
        button(l10n.t('Refresh'), { 'data-key': 'refresh' }, () => vscode.postMessage({ kind: 'refresh' })),
        button(l10n.t('Export Pivot...'), { 'data-key': 'export-pivot' }, () => vscode.postMessage({ kind: 'exportPivot' })),
      ),
    ),
    el(
      'div',
      { class: 'banners', role: 'status' },
      message.loading ? el('p', { class: 'banner' }, l10n.t('Refreshing…')) : undefined,
      message.stale === undefined
        ? undefined
        : el(
            'p',
            { class: 'banner warning' },
            l10n.t`The last refresh failed (${message.stale}); these figures are from the load before it.`,
          ),
      message.filter === undefined
        ? undefined
        : el(
            'p',
            { class: 'banner', 'data-figure': 'filter' },
            l10n.t`Only the ${numberText(figures.total)} requests that match the filter “${message.filter}”. `,
            button(l10n.t('Clear Filter'), { 'data-key': 'clear-filter' }, () => vscode.postMessage({ kind: 'clearFilter' })),
          ),
    ),
    headline(figures, message.now),
    submissionsSection(message),
    agingSection(figures),
    el(
      'section',
      { 'aria-labelledby': 'pivot-title' },
      el('h2', { id: 'pivot-title' }, l10n.t('Requests by status, type and template')),
      figures.pivot.length === 0
        ? el('p', { class: 'note' }, l10n.t('No requests.'))
        : pivotTable(figures.pivot, figures.templates, pivotSort, {
            filter: (status, type, template) => vscode.postMessage({ kind: 'filter', status, type, template }),
            sorted: (sort) => {
              pivotSort = sort;
              saveState(message.serverId, message.range);
              render(message);
            },
          }),
    ),
    el(
      'section',
      { 'aria-labelledby': 'durations-title' },
      el('h2', { id: 'durations-title' }, l10n.t('Time to complete')),
      el('p', { class: 'note' }, l10n.t('From submission to completion, for Completed requests.')),
      el(
        'div',
        { class: 'columns' },
        durationTable(l10n.t('By type'), l10n.t('Type'), 'durations-type', figures.durationsByType),
        durationTable(l10n.t('By template'), l10n.t('Template'), 'durations-template', figures.durationsByTemplate),
      ),
    ),
  ];
}

function headline(figures: DashboardFigures, now: number): HTMLElement {
  const card = (key: string, label: string, value: Node | string, detail?: Node | string): HTMLElement =>
    el(
      'div',
      { class: 'card', 'data-figure': key },
      el('p', { class: 'label' }, label),
      el('p', { class: 'value' }, value),
      detail === undefined ? undefined : el('p', { class: 'detail' }, detail),
    );
  const finished = (figures.byStatus.Completed ?? 0) + (figures.byStatus.Failed ?? 0);
  const oldest = figures.oldestOpen;
  return el(
    'section',
    { class: 'headline', 'aria-label': l10n.t('Headline figures') },
    card(
      'open',
      l10n.t('Open requests'),
      numberText(figures.open),
      (['Pending', 'Approved', 'Executing'] as const).map((status) => `${status} ${numberText(figures.byStatus[status] ?? 0)}`).join(' · '),
    ),
    card(
      'oldest',
      l10n.t('Oldest open request'),
      oldest === undefined ? '–' : formatAge(now - oldest.submitted),
      oldest === undefined
        ? l10n.t('Nothing is open.')
        : button(
            l10n.t`Open ${oldest.id.slice(0, 8)}`,
            { 'data-key': 'oldest', class: 'link', 'aria-label': l10n.t`Open request ${oldest.id}` },
            () => vscode.postMessage({ kind: 'openRequest', id: oldest.id }),
          ),
    ),
    card('completed7', l10n.t('Completed, last 7 days'), numberText(figures.completedLast7)),
    card('completed30', l10n.t('Completed, last 30 days'), numberText(figures.completedLast30)),
    card(
      'failureRate',
      l10n.t('Failure rate'),
      figures.failureRate === undefined
        ? '–'
        : `${numberText(figures.failureRate * 100, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`,
      finished === 0
        ? l10n.t('Nothing has finished.')
        : l10n.t`${numberText(figures.byStatus.Failed ?? 0)} failed of ${numberText(finished)} finished`,
    ),
    card('total', l10n.t('Requests'), numberText(figures.total), l10n.t('loaded, in every status asked for')),
  );
}

function submissionsSection(message: Extract<ToDashboard, { kind: 'figures' }>): HTMLElement {
  const { submissions } = message.figures;
  const width = submissions.bucketDays * DAY;
  const length = Math.max(...REQUEST_STATUSES.map((status) => submissions.counts[status].length));
  const starts = Array.from({ length }, (_, index) => submissions.start + index * width);
  const statuses = REQUEST_STATUSES.filter((status) => submissions.counts[status].some((count) => count > 0));
  const daily = submissions.bucketDays === 1;
  // Ticks name the day (and the year only when the range spans years); the table always has the full date.
  const spansYears = message.now - submissions.start > 360 * DAY;
  const tick = (time: number): string =>
    new Date(time).toLocaleDateString(pageLanguage(), {
      timeZone: 'UTC',
      month: 'short',
      day: 'numeric',
      year: spansYears ? '2-digit' : undefined,
    });
  const day = (time: number): string => new Date(time).toLocaleDateString(pageLanguage(), { timeZone: 'UTC', dateStyle: 'medium' });
  const total = statuses.reduce((sum, status) => sum + submissions.counts[status].reduce((a, b) => a + b, 0), 0);
  const select = el('select', { id: 'range', 'data-key': 'range', 'aria-label': l10n.t('Range of the submissions chart') });
  for (const range of DASHBOARD_RANGES) {
    const option = el('option', { value: String(range) }, rangeLabel(range));
    option.selected = range === message.range;
    select.append(option);
  }
  select.addEventListener('change', () => {
    const range = DASHBOARD_RANGES.find((candidate) => String(candidate) === select.value) ?? 30;
    saveState(message.serverId, range);
    vscode.postMessage({ kind: 'range', range });
  });
  const series = statuses.map((status) => ({ label: status, color: statusColor(status), values: submissions.counts[status] }));
  const chart = stackedBars({
    summary: daily
      ? l10n.t`Requests submitted per day (${rangeLabel(message.range)}), by current status: ${numberText(total)} in all.`
      : l10n.t`Requests submitted per week (${rangeLabel(message.range)}), by current status: ${numberText(total)} in all.`,
    x: starts.map((time) => time / 1000),
    series,
    xLabel: (seconds) => tick(seconds * 1000),
    time: true,
    height: 240,
  });
  charts.push(chart);
  const rows = (): HTMLElement[] => stackedTableRows(starts.map(day), series);
  return el(
    'section',
    { 'aria-labelledby': 'submissions-title' },
    el(
      'div',
      { class: 'section-head' },
      el('h2', { id: 'submissions-title' }, daily ? l10n.t('Requests submitted per day') : l10n.t('Requests submitted per week')),
      el('label', { for: 'range' }, `${l10n.t('Range')} `),
      select,
    ),
    el('p', { class: 'note' }, l10n.t`${numberText(total)} requests, stacked by their current status.`),
    chart.element,
    tableDetails(
      'submissions',
      daily ? l10n.t('Table: requests submitted per day') : l10n.t('Table: requests submitted per week'),
      [daily ? l10n.t('Day') : l10n.t('Week of'), ...statuses, l10n.t('Total')],
      rows,
    ),
  );
}

function agingSection(figures: DashboardFigures): HTMLElement {
  const labels = ageBucketLabels();
  const statuses = (['Pending', 'Approved', 'Executing'] as const).filter((status) => figures.aging[status].some((count) => count > 0));
  const series = statuses.map((status) => ({ label: status, color: statusColor(status), values: figures.aging[status] }));
  const chart = stackedBars({
    summary: l10n.t`Open requests by age: ${numberText(figures.open)} in all.`,
    x: labels.map((_, index) => index),
    series,
    xLabel: (index) => labels[Math.round(index)] ?? '',
    time: false,
    height: 200,
  });
  charts.push(chart);
  const rows = (): HTMLElement[] => stackedTableRows(labels, series);
  return el(
    'section',
    { 'aria-labelledby': 'aging-title' },
    el('h2', { id: 'aging-title' }, l10n.t('Open requests by age')),
    figures.open === 0 ? el('p', { class: 'note' }, l10n.t('No Pending, Approved or Executing requests.')) : chart.element,
    tableDetails('aging', l10n.t('Table: open requests by age'), ['Age', ...statuses, 'Total'], rows),
  );
}

/** `column` heads the first column: what the rows are (type or template). */
function durationTable(title: string, column: string, key: string, rows: readonly DurationFigures[]): HTMLElement {
  return el(
    'div',
    { class: 'table-scroll' },
    el(
      'table',
      { 'data-table': key },
      el('caption', {}, title),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...[column, 'Completed', l10n.t('Median'), l10n.t('90th percentile')].map((heading) => el('th', { scope: 'col' }, heading)),
        ),
      ),
      el(
        'tbody',
        {},
        ...(rows.length === 0
          ? [el('tr', {}, el('td', { colspan: '4' }, l10n.t('No completed requests.')))]
          : rows.map((row) =>
              el(
                'tr',
                {},
                el('th', { scope: 'row' }, row.label),
                el('td', { class: 'number' }, row.count),
                el('td', { class: 'number' }, formatDuration(row.median, pageLanguage())),
                el('td', { class: 'number' }, formatDuration(row.p90, pageLanguage())),
              ),
            )),
      ),
    ),
  );
}

/** A stacked chart's table: a row per bar (its label, each series' count, the total). */
function stackedTableRows(labels: readonly string[], series: readonly StackedSeries[]): HTMLElement[] {
  return labels.map((label, index) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, label),
      ...series.map(({ values }) => el('td', { class: 'number' }, values[index] ?? 0)),
      el(
        'td',
        { class: 'number total' },
        series.reduce((sum, { values }) => sum + (values[index] ?? 0), 0),
      ),
    ),
  );
}

/**
 * A chart's figures as a table, folded under it (a native <details>: keyboard and screen readers know it). The
 * rows are built when it first opens: a range of "All" has hundreds of weeks nobody may read.
 */
function tableDetails(key: string, summary: string, headings: readonly string[], rows: () => HTMLElement[]): HTMLElement {
  const body = el('tbody', {});
  const details = el(
    'details',
    { 'data-key': `table-${key}` },
    el('summary', {}, summary),
    el(
      'div',
      { class: 'table-scroll' },
      el(
        'table',
        { 'data-table': key },
        el('thead', {}, el('tr', {}, ...headings.map((heading) => el('th', { scope: 'col' }, heading)))),
        body,
      ),
    ),
  );
  details.addEventListener('toggle', () => {
    if (details.open && body.childElementCount === 0) {
      body.append(...rows());
    }
  });
  return details;
}

window.addEventListener('message', (event: MessageEvent<ToDashboard>) => {
  const message = event.data;
  if (message.kind === 'figures' || message.kind === 'empty') {
    render(message);
  }
});
// A theme change swaps the body's class: charts are canvases, drawn again in the new colours.
new MutationObserver(() => {
  if (last !== undefined) {
    render(last);
  }
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });
vscode.postMessage({ kind: 'ready' });

// A stacked bar chart drawn by uPlot (chosen over Chart.js for size and speed; see docs/MAINTAINERS.md). uPlot
// has no stacking of its own: each series is drawn as the running total up to it, the top of the stack first,
// so each bar shows through above the ones below it; the legend shows each series' own count. Arrow keys move
// the cursor from bar to bar, so the legend's figures can be read without a mouse.
import uPlot from 'uplot';
import { el, themeColor } from './dom';
import { numberText } from './pageLanguage';
import * as l10n from '@vscode/l10n';

export interface StackedSeries {
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
}

export interface StackedBarsOptions {
  /** What the chart shows, for screen readers (the table below it has the figures). */
  readonly summary: string;
  readonly x: readonly number[];
  /** Bottom of the stack first. */
  readonly series: readonly StackedSeries[];
  /** Tick and legend text for an x value; for a time axis, x is in seconds. */
  readonly xLabel: (x: number) => string;
  /** A time axis, or categories at 0, 1, 2, … each with its own tick. */
  readonly time: boolean;
  readonly height: number;
}

export interface StackedBars {
  readonly element: HTMLElement;
  /** Draws once the element is in the page (uPlot measures its container). */
  mount(): void;
  destroy(): void;
}

export function stackedBars(options: StackedBarsOptions): StackedBars {
  const canvas = el('div', {
    class: 'chart',
    role: 'img',
    tabindex: '0',
    'aria-label': l10n.t`${options.summary} Arrow keys read one bar at a time.`,
  });
  // What the arrow keys reached, read out by screen readers.
  const live = el('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const element = el('div', { class: 'chart-frame' }, canvas, live);
  let plot: uPlot | undefined;
  let resize: ResizeObserver | undefined;
  let cursor = -1;

  const mount = (): void => {
    const totals = options.series.map((_, depth) =>
      options.x.map((_x, index) => options.series.slice(0, depth + 1).reduce((sum, series) => sum + (series.values[index] ?? 0), 0)),
    );
    const order = options.series.map((_, index) => index).reverse();
    const foreground = themeColor('--vscode-foreground', '#888');
    const grid = themeColor('--mimcm-grid', 'rgba(128,128,128,0.25)');
    const font = `12px ${themeColor('--vscode-font-family', 'sans-serif')}`;
    const bars = uPlot.paths.bars?.({ size: [0.8, 48], gap: 1 });
    plot = new uPlot(
      {
        width: Math.max(240, canvas.clientWidth),
        height: options.height,
        scales: {
          // Categories (time: false) sit on whole numbers with half a step of room on each side.
          x: options.time ? { time: true } : { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [
          {
            stroke: foreground,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid },
            font,
            // Room for a label such as "Nov 29, 26" between ticks.
            space: 90,
            splits: options.time ? undefined : () => [...options.x],
            values: (_u, ticks) => ticks.map((tick) => options.xLabel(tick)),
          },
          {
            stroke: foreground,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid },
            font,
            size: 48,
            values: (_u, ticks) => ticks.map((tick) => numberText(tick)),
          },
        ],
        legend: { live: true },
        cursor: { points: { show: false }, drag: { x: false, y: false } },
        series: [
          { label: options.time ? l10n.t('From') : l10n.t('Age'), value: (_u, value) => (value === null ? '–' : options.xLabel(value)) },
          ...order.map((index) => {
            const series = options.series[index];
            return {
              label: series?.label ?? '',
              fill: series?.color,
              stroke: series?.color,
              width: 0,
              paths: bars,
              points: { show: false },
              value: (_u: uPlot, _total: number | null, _series: number, dataIndex: number | null) =>
                dataIndex === null ? '–' : numberText(series?.values[dataIndex] ?? 0),
            };
          }),
        ],
      },
      [options.x as number[], ...order.map((index) => totals[index])],
      canvas,
    );
    resize = new ResizeObserver(() => plot?.setSize({ width: Math.max(240, canvas.clientWidth), height: options.height }));
    resize.observe(canvas);
  };

  canvas.addEventListener('keydown', (event) => {
    if (plot === undefined || options.x.length === 0 || !['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) {
      return;
    }
    event.preventDefault();
    const last = options.x.length - 1;
    const step = event.key === 'ArrowRight' ? 1 : -1;
    cursor =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? last
          : cursor === -1
            ? step > 0
              ? 0
              : last
            : Math.min(last, Math.max(0, cursor + step));
    plot.setCursor({ left: plot.valToPos(options.x[cursor] ?? 0, 'x'), top: plot.bbox.height / devicePixelRatio / 2 });
    const parts = options.series
      .map((series) => [series.label, series.values[cursor] ?? 0] as const)
      .filter(([, count]) => count > 0)
      .map(([label, count]) => `${label} ${numberText(count)}`);
    live.textContent = `${options.xLabel(options.x[cursor] ?? 0)}: ${parts.length === 0 ? 'none' : parts.join(', ')}`;
  });

  return {
    element,
    mount,
    destroy: () => {
      resize?.disconnect();
      plot?.destroy();
    },
  };
}

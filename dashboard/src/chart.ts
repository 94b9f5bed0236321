// Bar charts of rates as inline SVG (no chart library), with the national target marked.

import { present, s } from './dom.js';
import { collator, formatRate } from './format.js';

/** One bar: a unit and its rate (null: nothing enforceable, no bar). */
export interface Bar {
  key: string;
  label: string;
  value: number | null;
}

const ROW = 18;
const LABEL = 170;
const PLOT = 460;
const VALUE = 80;

/**
 * Horizontal bars, highest rate first (ties by name in Vietnamese order), on a 0–100 % scale,
 * with a dashed line at the target when there is one.
 */
export function rateChart(options: { id: string; title: string; bars: Bar[]; target: number | null; targetLabel: string }): SVGElement {
  const bars = [...options.bars].sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || collator.compare(a.label, b.label));
  const top = 36;
  const height = top + bars.length * ROW + 8;
  const width = LABEL + PLOT + VALUE;
  const x = (rate: number) => LABEL + (Math.max(0, Math.min(100, rate)) / 100) * PLOT;
  const chart = s(
    'svg',
    { id: options.id, class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': options.title },
    s('title', {}, options.title),
    s('text', { x: 0, y: 14, class: 'chart-title' }, options.title),
  );
  bars.forEach((bar, i) => {
    const y = top + i * ROW;
    chart.append(
      ...present(
        s('text', { x: LABEL - 6, y: y + 13, class: 'bar-label', 'text-anchor': 'end' }, bar.label),
        bar.value === null
          ? null
          : s('rect', { x: LABEL, y: y + 3, width: x(bar.value) - LABEL, height: ROW - 6, class: 'bar', 'data-row': bar.key, 'data-value': bar.value }),
        s('text', { x: LABEL + PLOT + 6, y: y + 13, class: 'bar-value' }, formatRate(bar.value)),
      ),
    );
  });
  if (options.target !== null) {
    const tx = x(options.target);
    chart.append(
      s('line', { x1: tx, x2: tx, y1: top - 4, y2: height - 4, class: 'target', 'data-target': options.target }),
      s('text', { x: tx, y: top - 6, class: 'target-label', 'text-anchor': 'middle' }, `${options.targetLabel} ${formatRate(options.target)}`),
    );
  }
  return chart;
}

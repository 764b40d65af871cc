// Loaded only by the pages and sections that draw a time series: the overview paints without it.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';
import { PALETTE } from './bars.js';

/** A Date scalar as uPlot's x: seconds since the epoch at UTC midnight. */
export function epochSeconds(date) {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}

const utc = (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Axis tick labels: 1.2K, 3.4M. */
export const compactTicks = (_u, values) => values.map((value) => (value === null ? '' : compact.format(value)));

/**
 * A time-series chart: x is dates, each series a line or bars on the scale it names ('y' on the
 * left axis by default, 'y2' on the right). The chart follows its container's width.
 */
export function timeChart({ dates, series, yLabel, y2Label, xLabel = 'Date', height = 260, label, bars = false }) {
  const holder = h('div', { class: 'chart', role: 'img', 'aria-label': label ?? yLabel });
  const data = [dates.map(epochSeconds), ...series.map((one) => one.values.map((value) => (value === null ? null : Number(value))))];
  const barPaths = (align) => uPlot.paths.bars({ size: [0.36, 40], align });
  const hasBars = series.some((one) => one.kind === 'bars' || (bars && one.kind !== 'line'));
  const padding = data[0].length > 1 ? (data[0][data[0].length - 1] - data[0][0]) / (data[0].length - 1) / 2 : 86_400;
  const options = (width) => ({
    width,
    height,
    tzDate: utc,
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: {
      // Bars are drawn beside their date: half a period of room at each end keeps the outer ones whole.
      x: { time: true, range: hasBars ? (_u, min, max) => [min - padding, max + padding] : undefined },
      y: { auto: true },
      ...(y2Label ? { y2: { auto: true } } : {}),
    },
    axes: [
      { label: xLabel, labelSize: 20, stroke: '#475569', grid: { stroke: '#eef2f7' } },
      { label: yLabel, labelSize: 24, size: 60, stroke: '#475569', values: compactTicks, grid: { stroke: '#eef2f7' } },
      ...(y2Label
        ? [
            {
              scale: 'y2',
              side: 1,
              label: y2Label,
              labelSize: 24,
              size: 60,
              stroke: '#475569',
              values: compactTicks,
              grid: { show: false },
            },
          ]
        : []),
    ],
    series: [
      { label: xLabel },
      ...series.map((one, index) => {
        const color = one.color ?? PALETTE[index % PALETTE.length];
        const isBars = one.kind === 'bars' || (bars && one.kind !== 'line');
        return {
          label: one.label,
          scale: one.scale ?? 'y',
          stroke: color,
          width: isBars ? 1 : 2,
          fill: isBars ? `${color}cc` : one.fill ? `${color}22` : undefined,
          points: { show: !isBars && dates.length <= 24 },
          paths: isBars ? barPaths(one.align ?? 0) : undefined,
          value: (_u, value) => (value === null || value === undefined ? '—' : (one.format ?? String)(value)),
        };
      }),
    ],
  });
  let plot;
  const observer = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry.contentRect.width);
    if (width <= 0) return;
    if (plot) plot.setSize({ width, height });
    else plot = new uPlot(options(width), data, holder);
  });
  observer.observe(holder);
  return holder;
}

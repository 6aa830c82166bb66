// A small line plot as inline SVG, built element by element (no HTML parsing, no library).
import { h, s } from './dom.js';
import { fmtFloat } from './format.js';

/**
 * About `count` round tick values covering [min, max]. `integer: true` (epochs, counts): whole
 * numbers only, at least 1 apart, so an axis of 3 epochs reads "1 2 3", never "1 1 1 2 2 2".
 */
export function niceTicks(min, max, count = 5, { integer = false } = {}) {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? raw;
  if (integer) step = Math.max(1, Math.ceil(step));
  const ticks = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks;
}

/**
 * `linePlot({ points: [[x, y], ...], step, xLabel, yLabel, formatX, formatY, testid, highlight })`.
 * `step: true` draws a staircase (best-so-far traces only change at the points); `xEnd` extends the
 * last step to that x (e.g. the end of the run). `xStart` forces the axis to begin there (0 for time).
 * `highlight` is an x value to mark (e.g. the best epoch).
 */
export function linePlot(options) {
  const {
    points,
    step = false,
    xLabel = '',
    yLabel = '',
    formatX = fmtFloat,
    formatY = fmtFloat,
    testid,
    highlight,
    title,
    xStart,
    xEnd,
    integerX = false,
  } = options;
  const width = 640;
  const height = 260;
  const margin = { top: 16, right: 20, bottom: 44, left: 76 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;

  const clean = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const svg = s('svg', {
    class: 'plot',
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': title ?? `${yLabel} over ${xLabel}`,
    'data-testid': testid,
    'data-points': clean.length,
  });
  if (clean.length === 0) {
    svg.append(s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'plot-empty' }, 'no data'));
    return h('figure', { class: 'plot-figure' }, svg);
  }

  const xs = clean.map((p) => p[0]);
  if (Number.isFinite(xEnd)) xs.push(xEnd);
  if (Number.isFinite(xStart)) xs.push(xStart);
  let [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  let [yMin, yMax] = [Math.min(...clean.map((p) => p[1])), Math.max(...clean.map((p) => p[1]))];
  if (xMax === xMin) [xMin, xMax] = integerX ? [xMin - 0.5, xMax + 0.5] : [xMin - 1, xMax + 1];
  if (yMax === yMin) {
    const pad = Math.abs(yMin) * 0.05 || 1;
    [yMin, yMax] = [yMin - pad, yMax + pad];
  } else {
    const pad = (yMax - yMin) * 0.05;
    [yMin, yMax] = [yMin - pad, yMax + pad];
  }
  const sx = (x) => margin.left + ((x - xMin) / (xMax - xMin)) * innerW;
  const sy = (y) => margin.top + innerH - ((y - yMin) / (yMax - yMin)) * innerH;

  const grid = s('g', { class: 'plot-grid' });
  for (const t of niceTicks(yMin, yMax)) {
    grid.append(
      s('line', { x1: margin.left, x2: margin.left + innerW, y1: sy(t), y2: sy(t) }),
      s('text', { x: margin.left - 8, y: sy(t), 'text-anchor': 'end', 'dominant-baseline': 'middle' }, formatY(t)),
    );
  }
  for (const t of niceTicks(xMin, xMax, 6, { integer: integerX }).filter((t) => t >= xMin && t <= xMax)) {
    grid.append(
      s('line', { x1: sx(t), x2: sx(t), y1: margin.top, y2: margin.top + innerH, class: 'plot-grid-x' }),
      s('text', { x: sx(t), y: margin.top + innerH + 16, 'text-anchor': 'middle' }, formatX(t)),
    );
  }

  const coords = [];
  clean.forEach(([x, y], i) => {
    if (step && i > 0) coords.push(`${sx(x).toFixed(1)},${sy(clean[i - 1][1]).toFixed(1)}`);
    coords.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
  });
  const last = clean.at(-1);
  if (step && Number.isFinite(xEnd) && xEnd > last[0]) coords.push(`${sx(xEnd).toFixed(1)},${sy(last[1]).toFixed(1)}`);
  const line = s('polyline', { class: 'plot-line', points: coords.join(' ') });
  const dots = s(
    'g',
    { class: 'plot-dots' },
    clean.length <= 60 ? clean.map(([x, y]) => s('circle', { cx: sx(x), cy: sy(y), r: 3 }, s('title', null, `${formatX(x)}: ${formatY(y)}`))) : [],
  );
  const marker =
    highlight !== undefined && Number.isFinite(highlight)
      ? s('line', { class: 'plot-highlight', x1: sx(highlight), x2: sx(highlight), y1: margin.top, y2: margin.top + innerH })
      : null;
  const axes = s(
    'g',
    { class: 'plot-axes' },
    s('line', { x1: margin.left, x2: margin.left, y1: margin.top, y2: margin.top + innerH }),
    s('line', { x1: margin.left, x2: margin.left + innerW, y1: margin.top + innerH, y2: margin.top + innerH }),
    s('text', { x: margin.left + innerW / 2, y: height - 6, 'text-anchor': 'middle', class: 'plot-label' }, xLabel),
    s(
      'text',
      {
        x: 14,
        y: margin.top + innerH / 2,
        'text-anchor': 'middle',
        class: 'plot-label',
        transform: `rotate(-90 14 ${margin.top + innerH / 2})`,
      },
      yLabel,
    ),
  );
  svg.append(grid, axes, marker ?? '', line, dots);
  return h('figure', { class: 'plot-figure' }, svg, title ? h('figcaption', null, title) : null);
}

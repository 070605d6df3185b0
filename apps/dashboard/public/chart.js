/* global ResizeObserver */
/**
 * One sensor's live line chart (uPlot) with the rule set's limits drawn as horizontal lines.
 * setData is cheap (uPlot redraws from columnar arrays), and the window caps the array sizes.
 */
import uPlot from 'uplot';
import { formatValue, unitOf } from './format.js';

/**
 * @typedef {import('./thresholds.js').ThresholdLine} ThresholdLine
 * @typedef {import('./series-window.js').SeriesWindow} SeriesWindow
 */

/** @type {Record<string, string>} */
const LINE_COLOURS = { critical: '#b3261e', warning: '#b26a00', info: '#1f6feb' };

export class SensorChart {
  /**
   * @param {HTMLElement} el
   * @param {{ sensor: string, lines: ThresholdLine[] }} opts
   */
  constructor(el, opts) {
    this.el = el;
    this.sensor = opts.sensor;
    this.lines = opts.lines;
    this.shownVersion = -1;
    const width = Math.max(240, el.clientWidth || 360);
    /** @type {uPlot.Options} */
    const options = {
      width,
      height: 180,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true },
        y: { range: (_u, min, max) => this.yRange(min, max) },
      },
      axes: [
        { stroke: '#555', grid: { stroke: '#eee' } },
        {
          stroke: '#555',
          grid: { stroke: '#eee' },
          size: 56,
          label: unitOf(opts.sensor),
          labelSize: 18,
        },
      ],
      series: [
        { value: (_u, v) => (v == null ? '–' : new Date(v * 1000).toISOString().slice(11, 19)) },
        {
          label: opts.sensor,
          stroke: '#2b6cb0',
          width: 2,
          points: { show: true, size: 4 },
          value: (_u, v) => formatValue(v, opts.sensor),
        },
      ],
      hooks: { draw: [(u) => this.drawLines(u)] },
    };
    this.plot = new uPlot(options, [[], []], el);
    this.resizer = new ResizeObserver(() => {
      const w = Math.max(240, el.clientWidth);
      if (Math.abs(w - this.plot.width) > 2) this.plot.setSize({ width: w, height: 180 });
    });
    this.resizer.observe(el);
  }

  /** Redraws from the window when it changed since the last call. @param {SeriesWindow} w */
  update(w) {
    if (w.version === this.shownVersion) return;
    this.shownVersion = w.version;
    this.plot.setData(w.chartData());
  }

  /** The x values (epoch ms) the chart holds now: what the e2e test compares with the api. */
  timestamps() {
    const xs = /** @type {number[]} */ (this.plot.data[0] ?? []);
    return Array.from(xs, (x) => Math.round(x * 1000));
  }

  destroy() {
    this.resizer.disconnect();
    this.plot.destroy();
  }

  /**
   * Data range widened to keep the limits in view, with a little headroom.
   * @param {number | null} min @param {number | null} max
   * @returns {uPlot.Range.MinMax}
   */
  yRange(min, max) {
    let lo = min ?? Infinity;
    let hi = max ?? -Infinity;
    for (const l of this.lines) {
      lo = Math.min(lo, l.value);
      hi = Math.max(hi, l.value);
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
    const pad = Math.max((hi - lo) * 0.08, Math.abs(hi) * 0.01, 0.5);
    return [lo - pad, hi + pad];
  }

  /** @param {uPlot} u */
  drawLines(u) {
    const ctx = u.ctx;
    const { left, width } = u.bbox;
    const dpr = uPlot.pxRatio;
    ctx.save();
    ctx.lineWidth = 1.5 * dpr;
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    for (const l of this.lines) {
      const y = Math.round(u.valToPos(l.value, 'y', true));
      const colour = LINE_COLOURS[l.severity] ?? '#555';
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.setLineDash(l.dashed ? [4 * dpr, 4 * dpr] : [8 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.fillText(
        `${l.label} (${formatValue(l.value, this.sensor)})`,
        left + width - 4 * dpr,
        y - 3 * dpr,
      );
    }
    ctx.restore();
  }
}

/** The selected device's charts: one card per sensor, created as sensors appear. */
import { SensorChart } from './chart.js';
import { h } from './dom.js';
import { formatValue, sensorLabel } from './format.js';
import { thresholdLines } from './thresholds.js';

/**
 * @typedef {import('./live-store.js').LiveStore} LiveStore
 * @typedef {import('@iotmon/domain').RuleSet} RuleSet
 */

export class ChartsView {
  /**
   * @param {HTMLElement} container @param {LiveStore} store @param {() => RuleSet | null} ruleSet
   */
  constructor(container, store, ruleSet) {
    this.container = container;
    this.store = store;
    this.ruleSet = ruleSet;
    /** @type {string | null} */
    this.deviceId = null;
    /** @type {Map<string, { chart: SensorChart, latest: HTMLElement, card: HTMLElement }>} */
    this.charts = new Map();
  }

  /** Shows another device (or none). @param {string | null} deviceId */
  show(deviceId) {
    if (deviceId === this.deviceId) return;
    for (const c of this.charts.values()) c.chart.destroy();
    this.charts.clear();
    this.container.replaceChildren();
    this.deviceId = deviceId;
  }

  /** Makes sure a card exists for each sensor, in a stable order. @param {string[]} sensors */
  ensure(sensors) {
    if (!this.deviceId) return;
    let added = false;
    for (const s of sensors) {
      if (this.charts.has(s)) continue;
      const latest = h('span', { className: 'latest', 'aria-live': 'off' }, ['–']);
      const plot = h('div', { className: 'plot' });
      const card = h(
        'section',
        { className: 'chart-card', 'data-sensor': s, 'aria-label': `${sensorLabel(s)} chart` },
        [h('header', {}, [h('h3', {}, [sensorLabel(s)]), latest]), plot],
      );
      this.container.append(card);
      const lines = thresholdLines(this.ruleSet(), this.deviceId, s);
      this.charts.set(s, { chart: new SensorChart(plot, { sensor: s, lines }), latest, card });
      added = true;
    }
    if (added) {
      const cards = [...this.charts.entries()].sort(([a], [b]) => a.localeCompare(b));
      this.container.replaceChildren(...cards.map(([, c]) => c.card));
    }
  }

  /** Redraws the charts whose windows changed. */
  update() {
    if (!this.deviceId) return;
    for (const [sensor, c] of this.charts) {
      const w = this.store.window(this.deviceId, sensor);
      c.chart.update(w);
      const last = w.points[w.points.length - 1] ?? w.history[w.history.length - 1];
      c.latest.textContent = last ? formatValue(last.value, sensor) : '–';
    }
  }

  /** @param {string} sensor */
  chart(sensor) {
    return this.charts.get(sensor)?.chart;
  }
}

/* global HTMLInputElement */
/**
 * The alarm feed: filters (state, severity, device, text) and one entry per episode with
 * severity as colour, icon and text, and Acknowledge / Clear buttons (plain <button>s, so
 * Tab, Enter and Space work).
 */
import {
  formatAgo,
  formatClock,
  formatValue,
  sensorLabel,
  severityInfo,
  stateInfo,
} from './format.js';
import { h, replaceChildrenKeepFocus } from './dom.js';

/**
 * @typedef {import('./alarm-store.js').AlarmStore} AlarmStore
 * @typedef {import('./alarm-store.js').AlarmView} AlarmView
 * @typedef {import('./alarm-store.js').AlarmFilter} AlarmFilter
 */

/** At most this many entries are in the DOM; the filters narrow the rest. */
const MAX_SHOWN = 200;

export class AlarmFeedView {
  /**
   * @param {{ list: HTMLElement, filters: HTMLFormElement, counts: HTMLElement }} els
   * @param {AlarmStore} store
   * @param {((id: string, action: 'ack' | 'clear') => Promise<void>) | undefined} act
   *   undefined: the signed-in role may not act on alarms, so no buttons are offered
   */
  constructor(els, store, act) {
    this.els = els;
    this.store = store;
    this.act = act;
    /** @type {string | null} */
    this.selectedDevice = null;
    /** Ids with a request in flight: their buttons stay disabled. */
    this.busy = new Set();
    els.filters.addEventListener('input', () => this.render(Date.now()));
    els.filters.addEventListener('submit', (e) => e.preventDefault());
  }

  /** @returns {AlarmFilter} */
  filter() {
    const f = this.els.filters;
    /** @param {string} name */
    const checked = (name) =>
      [...f.querySelectorAll(`input[name="${name}"]`)]
        .filter((i) => i instanceof HTMLInputElement && i.checked)
        .map((i) => /** @type {HTMLInputElement} */ (i).value);
    const text = f.querySelector('input[name="text"]');
    const onlyDevice = f.querySelector('input[name="onlyDevice"]');
    return {
      states: checked('state'),
      severities: checked('severity'),
      deviceId:
        onlyDevice instanceof HTMLInputElement && onlyDevice.checked && this.selectedDevice
          ? this.selectedDevice
          : undefined,
      text: text instanceof HTMLInputElement ? text.value : '',
    };
  }

  /** @param {number} now */
  render(now) {
    const all = this.store.list(this.filter());
    const items = all.slice(0, MAX_SHOWN).map((a) => this.entry(a, now));
    if (items.length === 0) items.push(h('li', { className: 'empty' }, ['No alarms match.']));
    if (all.length > MAX_SHOWN) {
      items.push(
        h('li', { className: 'empty' }, [`${all.length - MAX_SHOWN} more: narrow the filters.`]),
      );
    }
    replaceChildrenKeepFocus(this.els.list, items);
    const c = this.store.openCounts();
    this.els.counts.replaceChildren(
      ...['critical', 'warning', 'info'].map((s) => {
        const i = severityInfo(s);
        return h('span', { className: `count ${i.className}`, title: `open ${i.label} alarms` }, [
          h('span', { 'aria-hidden': 'true' }, [i.icon]),
          ` ${c[s] ?? 0} ${i.label}`,
        ]);
      }),
    );
  }

  /** @param {AlarmView} a @param {number} now */
  entry(a, now) {
    const sev = severityInfo(a.severity);
    const st = stateInfo(a.state);
    const busy = this.busy.has(a.id);
    const what = `${sev.label} alarm ${a.ruleId} on ${a.deviceId} ${a.sensor}`;
    return h(
      'li',
      {
        className: `alarm ${sev.className} ${st.className}`,
        'data-alarm-id': a.id,
        'data-state': a.state,
        'data-severity': a.severity,
      },
      [
        h('div', { className: 'alarm-head' }, [
          h('span', { className: `severity ${sev.className}` }, [
            h('span', { 'aria-hidden': 'true' }, [sev.icon]),
            ` ${sev.label}`,
          ]),
          h('span', { className: `state ${st.className}`, 'data-role': 'state' }, [
            h('span', { 'aria-hidden': 'true' }, [st.icon]),
            ` ${st.label}`,
          ]),
          h('span', { className: 'alarm-where' }, [
            `${a.deviceId} · ${sensorLabel(a.sensor)} · ${a.ruleId}`,
          ]),
        ]),
        h('p', { className: 'alarm-message' }, [a.message || a.ruleId]),
        h('div', { className: 'alarm-meta' }, [
          `since ${formatClock(a.firstAt)} UTC · last ${formatAgo(a.lastAt, now)} · ×${a.count}`,
          a.lastValue !== undefined ? ` · last ${formatValue(a.lastValue, a.sensor)}` : '',
          a.acknowledgedBy ? ` · acknowledged by ${a.acknowledgedBy}` : '',
        ]),
        h('div', { className: 'alarm-actions' }, [
          this.act && a.state === 'active'
            ? h(
                'button',
                {
                  type: 'button',
                  className: 'ack',
                  'data-key': `ack-${a.id}`,
                  'data-action': 'ack',
                  'aria-label': `Acknowledge ${what}`,
                  disabled: busy,
                  onclick: () => void this.run(a.id, 'ack'),
                },
                ['Acknowledge'],
              )
            : null,
          this.act && a.state !== 'cleared'
            ? h(
                'button',
                {
                  type: 'button',
                  className: 'clear',
                  'data-key': `clear-${a.id}`,
                  'data-action': 'clear',
                  'aria-label': `Clear ${what}`,
                  disabled: busy,
                  onclick: () => void this.run(a.id, 'clear'),
                },
                ['Clear'],
              )
            : null,
        ]),
      ],
    );
  }

  /** @param {string} id @param {'ack' | 'clear'} action */
  async run(id, action) {
    this.busy.add(id);
    this.render(Date.now());
    try {
      await this.act?.(id, action);
    } finally {
      this.busy.delete(id);
      this.render(Date.now());
    }
  }
}

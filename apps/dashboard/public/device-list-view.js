/** The device list: search box, one button per device with status (icon + text) and last seen. */
import { formatAgo } from './format.js';
import { h, replaceChildrenKeepFocus } from './dom.js';
import { searchDevices } from './devices.js';

/** @typedef {import('./devices.js').DeviceRow} DeviceRow */

/** @type {Record<string, { icon: string, label: string }>} */
const STATUS = {
  online: { icon: '●', label: 'Online' },
  stale: { icon: '◐', label: 'Stale' },
  offline: { icon: '○', label: 'Offline' },
  unknown: { icon: '?', label: 'Unknown' },
};

export class DeviceListView {
  /**
   * @param {HTMLElement} list @param {HTMLInputElement} search
   * @param {(id: string) => void} onSelect
   */
  constructor(list, search, onSelect) {
    this.list = list;
    this.search = search;
    this.onSelect = onSelect;
    /** @type {DeviceRow[]} */
    this.rows = [];
    this.selected = /** @type {string | null} */ (null);
    search.addEventListener('input', () => this.render(Date.now()));
  }

  /** @param {DeviceRow[]} rows @param {string | null} selected @param {number} now */
  update(rows, selected, now) {
    this.rows = rows;
    this.selected = selected;
    this.render(now);
  }

  /** @param {number} now */
  render(now) {
    const shown = searchDevices(this.rows, this.search.value);
    const items = shown.map((d) => {
      const s = STATUS[d.status] ?? STATUS.unknown;
      const current = d.id === this.selected;
      return h('li', {}, [
        h(
          'button',
          {
            type: 'button',
            className: `device${current ? ' selected' : ''}`,
            'data-key': d.id,
            'data-device': d.id,
            'aria-current': current ? 'true' : undefined,
            onclick: () => this.onSelect(d.id),
          },
          [
            h('span', { className: 'device-name' }, [d.name]),
            d.name !== d.id ? h('span', { className: 'device-id' }, [d.id]) : null,
            h('span', { className: `status status-${d.status}`, 'data-status': d.status }, [
              h('span', { 'aria-hidden': 'true' }, [s.icon]),
              ` ${s.label}`,
            ]),
            h('span', { className: 'last-seen' }, [
              d.lastSeen === null ? 'never seen' : `seen ${formatAgo(d.lastSeen, now)}`,
            ]),
          ],
        ),
      ]);
    });
    if (items.length === 0) {
      items.push(
        h('li', { className: 'empty' }, [
          this.rows.length === 0 ? 'No devices yet.' : 'No device matches the search.',
        ]),
      );
    }
    replaceChildrenKeepFocus(this.list, items);
  }
}

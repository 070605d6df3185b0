/* global queueMicrotask */
/**
 * Renders the advisor's findings (severity with icon and word, confidence, suggestion, and
 * each piece of evidence: a chart of its points, its rows as a table, its log lines) and the
 * history entries. Text always goes in as text.
 */
import uPlot from 'uplot';
import { h } from './dom.js';

/**
 * @typedef {{ kind: string, source: string, detail: string, points?: [number, number][],
 *   rows?: Record<string, unknown>[], lines?: { ts: number, app: string, level: string, msg: string }[] }} Evidence
 * @typedef {{ id: string, detector: string, severity: 'critical' | 'warning' | 'info', subject: string,
 *   title: string, confidence: number, suggestion?: string, evidence: Evidence[] }} Finding
 * @typedef {{ id: number, kind: string, at: string, question?: string, findingId?: string,
 *   severity?: string, source: string, body: any }} HistoryEntry
 */

/** @type {Record<string, string>} */
const ICONS = { critical: '✖', warning: '⚠', info: 'ℹ' };

/** @param {Finding} f */
export function findingItem(f) {
  return h('li', { className: 'finding', 'data-finding': f.id, 'data-severity': f.severity }, [
    h('h3', {}, [
      h('span', { 'aria-hidden': 'true' }, [`${ICONS[f.severity] ?? ''} `]),
      `${f.severity[0].toUpperCase()}${f.severity.slice(1)}: ${f.title}`,
    ]),
    h('p', { className: 'meta' }, [
      `${f.detector} · ${f.subject} · confidence ${Math.round(f.confidence * 100)} %`,
    ]),
    f.suggestion ? h('p', { className: 'suggestion' }, [f.suggestion]) : null,
    ...f.evidence.map(evidenceBlock),
  ]);
}

/** @param {Evidence} e */
function evidenceBlock(e) {
  const block = h('div', { className: 'evidence', 'data-kind': e.kind }, [
    h('p', { className: 'source' }, [`${e.kind}: ${e.source}`]),
    h('p', {}, [e.detail]),
  ]);
  if (e.points && e.points.length > 1) {
    const chart = h('div', { className: 'evidence-chart' });
    block.append(chart);
    // Drawn once attached, so uPlot gets the element's width.
    queueMicrotask(() => drawChart(chart, e.points ?? []));
  }
  if (e.rows && e.rows.length) block.append(rowsTable(e.rows.slice(0, 8)));
  if (e.lines && e.lines.length)
    block.append(
      h(
        'ul',
        {},
        e.lines.slice(0, 5).map((l) => h('li', {}, [`[${l.app}] ${l.level}: ${l.msg}`])),
      ),
    );
  return block;
}

/** @param {HTMLElement} el @param {[number, number][]} points */
function drawChart(el, points) {
  const xs = points.map((p) => p[0] / 1000);
  const ys = points.map((p) => p[1]);
  new uPlot(
    {
      width: Math.max(240, el.clientWidth || 480),
      height: 120,
      legend: { show: false },
      series: [{}, { stroke: '#2b6cb0', width: 1.5 }],
      axes: [{ stroke: '#555' }, { stroke: '#555' }],
    },
    [xs, ys],
    el,
  );
}

/** @param {Record<string, unknown>[]} rows */
function rowsTable(rows) {
  const cols = Object.keys(rows[0]);
  return h('table', {}, [
    h('thead', {}, [
      h(
        'tr',
        {},
        cols.map((c) => h('th', {}, [c])),
      ),
    ]),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          cols.map((c) => h('td', {}, [formatCell(r[c])])),
        ),
      ),
    ),
  ]);
}

/** @param {unknown} v */
function formatCell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(Math.round(v * 1000) / 1000);
  return String(v).slice(0, 80);
}

/** @param {HistoryEntry} e */
export function historyItem(e) {
  const when = new Date(e.at).toLocaleTimeString();
  const text =
    e.kind === 'answer'
      ? `${when} asked “${e.question}” → answered by ${e.source}`
      : e.kind === 'resolved'
        ? `${when} resolved: ${e.findingId}`
        : `${when} ${e.severity}: ${e.body?.title ?? e.findingId}`;
  return h('li', { 'data-kind': e.kind }, [text]);
}

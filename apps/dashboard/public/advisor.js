/* global document, setInterval */
/**
 * The Advisor page: the advisor's current findings (refreshed every 5 s), a question box
 * and the history, all through the alerting app's proxy (/dashboard/api/advice…).
 */
import { byId } from './dom.js';
import { findingItem, historyItem } from './advisor-view.js';
import { canOperate, fetchAsUser, showUser, signedIn } from './session.js';

const BASE = '/dashboard/api/advice';

/** @type {string} */
let shown = '';

async function refresh() {
  try {
    const res = await fetchAsUser(BASE, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    /** @type {{ at: string, findings: import('./advisor-view.js').Finding[], sourceErrors: Record<string, string> }} */
    const advice = await res.json();
    const failing = Object.keys(advice.sourceErrors ?? {});
    byId('evaluated').textContent =
      `Evaluated ${new Date(advice.at).toLocaleTimeString()} · ${advice.findings.length} finding(s)` +
      (failing.length ? ` · sources failing: ${failing.join(', ')}` : '');
    // Redraw only when the findings changed: charts are rebuilt on redraw.
    const key = JSON.stringify(
      advice.findings.map((f) => [f.id, f.severity, f.title, f.evidence.length]),
    );
    if (key !== shown) {
      shown = key;
      const list = byId('finding-list');
      list.replaceChildren(...advice.findings.map(findingItem));
      if (!advice.findings.length) list.textContent = 'No detector reports a problem.';
    }
    byId('notice').textContent = '';
  } catch (e) {
    byId('notice').textContent = `The advisor did not answer: ${/** @type {Error} */ (e).message}`;
  }
}

async function refreshHistory() {
  const res = await fetchAsUser(`${BASE}/history?limit=20`, {
    headers: { accept: 'application/json' },
  });
  if (!res.ok) return;
  byId('history-list').replaceChildren(...(await res.json()).map(historyItem));
}

/** @param {SubmitEvent} e */
async function ask(e) {
  e.preventDefault();
  const question = /** @type {HTMLTextAreaElement} */ (byId('question')).value.trim();
  const answer = byId('answer');
  const button = /** @type {HTMLButtonElement} */ (byId('ask-button'));
  button.disabled = true;
  answer.textContent = 'Thinking…';
  answer.removeAttribute('data-source');
  try {
    const res = await fetchAsUser(`${BASE}/ask`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ question }),
    });
    const body = await res.json();
    if (!res.ok) {
      answer.textContent = `${res.status}: ${body.message ?? res.statusText}`;
      answer.dataset.source = 'error';
      return;
    }
    answer.textContent = body.answer;
    answer.dataset.source = body.source;
    answer.dataset.citations = body.citations.join(' ');
    await refreshHistory();
  } catch (err) {
    answer.textContent = `The advisor did not answer: ${/** @type {Error} */ (err).message}`;
  } finally {
    button.disabled = false;
  }
}

async function main() {
  const me = await signedIn();
  showUser(byId('user'), me);
  // Asking is an operator's (an LLM call); a viewer is not offered the form.
  if (canOperate(me))
    byId('ask-form').addEventListener('submit', (e) => void ask(/** @type {SubmitEvent} */ (e)));
  else byId('ask-form').remove();
  await Promise.all([refresh(), refreshHistory().catch(() => undefined)]);
  setInterval(() => void refresh(), 5_000);
  setInterval(() => void refreshHistory().catch(() => undefined), 15_000);
  document.body.dataset.ready = 'true';
}

void main();

/* global document, HTMLElement, CSS */
/** A tiny element builder: text goes in as text nodes, never as HTML. */

/**
 * @param {string} tag
 * @param {Record<string, string | boolean | number | undefined | ((e: Event) => void)>} [attrs]
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'className') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/**
 * The element with this id, or an error naming it (the page's HTML and code disagree).
 * @param {string} id
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLElement)) throw new Error(`#${id} is missing from index.html`);
  return el;
}

/**
 * Replaces a container's children, keeping keyboard focus on the element with the same
 * data-key if it had it (re-rendering must not throw a keyboard user out of the list).
 * @param {HTMLElement} container @param {Node[]} children
 */
export function replaceChildrenKeepFocus(container, children) {
  const active = document.activeElement;
  const key =
    active instanceof HTMLElement && container.contains(active) ? active.dataset.key : undefined;
  container.replaceChildren(...children);
  if (key !== undefined) {
    const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (again instanceof HTMLElement) again.focus();
  }
}

/* global document, fetch, setTimeout */
/**
 * The page's sign-in. POST /auth/login sets the session as HttpOnly cookies (the script never
 * sees a token); every call sends `x-requested-with`, which a cookie-authenticated write
 * needs (a cross-site form cannot set it). An expired access token is renewed once with the
 * single-use refresh cookie; without a session the page shows its sign-in form.
 */
import { h } from './dom.js';

/** @typedef {{ kind: string, name: string, role: 'viewer' | 'operator' | 'admin' }} Me */

export const CSRF_HEADERS = { 'x-requested-with': 'iotmon-dashboard' };

/** Whether this role may acknowledge, clear and shelve (operator and admin). */
export const canOperate = (/** @type {Me} */ me) => me.role === 'operator' || me.role === 'admin';

/** @type {Promise<boolean> | undefined} */
let renewing;

/**
 * A new session from the refresh cookie. One at a time: the refresh token is single use, and
 * presenting a used one again ends every session of the user.
 * @returns {Promise<boolean>}
 */
export function renew() {
  renewing ??= fetch('/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...CSRF_HEADERS },
    body: '{}',
  })
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => setTimeout(() => (renewing = undefined), 1_000));
  return renewing;
}

/**
 * `fetch` as the signed-in user: sends the CSRF header, and when the access token has expired
 * (401) renews it once from the refresh cookie and tries again.
 * @param {string} url @param {RequestInit} [init]
 */
export async function fetchAsUser(url, init) {
  const send = () => fetch(url, { ...init, headers: { ...CSRF_HEADERS, ...init?.headers } });
  const res = await send();
  return res.status === 401 && (await renew()) ? send() : res;
}

/** Renews the session if the access token has expired (before the live feed reconnects). */
export async function keepSession() {
  const res = await fetch('/auth/me', { headers: { accept: 'application/json' } });
  if (res.status === 401) await renew();
}

/** @returns {Promise<Me | undefined>} */
async function whoAmI() {
  for (let attempt = 0; attempt < 2; attempt++) {
    const res = await fetch('/auth/me', { headers: { accept: 'application/json' } });
    if (res.ok) return res.json();
    if (res.status !== 401 || attempt > 0 || !(await renew())) return undefined;
  }
  return undefined;
}

/**
 * The signed-in user, after the sign-in form if there is no session yet.
 * @returns {Promise<Me>}
 */
export async function signedIn() {
  const me = await whoAmI();
  if (me) return me;
  return new Promise((resolve) => {
    const error = h('p', { id: 'sign-in-error', className: 'notice', role: 'alert' });
    const user = h('input', {
      id: 'username',
      name: 'username',
      autocomplete: 'username',
      required: true,
    });
    const password = h('input', {
      id: 'password',
      name: 'password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const form = h(
      'form',
      { id: 'sign-in', className: 'sign-in', 'aria-labelledby': 'sign-in-heading' },
      [
        h('h2', { id: 'sign-in-heading' }, ['Sign in']),
        h('label', {}, ['User name ', user]),
        h('label', {}, ['Password ', password]),
        h('button', { id: 'sign-in-button', type: 'submit' }, ['Sign in']),
        error,
      ],
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void (async () => {
        const res = await fetch('/auth/login', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...CSRF_HEADERS,
          },
          body: JSON.stringify({
            username: /** @type {HTMLInputElement} */ (user).value,
            password: /** @type {HTMLInputElement} */ (password).value,
          }),
        });
        const body = await res.json().catch(() => ({}));
        if (!res.ok) {
          error.textContent = body.message ?? `${res.status} ${res.statusText}`;
          return;
        }
        form.remove();
        document.body.dataset.signIn = 'done';
        resolve(/** @type {Me} */ ({ kind: 'user', ...body.user }));
      })();
    });
    document.body.dataset.signIn = 'required';
    document.body.prepend(form);
    user.focus();
  });
}

/**
 * "Signed in as …" and a sign-out button, in `slot`.
 * @param {HTMLElement} slot @param {Me} me
 */
export function showUser(slot, me) {
  const out = h(
    'button',
    {
      id: 'sign-out',
      type: 'button',
      onclick: async () => {
        await fetch('/auth/logout', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...CSRF_HEADERS },
          body: '{}',
        });
        document.location.reload();
      },
    },
    ['Sign out'],
  );
  slot.replaceChildren(
    'Acting as ',
    h('strong', { id: 'acting-as', 'data-role': me.role }, [me.name]),
    ` (${me.role}) `,
    out,
  );
}

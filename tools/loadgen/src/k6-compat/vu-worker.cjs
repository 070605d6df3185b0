// One k6 virtual user in a worker thread. k6 scripts are synchronous (http.get returns the
// response, sleep blocks), so each VU runs on its own thread: a request is handed to the main
// thread over a MessagePort and the VU blocks on Atomics.wait until the answer is there.
// Plain CommonJS so a worker can load it without a TypeScript loader.
'use strict';
const { workerData, parentPort, receiveMessageOnPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { dirname, resolve } = require('node:path');

const { code, scriptPath, env, vu, httpPort, replyCell, control } = workerData;
// control: [0] stop, [1] VUs that may iterate, [2] iterations claimed, [3] iteration limit (-1: none)
const ctl = new Int32Array(control);
const reply = new Int32Array(replyCell);
const nap = new Int32Array(new SharedArrayBuffer(4));
let inInit = true;
let iteration = 0;

function post(msg) {
  parentPort.postMessage(msg);
}

function blockFor(ms) {
  if (ms > 0) Atomics.wait(nap, 0, 0, ms);
}

/** Sends one request to the main thread and blocks until its answer arrives. */
function roundTrip(req) {
  Atomics.store(reply, 0, 0);
  httpPort.postMessage(req);
  Atomics.wait(reply, 0, 0);
  return receiveMessageOnPort(httpPort).message;
}

const STATUS_TEXT = {
  200: '200 OK',
  201: '201 Created',
  204: '204 No Content',
  404: '404 Not Found',
};

function makeResponse(r) {
  return {
    status: r.status,
    status_text: STATUS_TEXT[r.status] || String(r.status),
    body: r.body,
    headers: r.headers,
    url: r.url,
    proto: 'HTTP/1.1',
    error: r.error || '',
    error_code: r.error ? 1000 : 0,
    timings: { duration: r.durationMs, waiting: r.durationMs },
    request: { method: r.method, url: r.requestUrl },
    json(selector) {
      const v = JSON.parse(this.body);
      if (!selector) return v;
      return String(selector)
        .split('.')
        .reduce((o, k) => (o == null ? undefined : o[k]), v);
    },
    html() {
      throw new Error('res.html() is not supported by this runner');
    },
  };
}

function encodeBody(body, headers) {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('latin1');
  // k6 sends a plain object as a form.
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  return new URLSearchParams(body).toString();
}

function request(method, url, body, params) {
  if (inInit)
    throw new Error(
      'making HTTP requests in the init context is not supported (k6 forbids it too)',
    );
  const p = params || {};
  const headers = { ...(p.headers || {}) };
  const r = roundTrip({
    method: String(method).toUpperCase(),
    url: String(url),
    body: encodeBody(body, headers),
    headers,
    redirects: p.redirects,
    tags: p.tags || {},
    expected: p.responseCallback && p.responseCallback.expected,
    vu,
  });
  return makeResponse(r);
}

const http = {
  get: (url, params) => request('GET', url, null, params),
  head: (url, params) => request('HEAD', url, null, params),
  post: (url, body, params) => request('POST', url, body, params),
  put: (url, body, params) => request('PUT', url, body, params),
  patch: (url, body, params) => request('PATCH', url, body, params),
  del: (url, body, params) => request('DELETE', url, body, params),
  options: (url, body, params) => request('OPTIONS', url, body, params),
  request,
  batch(requests) {
    const list = Array.isArray(requests) ? requests : Object.values(requests);
    return list.map((r) =>
      typeof r === 'string'
        ? request('GET', r, null)
        : Array.isArray(r)
          ? request(r[0], r[1], r[2], r[3])
          : request(r.method || 'GET', r.url, r.body, r.params),
    );
  },
  expectedStatuses(...specs) {
    return { expected: specs };
  },
  setResponseCallback() {},
};

const k6 = {
  check(value, sets, tags) {
    let all = true;
    for (const [name, fn] of Object.entries(sets || {})) {
      let ok = false;
      try {
        ok = Boolean(typeof fn === 'function' ? fn(value) : fn);
      } catch {
        ok = false;
      }
      all = all && ok;
      post({ type: 'check', name, ok, tags: tags || {} });
    }
    return all;
  },
  sleep(seconds) {
    blockFor(Number(seconds) * 1000);
  },
  group(name, fn) {
    return fn();
  },
  fail(message) {
    throw new Error(message || 'fail()');
  },
};

const execution = {
  vu: {
    get idInTest() {
      return vu;
    },
    get iterationInScenario() {
      return iteration;
    },
  },
  scenario: {
    get iterationInTest() {
      return iteration;
    },
  },
};

const MODULES = {
  k6,
  'k6/http': { __esModule: true, default: http, ...http },
  'k6/execution': { __esModule: true, default: execution },
};

function k6Require(name) {
  const m = MODULES[name];
  if (!m) throw new Error(`the k6 module "${name}" is not supported by this runner`);
  return m;
}

globalThis.__ENV = env;
globalThis.__VU = vu;
Object.defineProperty(globalThis, '__ITER', { get: () => iteration });
globalThis.open = (file) => {
  if (!inInit) throw new Error('open() works only in the init context');
  return readFileSync(resolve(dirname(scriptPath), file), 'utf8');
};

const mod = { exports: {} };
try {
  new Function('require', 'module', 'exports', code)(k6Require, mod, mod.exports);
} catch (e) {
  post({ type: 'fatal', message: `init: ${e && e.stack ? e.stack : e}` });
  process.exit(1);
}
inInit = false;
const exported = mod.exports;
const fn = exported.default;
post({ type: 'ready', options: JSON.parse(JSON.stringify(exported.options || {})) });

parentPort.once('message', () => {
  if (typeof fn !== 'function') {
    post({ type: 'fatal', message: 'the script exports no default function' });
    process.exit(1);
  }
  for (;;) {
    if (Atomics.load(ctl, 0)) break;
    if (vu > Atomics.load(ctl, 1)) {
      blockFor(50);
      continue;
    }
    const limit = Atomics.load(ctl, 3);
    if (limit >= 0 && Atomics.add(ctl, 2, 1) >= limit) break;
    const started = performance.now();
    let error;
    try {
      fn();
    } catch (e) {
      error = String(e && e.message ? e.message : e);
    }
    post({ type: 'iteration', durationMs: performance.now() - started, error });
    iteration++;
  }
  post({ type: 'done' });
});

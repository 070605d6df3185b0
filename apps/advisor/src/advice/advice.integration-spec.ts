/**
 * The advisor on real PostgreSQL: its roles can read (and write only history), GET /advice
 * reports a silent device from the devices table, reads need a viewer and questions an
 * operator (a signed-in user's token or the admin key), bodies
 * are validated, questions are rate limited per caller, and answers land in the history.
 */
import { Client } from 'pg';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import type { Finding } from '../detectors';
import {
  startAdvisorInstance,
  userToken,
  type AdvisorInstance,
} from '../test-support/advisor-instance';

let db: TestDatabase;
let advisor: AdvisorInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  const c = new Client({ connectionString: db.url });
  await c.connect();
  await c.query(`INSERT INTO devices (id, name, location, presence, last_seen_at) VALUES
    ('boiler-room-7', 'Boiler 7', 'Basement B2', 'online', now() - interval '10 minutes'),
    ('lobby-1', 'Lobby', 'Ground floor', 'online', now())`);
  await c.end();
  advisor = await startAdvisorInstance(db, { ADVISOR_ASK_PER_MINUTE: '3' });
});

afterAll(async () => {
  await advisor?.close();
  await db?.drop();
});

async function json<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(`${advisor.baseUrl}${path}`, init ?? { headers: advisor.viewer });
  return { status: res.status, body: (await res.json()) as T };
}

const post = (body: unknown, headers: Record<string, string> = advisor.operator) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('roles', () => {
  it('the read role reads every table but cannot write, the history role touches only advice_history', async () => {
    const read = new Client({ connectionString: advisor.readUrl });
    const history = new Client({ connectionString: advisor.historyUrl });
    await read.connect();
    await history.connect();
    try {
      expect((await read.query('SELECT count(*)::int AS n FROM devices')).rows[0].n).toBe(2);
      await expect(read.query(`UPDATE devices SET name = 'x'`)).rejects.toThrow(
        /read-only transaction|permission denied/,
      );
      await expect(
        read.query(
          `BEGIN READ WRITE; INSERT INTO advice_history (kind, source, body) VALUES ('answer', 'llm', '{}')`,
        ),
      ).rejects.toThrow(/permission denied/);
      await read.query('ROLLBACK');
      await expect(history.query('SELECT * FROM devices')).rejects.toThrow(/permission denied/);
      await expect(history.query('DELETE FROM advice_history')).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await read.end();
      await history.end();
    }
  });
});

describe('GET /advice', () => {
  it('reports the silent device with the rows that prove it, and not the one that reports', async () => {
    const body = await waitFor(
      async () => {
        const r = await json<{ findings: Finding[] }>('/advice');
        return r.body.findings.some((f) => f.detector === 'device-silent') && r.body;
      },
      { timeoutMs: 15_000, what: 'a device-silent finding' },
    );
    const silent = body.findings.filter((f) => f.detector === 'device-silent');
    expect(silent.map((f) => f.subject)).toEqual(['boiler-room-7']);
    expect(silent[0].evidence[0].source).toMatch(/devices/);
    expect(silent[0].evidence[0].rows?.[0]['id']).toBe('boiler-room-7');
  });
});

describe('who may call it', () => {
  it('reads need a viewer: anonymous 401, a token of another secret 401, a device role nowhere', async () => {
    expect((await json('/advice', { headers: {} })).status).toBe(401);
    expect((await json('/advice/history', { headers: {} })).status).toBe(401);
    const forged = userToken('admin', 'another-secret-0123456789-0123456789');
    expect((await json('/advice', { headers: forged })).status).toBe(401);
    expect((await json('/advice', { headers: advisor.viewer })).status).toBe(200);
    expect((await json('/advice/history', { headers: advisor.admin })).status).toBe(200);
  });

  it("asking needs an operator: a viewer gets 403 in the kit's error shape", async () => {
    const r = await json<{ code: string }>(
      '/advice/ask',
      post({ question: 'what is wrong?' }, advisor.viewer),
    );
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
  });
});

describe('POST /advice/ask', () => {
  it('is refused without a credential and with a wrong key', async () => {
    expect((await json('/advice/ask', post({ question: 'what is wrong?' }, {}))).status).toBe(401);
    expect(
      (
        await json(
          '/advice/ask',
          post({ question: 'what is wrong?' }, { 'x-api-key': 'wrong-key-0123456789' }),
        )
      ).status,
    ).toBe(401);
  });

  it('names the bad field of a bad body', async () => {
    const r = await json<{ code: string; field: string }>('/advice/ask', post({ question: 5 }));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'question' });
    const extra = await json<{ field: string }>(
      '/advice/ask',
      post({ question: 'why?!', drop: true }),
    );
    expect(extra.status).toBe(400);
    expect(extra.body.field).toBe('drop');
  });

  it('answers from the detectors without an LLM, says so, cites the finding, and records it', async () => {
    const r = await json<{ source: string; answer: string; citations: string[]; fallback: string }>(
      '/advice/ask',
      post({ question: 'which device is silent?' }),
    );
    expect(r.status).toBe(200);
    expect(r.body.source).toBe('detectors');
    expect(r.body.answer).toMatch(/^Detectors only \(no LLM endpoint configured\)/);
    expect(r.body.citations).toContain('device-silent:boiler-room-7');
    const h = await json<{ kind: string; question?: string; actor?: string }[]>(
      '/advice/history?kind=answer',
    );
    expect(h.body[0]).toMatchObject({
      kind: 'answer',
      question: 'which device is silent?',
      actor: 'operator-1',
    });
    const findings = await json<{ kind: string; findingId?: string }[]>(
      '/advice/history?kind=finding',
    );
    expect(findings.body.map((e) => e.findingId)).toContain('device-silent:boiler-room-7');
  });

  it('rate limits questions per caller (429 after the budget)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await json('/advice/ask', post({ question: 'anything wrong?' }))).status);
    expect(statuses).toContain(429);
    // Reads are counted apart.
    expect((await json('/advice')).status).toBe(200);
  });
});

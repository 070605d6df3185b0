/**
 * The LLM layer against a local OpenAI-compatible server (real HTTP, scripted replies): only
 * read-only tools run, an error or a timeout falls back to the detectors and says so, and no
 * raw device id, name or location is in any request body the server receives.
 */
import { Client } from 'pg';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import type { Finding } from '../detectors';
import { startAdvisorInstance, type AdvisorInstance } from '../test-support/advisor-instance';
import { startFakeOpenAi, type FakeOpenAi } from '../test-support/fake-openai';

const SECRET_IDS = ['boiler-room-7', 'Boiler Seven', 'Basement B2', 'chiller-east-3'];

let db: TestDatabase;
let llm: FakeOpenAi;
let advisor: AdvisorInstance;

interface Answer {
  source: string;
  answer: string;
  fallback?: string;
  citations: string[];
  toolCalls: { name: string; outcome: string }[];
}

beforeAll(async () => {
  db = await createTestDatabase();
  const c = new Client({ connectionString: db.url });
  await c.connect();
  await c.query(`INSERT INTO devices (id, name, location, presence, last_seen_at) VALUES
    ('boiler-room-7', 'Boiler Seven', 'Basement B2', 'online', now() - interval '10 minutes'),
    ('chiller-east-3', 'Chiller', 'Roof east', 'offline', now() - interval '5 minutes')`);
  await c.end();
  llm = await startFakeOpenAi();
  advisor = await startAdvisorInstance(db, {
    ADVISOR_LLM_URL: llm.url,
    ADVISOR_LLM_MODEL: 'test-model',
    ADVISOR_LLM_API_KEY: 'sk-test',
    ADVISOR_LLM_TIMEOUT_MS: '1500',
  });
  await waitFor(
    async () => {
      const r = (await (
        await fetch(`${advisor.baseUrl}/advice`, { headers: advisor.viewer })
      ).json()) as {
        findings: Finding[];
      };
      return r.findings.filter((f) => f.detector === 'device-silent').length === 2;
    },
    { timeoutMs: 15_000, what: 'two device-silent findings' },
  );
});

afterAll(async () => {
  await advisor?.close();
  await llm?.close();
  await db?.drop();
});

beforeEach(() => llm.bodies.splice(0));

async function ask(question: string): Promise<Answer> {
  const res = await fetch(`${advisor.baseUrl}/advice/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...advisor.operator },
    body: JSON.stringify({ question }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

function expectNoRawIds(): void {
  expect(llm.bodies.length).toBeGreaterThan(0);
  for (const body of llm.bodies) for (const id of SECRET_IDS) expect(body).not.toContain(id);
}

it('runs only the read-only tools, refuses any other, and maps pseudonyms back in the answer', async () => {
  llm.script(
    {
      toolCalls: [
        { name: 'run_sql_template', args: { name: 'devices' } },
        { name: 'execute_sql', args: { sql: 'DELETE FROM devices' } },
      ],
    },
    { toolCalls: [{ name: 'search_logs', args: { pattern: 'device-1' } }] },
    {
      answer: 'device-1 [device-silent:device-1] and device-2 [device-silent:device-2] are silent.',
    },
  );
  const a = await ask('Why is boiler-room-7 not reporting?');
  expect(a.source).toBe('llm');
  expect(a.toolCalls).toEqual([
    { name: 'run_sql_template', args: { name: 'devices' }, outcome: 'run' },
    { name: 'execute_sql', args: { sql: 'DELETE FROM devices' }, outcome: 'refused' },
    { name: 'search_logs', args: { pattern: expect.any(String) }, outcome: 'run' },
  ]);
  expect(a.answer).toContain('boiler-room-7');
  expect(a.answer).toContain('chiller-east-3');
  expect(a.answer).not.toMatch(/device-\d/);
  expect(a.citations.sort()).toEqual([
    'device-silent:boiler-room-7',
    'device-silent:chiller-east-3',
  ]);
  // The tool result went back to the model pseudonymised, the refusal named the allowed tools.
  const toolTurn = llm.bodies[1];
  expect(toolTurn).toContain('device-1');
  expect(toolTurn).toMatch(/refused: \\"execute_sql\\" is not one of the read-only tools/);
  // Only read-only tools are offered at all.
  const offered = (
    JSON.parse(llm.bodies[0]) as { tools: { function: { name: string } }[] }
  ).tools.map((t) => t.function.name);
  expect(offered.sort()).toEqual([
    'get_findings',
    'query_metric',
    'run_sql_template',
    'search_logs',
  ]);
  expectNoRawIds();
  const c = new Client({ connectionString: db.url });
  await c.connect();
  expect((await c.query('SELECT count(*)::int AS n FROM devices')).rows[0].n).toBe(2);
  await c.end();
});

it('falls back to the detectors when the endpoint fails, and says so', async () => {
  llm.script({ status: 500 });
  const a = await ask('Which devices are silent?');
  expect(a.source).toBe('detectors');
  expect(a.fallback).toBe('error');
  expect(a.answer).toMatch(/^Detectors only \(the LLM failed\)/);
  expect(a.citations).toContain('device-silent:boiler-room-7');
  expectNoRawIds();
});

it('falls back to the detectors when the endpoint does not answer in time', async () => {
  llm.script({ hang: true });
  const started = Date.now();
  const a = await ask('Which devices are silent?');
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(a.source).toBe('detectors');
  expect(a.fallback).toBe('timeout');
  expect(a.answer).toMatch(/^Detectors only \(the LLM timed out\)/);
  expectNoRawIds();
});

it('counts calls, tokens and fallbacks in its metrics', async () => {
  const text = await (await fetch(`${advisor.baseUrl}/metrics`)).text();
  expect(text).toMatch(/advisor_llm_calls_total\{outcome="ok"\} 3/);
  expect(text).toMatch(/advisor_llm_tokens_total\{kind="prompt"\} 360/);
  expect(text).toMatch(/advisor_llm_fallbacks_total\{reason="error"\} 1/);
  expect(text).toMatch(/advisor_llm_fallbacks_total\{reason="timeout"\} 1/);
  expect(text).toMatch(/advisor_llm_tool_calls_total\{tool="execute_sql",outcome="refused"\} 1/);
});

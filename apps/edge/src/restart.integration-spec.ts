/**
 * A node killed with SIGKILL: what the server had not acked as committed is still in its
 * outbox and arrives after the restart; sequence numbers go on where they were (none is used
 * twice); and an alarm that was open when it died is cleared once the restarted node sees
 * the condition gone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateServicePasswords,
  startRegistryBroker,
  type RegistryBroker,
} from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import { compileEdge, EdgeProcess, Recorder, registerDevice } from './testing/edge-process';

const NODE = 'edge-restart';

describe('edge restart', () => {
  let broker: RegistryBroker;
  let db: TestDatabase;
  let login: Record<string, string>;
  let build: ReturnType<typeof compileEdge>;
  let dir: string;
  const edges: EdgeProcess[] = [];

  const edge = (values: number[]) => {
    const file = join(dir, `replay-${edges.length}.csv`);
    writeFileSync(file, ['sensor,value', ...values.map((v) => `temperature,${v}`)].join('\n'));
    const e = new EdgeProcess(build.main, {
      MQTT_URL: broker.url,
      ...login,
      NODE_ID: NODE,
      SENSORS: 'temperature:50',
      SENSOR_SOURCE: `replay:${file}`,
      OUTBOX_DIR: join(dir, 'outbox'),
      RECONNECT_MIN_MS: '100',
      ACK_TIMEOUT_MS: '1000',
    });
    edges.push(e);
    return e;
  };

  beforeAll(async () => {
    build = compileEdge('edge-restart');
    dir = mkdtempSync(join(tmpdir(), 'edge-restart-'));
    db = await createTestDatabase();
    broker = await startRegistryBroker({
      databaseUrl: db.url,
      services: generateServicePasswords(),
      port: 0,
    });
    login = await registerDevice(db.url, NODE);
  });

  afterAll(async () => {
    for (const e of edges) await e.stop('SIGKILL');
    await broker?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
    build?.cleanup();
  });

  it('keeps what was not committed, goes on with its sequence and clears the stale alarm', async () => {
    // A server that receives but never commits: nothing is acked.
    const lossy = new Recorder();
    await lossy.connect(broker, NODE, 'lossy', false);
    const first = edge([40]);
    await waitFor(
      () => lossy.readings.length >= 20 && lossy.events.some((e) => e.state === 'raised'),
      { what: 'readings and the raise before the kill' },
    );
    const h = await first.get<{ outbox: { readings: number; events: number } }>('/health');
    expect(h.outbox.readings).toBeGreaterThanOrEqual(20);
    expect(h.outbox.events).toBe(1);
    await first.stop('SIGKILL');
    await lossy.close();
    const beforeKill = new Map(lossy.readings.map((r) => [r.seq!, r.ts]));

    // The condition is gone when the node comes back; now the server commits.
    const server = new Recorder();
    await server.connect(broker, NODE, 'server', true);
    const second = edge([10]);
    await waitFor(() => server.events.some((e) => e.state === 'cleared'), {
      timeoutMs: 15_000,
      what: 'the restored alarm to clear',
    });
    // Live sampling goes on, so the outbox is never quite empty: wait for what it held.
    await waitFor(
      () =>
        [...beforeKill.keys()].every((seq) => server.readings.some((r) => r.seq === seq)) &&
        server.readings.length > beforeKill.size + 10,
      { what: 'what the outbox held before the kill' },
    );
    const after = await second.get<{ outbox: { events: number; oldestAgeMs: number } }>('/health');
    expect(after.outbox.events).toBe(0);
    expect(after.outbox.oldestAgeMs).toBeLessThan(1_000);

    const raised = server.events.filter((e) => e.state === 'raised');
    const cleared = server.events.filter((e) => e.state === 'cleared');
    expect(raised).toHaveLength(1);
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatchObject({
      ruleId: raised[0].ruleId,
      sensor: 'temperature',
      value: 10,
    });
    expect(cleared[0].seq).toBe(raised[0].seq! + 1);
    // Every reading the first run sent arrived again, same seq, same time.
    for (const [seq, ts] of beforeKill) {
      expect(server.readings.find((r) => r.seq === seq)?.ts).toBe(ts);
    }
    // One sequence across both runs: 1..n, none twice.
    const seqs = server.readings.map((r) => r.seq!).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_s, i) => i + 1));
    await second.stop();
  });
});

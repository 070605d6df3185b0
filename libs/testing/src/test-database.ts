/**
 * A fresh, migrated database per test file on the run's embedded PostgreSQL. The Jest global
 * setup ran the migrations once into a template database; each copy of it is cheap.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const TEMPLATE = 'iotmon_template';

function adminUrl(): string {
  const url = process.env['TEST_PG_ADMIN_URL'];
  if (!url)
    throw new Error(
      'TEST_PG_ADMIN_URL is unset: run integration specs with their jest.integration.cjs',
    );
  return url;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`));
  return {
    name,
    url: withDatabase(adminUrl(), name),
    drop: () =>
      withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

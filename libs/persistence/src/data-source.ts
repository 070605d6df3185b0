/** The TypeORM data source shared by api and alerting: migrations and the pool, never synchronize. */
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ADVISOR_MIGRATIONS } from './advisor-schema';
import { ALERTING_MIGRATIONS } from './alerting-schema';
import { API_MIGRATIONS } from './api-schema';
import { AUTH_MIGRATIONS } from './auth-schema';

/** TypeORM orders migrations by the timestamp in their names, not by this list. */
export const MIGRATIONS = [
  ...API_MIGRATIONS,
  ...ALERTING_MIGRATIONS,
  ...AUTH_MIGRATIONS,
  ...ADVISOR_MIGRATIONS,
];

export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env['DATABASE_URL'];
  if (!url)
    throw new Error('DATABASE_URL is not set (npm start sets it for the embedded PostgreSQL)');
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(
      `DATABASE_URL must start with postgres://, got "${url.replace(/:[^:@/]*@/, ':***@')}"`,
    );
  }
  return url;
}

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // No entities: every table is reached with SQL next to the feature that owns it.
    entities: [],
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsTransactionMode: 'all',
    extra: { max: poolSize },
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}

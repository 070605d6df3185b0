/** The TypeORM data source shared by api and alerting: migrations only, never synchronize. */
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ConstraintEventEntity } from './entities/constraint-event.entity';
import { DeviceEntity } from './entities/device.entity';
import { ReadingEntity } from './entities/reading.entity';
import { CreateDevicesReadingsEvents1795305600000 } from './migrations/1795305600000-create-devices-readings-events';

export const ENTITIES = [DeviceEntity, ReadingEntity, ConstraintEventEntity];
export const MIGRATIONS = [CreateDevicesReadingsEvents1795305600000];

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
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsTransactionMode: 'all',
    extra: { max: poolSize },
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}

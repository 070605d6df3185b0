/** Command line: `migrate.js up|down` against DATABASE_URL (nx db:migrate / db:revert). */
import { createDataSource, databaseUrlFromEnv } from './data-source';

export async function runMigrations(
  url: string,
  direction: 'up' | 'down' = 'up',
): Promise<string[]> {
  const ds = createDataSource(url, 1);
  await ds.initialize();
  try {
    if (direction === 'down') {
      await ds.undoLastMigration({ transaction: 'all' });
      return ['reverted one migration'];
    }
    const done = await ds.runMigrations({ transaction: 'all' });
    return done.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  const direction = process.argv[2] === 'down' ? 'down' : 'up';
  runMigrations(databaseUrlFromEnv(), direction)
    .then((names) =>
      console.log(names.length ? `migrations: ${names.join(', ')}` : 'migrations: up to date'),
    )
    .catch((e: Error) => {
      console.error(`migration failed: ${e.message}`);
      process.exit(1);
    });
}

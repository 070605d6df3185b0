/** Command line: `migrate.js up|down` against DATABASE_URL (nx db:migrate / db:revert). */
import { escapeLiteral } from 'pg';
import { ADVISOR_ROLE_PASSWORDS } from './advisor-schema';
import { createDataSource, databaseUrlFromEnv } from './data-source';

export async function runMigrations(
  url: string,
  direction: 'up' | 'down' = 'up',
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  const ds = createDataSource(url, 1);
  await ds.initialize();
  try {
    if (direction === 'down') {
      await ds.undoLastMigration({ transaction: 'all' });
      return ['reverted one migration'];
    }
    const done = await ds.runMigrations({ transaction: 'all' });
    // Passwords are not schema: set on every run so a rotated secret takes effect. Never logged.
    for (const { role, variable } of ADVISOR_ROLE_PASSWORDS) {
      const password = env[variable];
      if (password) await ds.query(`ALTER ROLE ${role} PASSWORD ${escapeLiteral(password)}`);
    }
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

/** The shared error contract (libs/testing), run against the alerting service. */
import { createTestDatabase, describeErrorContract } from '@iotmon/testing';
import { startAlertingInstance } from './test-support/alerting-instance';
import { startTestBroker } from './test-support/edge-publisher';

describeErrorContract('alerting', {
  start: async () => {
    const db = await createTestDatabase();
    const broker = await startTestBroker(db.url);
    const app = await startAlertingInstance({ DATABASE_URL: db.url, ...broker.env('alerting') });
    return {
      baseUrl: app.baseUrl,
      databaseUrl: db.url,
      headers: app.admin,
      close: async () => {
        await app.close();
        await broker.close();
        await db.drop();
      },
    };
  },
  badQuery: { url: '/alerts?limit=0', field: 'limit' },
  unknownQuery: { url: '/alerts?bogus=1', field: 'bogus' },
  notFound: '/alerts/424242',
  jsonBody: { method: 'POST', url: '/webhooks' },
  internal: { url: '/alerts', dropTable: 'alarms' },
});

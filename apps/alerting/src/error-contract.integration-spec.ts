/** The shared error contract (libs/testing), run against the alerting service. */
import { startEmbeddedBroker } from '@iotmon/messaging';
import { createTestDatabase, describeErrorContract } from '@iotmon/testing';
import { startAlertingInstance } from './test-support/alerting-instance';

describeErrorContract('alerting', {
  start: async () => {
    const [db, broker] = await Promise.all([
      createTestDatabase(),
      startEmbeddedBroker({ port: 0 }),
    ]);
    const app = await startAlertingInstance({ DATABASE_URL: db.url, MQTT_URL: broker.url });
    return {
      baseUrl: app.baseUrl,
      databaseUrl: db.url,
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

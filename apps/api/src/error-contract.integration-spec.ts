/** The shared error contract (libs/testing), run against the api. */
import { describeErrorContract } from '@iotmon/testing';
import { admin, startApi } from './testing/api-harness';

describeErrorContract('api', {
  start: async () => {
    const h = await startApi({ INGEST_MQTT: 'false' });
    await h.api.listen(0, '127.0.0.1');
    const { port } = h.api.getHttpServer().address() as { port: number };
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      databaseUrl: h.db.url,
      headers: h.viewer,
      close: h.close,
    };
  },
  badQuery: { url: '/devices?limit=0', field: 'limit' },
  unknownQuery: { url: '/devices?bogus=1', field: 'bogus' },
  notFound: '/devices/no-such-device',
  jsonBody: { method: 'POST', url: '/devices', headers: admin },
  internal: { url: '/devices', dropTable: 'devices' },
});

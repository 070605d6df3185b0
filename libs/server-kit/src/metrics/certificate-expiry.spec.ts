import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalCa } from '@iotmon/messaging';
import { register } from 'prom-client';
import { CERT_EXPIRY, earliestExpiry, recordCertificateExpiry } from './certificate-expiry';

describe('tls_certificate_expiry_timestamp_seconds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cert-expiry-'));
  const soon = createLocalCa(['localhost'], 3);
  const later = createLocalCa(['localhost'], 400);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => register.removeSingleMetric(CERT_EXPIRY));

  const days = (n: number) => Date.now() / 1000 + n * 86_400;

  it('exports when each configured certificate file expires', async () => {
    writeFileSync(join(dir, 'ca.pem'), later.caCert);
    writeFileSync(join(dir, 'client.pem'), soon.cert);
    recordCertificateExpiry({
      MQTT_CA_FILE: join(dir, 'ca.pem'),
      MQTT_CERT_FILE: join(dir, 'client.pem'),
    });
    const { values } = await register.getSingleMetric(CERT_EXPIRY)!.get();
    const at = Object.fromEntries(values.map((v) => [v.labels.certificate, v.value]));
    expect(at.mqtt_ca).toBeGreaterThan(days(399));
    expect(at.mqtt_ca).toBeLessThan(days(401));
    expect(at.mqtt_client).toBeGreaterThan(days(2));
    expect(at.mqtt_client).toBeLessThan(days(4));
  });

  it('takes the earliest certificate of a bundle', () => {
    expect(earliestExpiry(`${later.caCert}\n${soon.caCert}`)).toBeLessThan(days(4));
    expect(earliestExpiry('not a certificate')).toBeUndefined();
  });

  it('exports nothing when no certificate is configured or the file is missing', async () => {
    recordCertificateExpiry({ MQTT_CA_FILE: join(dir, 'missing.pem') });
    const { values } = await register.getSingleMetric(CERT_EXPIRY)!.get();
    expect(values).toEqual([]);
  });
});

/**
 * tls_certificate_expiry_timestamp_seconds{certificate}: when each certificate this process
 * loads expires, so the chart's certificate-expiry rules (helm/iotmon/rules/iotmon-tls.rules.yml)
 * have data. Read once at start-up: a process loads its certificates once, and a renewed file
 * takes effect (and is measured) at the next restart.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Gauge, register } from 'prom-client';

export const CERT_EXPIRY = 'tls_certificate_expiry_timestamp_seconds';

/** The certificate files of the MQTT client settings (libs/messaging mqtt-options), by label. */
export const CERTIFICATE_FILES: Readonly<Record<string, string>> = {
  mqtt_ca: 'MQTT_CA_FILE',
  mqtt_client: 'MQTT_CERT_FILE',
};

/** Earliest expiry (seconds since the epoch) among the PEM certificates of a file (a bundle may hold several). */
export function earliestExpiry(pem: string): number | undefined {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const ends = blocks.map((b) => Date.parse(new X509Certificate(b).validTo) / 1000);
  return ends.length ? Math.min(...ends) : undefined;
}

/** Sets the gauge for every configured certificate file; a file that cannot be read is left to the MQTT settings to report. */
export function recordCertificateExpiry(env: NodeJS.ProcessEnv = process.env): Gauge {
  const gauge =
    (register.getSingleMetric(CERT_EXPIRY) as Gauge | undefined) ??
    new Gauge({
      name: CERT_EXPIRY,
      help: 'Expiry time of a certificate this process loaded (earliest in its file), seconds since the epoch',
      labelNames: ['certificate'],
    });
  for (const [label, variable] of Object.entries(CERTIFICATE_FILES)) {
    const file = env[variable];
    if (!file) continue;
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const at = earliestExpiry(pem);
    if (at !== undefined) gauge.set({ certificate: label }, at);
  }
  return gauge;
}

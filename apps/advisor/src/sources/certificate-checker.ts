/** TLS handshakes with the configured endpoints (broker, ingress) to read their certificate's expiry. */
import { connect } from 'node:tls';
import { Inject, Injectable } from '@nestjs/common';
import type { Row } from '../detectors';
import { ADVISOR_CONFIG, type AdvisorConfig } from '../config';

@Injectable()
export class CertificateChecker {
  constructor(@Inject(ADVISOR_CONFIG) private readonly config: AdvisorConfig) {}

  async check(): Promise<Row[]> {
    return Promise.all(this.config.tlsTargets.map((t) => this.one(t)));
  }

  private one(target: string): Promise<Row> {
    const [host, port] = target.split(':');
    return new Promise((resolve) => {
      const socket = connect(
        {
          host,
          port: Number(port || 443),
          servername: host,
          rejectUnauthorized: false,
          timeout: 3_000,
        },
        () => {
          const cert = socket.getPeerCertificate();
          socket.end();
          resolve({
            target,
            not_after: cert.valid_to ? new Date(cert.valid_to).toISOString() : null,
            subject: [cert.subject?.CN ?? []].flat().join(',') || null,
          });
        },
      );
      socket.on('error', (e) =>
        resolve({ target, not_after: null, subject: null, error: e.message }),
      );
      socket.on('timeout', () => socket.destroy(new Error('timeout')));
    });
  }
}

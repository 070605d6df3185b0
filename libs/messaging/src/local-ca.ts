/**
 * A local certificate authority and a server certificate signed by it, for MQTT over TLS on
 * one machine (`TLS=1 npm start`) and in tests. Production brings certificates of its own
 * (the chart mounts a Secret, e.g. from cert-manager).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface LocalCa {
  /** PEM of the CA certificate: what clients trust (MQTT_CA_FILE). */
  caCert: string;
  /** PEM of the server certificate and its private key (the broker's). */
  cert: string;
  key: string;
}

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    pem: privateKey,
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    publicKey: forge.pki.publicKeyFromPem(publicKey),
  };
}

function certificate(publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial (leading 0 bit) of 128 random bits.
  cert.serialNumber = `01${randomBytes(16).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  return cert;
}

/** `hosts` become the server certificate's subject alternative names (names and IPs). */
export function createLocalCa(
  hosts: readonly string[] = ['localhost', '127.0.0.1', '::1'],
  days = 825,
): LocalCa {
  const caKeys = keyPair();
  const ca = certificate(caKeys.publicKey, days);
  const caName = [{ name: 'commonName', value: 'iotmon local CA' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = keyPair();
  const server = certificate(serverKeys.publicKey, days);
  server.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }]);
  server.setIssuer(caName);
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hosts.map((h) =>
        /^[\d.]+$|:/.test(h) ? { type: 7, ip: h } : { type: 2, value: h },
      ),
    },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());
  return {
    caCert: forge.pki.certificateToPem(ca),
    cert: forge.pki.certificateToPem(server),
    key: serverKeys.pem,
  };
}

import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from './webhook-signing';

describe('webhook signing', () => {
  const body = '{"type":"alarm.change"}';

  it('signs timestamp and body with HMAC-SHA256', () => {
    const expected = createHmac('sha256', 's3cret').update(`1700000000000.${body}`).digest('hex');
    expect(signBody('s3cret', body, 1_700_000_000_000)).toBe(`t=1700000000000,v1=${expected}`);
  });

  it('verifies its own signatures and rejects tampering', () => {
    const sig = signBody('s3cret', body, 1_700_000_000_000);
    expect(verifySignature('s3cret', body, sig)).toBe(true);
    expect(verifySignature('s3cret', body + ' ', sig)).toBe(false);
    expect(verifySignature('other', body, sig)).toBe(false);
    expect(verifySignature('s3cret', body, sig.replace('t=1700000000000', 't=1700000000001'))).toBe(
      false,
    );
    expect(verifySignature('s3cret', body, undefined)).toBe(false);
    expect(verifySignature('s3cret', body, 'v1=abc')).toBe(false);
  });
});

import { WebhookTargetPolicy, webhookTargetConfigFromEnv } from './webhook-target-policy';

describe('WebhookTargetPolicy', () => {
  const strict = new WebhookTargetPolicy(webhookTargetConfigFromEnv({}));

  it('requires https unless WEBHOOK_ALLOW_HTTP is set', () => {
    expect(() => strict.checkUrl('http://hooks.example.com/x')).toThrow(
      /https.*WEBHOOK_ALLOW_HTTP/,
    );
    expect(() => strict.checkUrl('ftp://hooks.example.com/x')).toThrow(/https/);
    expect(strict.checkUrl('https://hooks.example.com/x').hostname).toBe('hooks.example.com');
    const lax = new WebhookTargetPolicy(webhookTargetConfigFromEnv({ WEBHOOK_ALLOW_HTTP: 'true' }));
    expect(lax.checkUrl('http://hooks.example.com/x').protocol).toBe('http:');
  });

  it('refuses special-purpose addresses and allows configured networks', () => {
    for (const a of [
      '127.0.0.1',
      '10.9.9.9',
      '172.31.0.1',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:7f00:1',
      '224.0.0.1',
    ]) {
      expect([a, strict.allowsAddress(a)]).toEqual([a, false]);
    }
    for (const a of ['93.184.215.14', '8.8.8.8', '2606:4700::1111']) {
      expect([a, strict.allowsAddress(a)]).toEqual([a, true]);
    }
    const allowing = new WebhookTargetPolicy(
      webhookTargetConfigFromEnv({ WEBHOOK_ALLOWED_NETWORKS: '10.20.0.0/16, 127.0.0.1' }),
    );
    expect(allowing.allowsAddress('10.20.3.4')).toBe(true);
    expect(allowing.allowsAddress('10.21.3.4')).toBe(false);
    expect(allowing.allowsAddress('127.0.0.1')).toBe(true);
    expect(allowing.allowsAddress('127.0.0.2')).toBe(false);
  });

  it('names the bad variable', () => {
    expect(() => webhookTargetConfigFromEnv({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33' })).toThrow(
      /WEBHOOK_ALLOWED_NETWORKS/,
    );
    expect(() => webhookTargetConfigFromEnv({ WEBHOOK_ALLOW_HTTP: 'maybe' })).toThrow(
      /WEBHOOK_ALLOW_HTTP/,
    );
    expect(() => webhookTargetConfigFromEnv({ WEBHOOK_DNS_SERVERS: 'not a server!' })).toThrow(
      /WEBHOOK_DNS_SERVERS/,
    );
  });
});

import { filterWithin, mayPublish, maySubscribe, roleOfUsername, topicMatches } from './broker-acl';

const dev = { kind: 'device', deviceId: 'dev-a' } as const;
const svc = (role: 'api' | 'alerting' | 'edge-fleet') => ({ kind: 'service', role }) as const;

describe('broker ACL table', () => {
  it('matches topics and filters as MQTT does', () => {
    expect(topicMatches('env/+/+/raw', 'env/a/temperature/raw')).toBe(true);
    expect(topicMatches('env/+/+/raw', 'env/a/raw')).toBe(false);
    expect(topicMatches('env/#', 'env/a/b/c')).toBe(true);
    expect(filterWithin('env/+/config', 'env/a/config')).toBe(true);
    expect(filterWithin('env/a/config', 'env/+/config')).toBe(false);
    expect(filterWithin('env/+/+/raw', 'env/#')).toBe(false);
    expect(filterWithin('env/#', 'env/a/#')).toBe(true);
  });

  it('pins a device to publishing under its own id, never config or ack', () => {
    expect(mayPublish(dev, 'env/dev-a/temperature/raw')).toBe(true);
    expect(mayPublish(dev, 'env/dev-a/event/temperature')).toBe(true);
    expect(mayPublish(dev, 'env/dev-a/status')).toBe(true);
    expect(mayPublish(dev, 'env/dev-b/temperature/raw')).toBe(false);
    expect(mayPublish(dev, 'env/dev-a/config')).toBe(false);
    expect(mayPublish(dev, 'env/dev-a/ack')).toBe(false);
    expect(mayPublish(dev, 'server/readings/stored')).toBe(false);
  });

  it('lets a device subscribe to its own config and ack only', () => {
    expect(maySubscribe(dev, 'env/dev-a/config')).toBe(true);
    expect(maySubscribe(dev, 'env/dev-a/ack')).toBe(true);
    expect(maySubscribe(dev, 'env/dev-b/config')).toBe(false);
    expect(maySubscribe(dev, 'env/+/config')).toBe(false);
    expect(maySubscribe(dev, 'env/dev-a/#')).toBe(false);
    expect(maySubscribe(dev, '$share/g/env/dev-b/config')).toBe(false);
  });

  it('gives config to alerting only and server/readings/stored to the api only', () => {
    expect(mayPublish(svc('alerting'), 'env/dev-a/config')).toBe(true);
    expect(mayPublish(svc('api'), 'env/dev-a/config')).toBe(false);
    expect(mayPublish(svc('edge-fleet'), 'env/dev-a/config')).toBe(false);
    expect(mayPublish(svc('api'), 'server/readings/stored')).toBe(true);
    expect(mayPublish(svc('alerting'), 'server/readings/stored')).toBe(false);
    expect(mayPublish(svc('api'), 'env/dev-a/ack')).toBe(true);
    expect(mayPublish(svc('alerting'), 'env/dev-a/ack')).toBe(true);
    expect(maySubscribe(svc('api'), '$share/ingest/env/+/+/raw')).toBe(true);
  });

  it('recognises service usernames, which no device id can take', () => {
    expect(roleOfUsername('svc:api')).toBe('api');
    expect(roleOfUsername('svc:root')).toBeUndefined();
    expect(roleOfUsername('api')).toBeUndefined();
  });
});

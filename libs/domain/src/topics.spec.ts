import { parseTopic, topicFilters, topics } from './topics';

describe('topic contract', () => {
  it('round-trips every topic kind', () => {
    expect(parseTopic(topics.raw('edge-1', 'humidity'))).toEqual({
      kind: 'raw',
      deviceId: 'edge-1',
      sensor: 'humidity',
    });
    expect(parseTopic(topics.event('edge-1', 'temperature'))).toEqual({
      kind: 'event',
      deviceId: 'edge-1',
      sensor: 'temperature',
    });
    expect(parseTopic(topicFilters.stored)).toEqual({ kind: 'stored' });
    expect(parseTopic(topics.status('n.2'))).toEqual({ kind: 'status', deviceId: 'n.2' });
    expect(parseTopic(topics.config('n_3'))).toEqual({ kind: 'config', deviceId: 'n_3' });
  });

  it('parses any sensor kind id: the catalogue decides later whether the kind is known', () => {
    expect(parseTopic('env/edge-1/co2/raw')).toEqual({
      kind: 'raw',
      deviceId: 'edge-1',
      sensor: 'co2',
    });
    expect(parseTopic('env/edge-1/event/radon')).toMatchObject({ kind: 'event', sensor: 'radon' });
  });

  it('keeps the device id in the topic path', () => {
    expect(topics.raw('edge-1', 'light')).toBe('env/edge-1/light/raw');
    expect(topics.event('edge-1', 'light')).toBe('env/edge-1/event/light');
    expect(topicFilters.shared('ingest', topicFilters.allRaw)).toBe('$share/ingest/env/+/+/raw');
  });

  it.each([
    'env/edge-1/CO2/raw',
    'env/edge-1/event/co-2',
    'env/+/temperature/raw',
    'env//temperature/raw',
    'other/edge-1/temperature/raw',
    'env/edge-1/temperature/raw/extra',
    'env/edge-1/temperature',
    'env/edge-1/temperature/stored',
  ])('rejects %s', (topic) => {
    expect(parseTopic(topic)).toBeNull();
  });
});

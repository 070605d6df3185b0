import { topicMatches } from './broker-acl';

describe('topicMatches', () => {
  it.each([
    ['env/+/+/raw', 'env/d1/temperature/raw', true],
    ['env/+/+/raw', 'env/d1/event/temperature', false],
    ['env/+/status', 'env/d1/status', true],
    ['env/+/status', 'env/d1/status/x', false],
    ['env/#', 'env/d1/a/b', true],
    ['env/d1/config', 'env/d2/config', false],
    ['server/readings/stored', 'server/readings/stored', true],
  ])('%s against %s is %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});

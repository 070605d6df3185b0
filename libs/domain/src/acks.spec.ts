import { decodeAck, encodeAck, SeqRangeSet } from './acks';
import { parseTopic, topics } from './topics';

describe('commit acks', () => {
  it('merges sequence numbers into sorted, disjoint ranges', () => {
    const set = new SeqRangeSet();
    for (const n of [5, 3, 4, 9, 1, 4, 10, 12]) set.add(n);
    expect(set.take()).toEqual([
      [1, 1],
      [3, 5],
      [9, 10],
      [12, 12],
    ]);
    expect(set.size).toBe(0);
  });

  it('round-trips through the codec and rejects malformed payloads', () => {
    const ack = {
      raw: { temperature: [[1, 100]] as [number, number][] },
      event: [[7, 7]] as [number, number][],
    };
    expect(decodeAck(encodeAck(ack))).toEqual(ack);
    expect(decodeAck('{"raw":{"nope":[[1,2]]}}')).toBeNull();
    expect(decodeAck('{"event":[[3,2]]}')).toBeNull();
    expect(decodeAck('{"event":[[1.5,2]]}')).toBeNull();
    expect(decodeAck('not json')).toBeNull();
    expect(decodeAck('[]')).toBeNull();
  });

  it('has its per-device topic in the contract', () => {
    expect(topics.ack('n-1')).toBe('env/n-1/ack');
    expect(parseTopic('env/n-1/ack')).toEqual({ kind: 'ack', deviceId: 'n-1' });
  });
});

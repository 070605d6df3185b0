import { TransitionBatcher, type Keyed } from './transition-batcher';

interface Item extends Keyed {
  n: number;
}

function harness(maxInFlight: number, maxBatch: number) {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const batcher = new TransitionBatcher<Item>(
    (batch) => {
      batches.push(batch.map((i) => i.n));
      return new Promise<void>((resolve) => gates.push(resolve));
    },
    maxInFlight,
    maxBatch,
  );
  const release = async () => {
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  const item = (n: number, key: string, group = 'edge'): Item => ({ n, key, group });
  return { batcher, batches, release, item };
}

describe('TransitionBatcher', () => {
  it('sends a lone transition at once and batches what queues up meanwhile', async () => {
    const { batcher, batches, release, item } = harness(1, 100);
    batcher.push(item(1, 'a'));
    batcher.push(item(2, 'b'));
    batcher.push(item(3, 'c'));
    expect(batches).toEqual([[1]]);
    await release();
    expect(batches).toEqual([[1], [2, 3]]);
    await release();
    await batcher.idle();
  });

  it('keeps one transition per key in flight, in arrival order', async () => {
    const { batcher, batches, release, item } = harness(2, 100);
    batcher.push(item(1, 'a'));
    batcher.push(item(2, 'a'));
    batcher.push(item(3, 'b'));
    batcher.push(item(4, 'a'));
    batcher.push(item(5, 'c'));
    // 2 waits for 1 and 4 for 2; 5 joins the first batch that has room.
    expect(batches).toEqual([[1], [3]]);
    await release();
    expect(batches).toEqual([[1], [3], [2, 5]]);
    await release();
    expect(batches).toEqual([[1], [3], [2, 5]]);
    await release();
    expect(batches).toEqual([[1], [3], [2, 5], [4]]);
    await release();
    await batcher.idle();
    expect(batcher.pending).toBe(0);
  });

  it('never mixes groups and respects the batch size', async () => {
    const { batcher, batches, release, item } = harness(1, 2);
    batcher.push(item(1, 'a'));
    batcher.push(item(2, 'b', 'server'));
    batcher.push(item(3, 'c'));
    batcher.push(item(4, 'd'));
    batcher.push(item(5, 'e'));
    await release();
    await release();
    await release();
    await release();
    expect(batches).toEqual([[1], [2], [3, 4], [5]]);
  });
});

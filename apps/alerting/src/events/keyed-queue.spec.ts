import { KeyedQueue } from './keyed-queue';

describe('KeyedQueue', () => {
  it('runs tasks of one key in order, even when an earlier one fails', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = q.run('k', async () => {
      await gate;
      log.push('a');
      throw new Error('boom');
    });
    const second = q.run('k', async () => {
      log.push('b');
    });
    release();
    await expect(first).rejects.toThrow('boom');
    await second;
    expect(log).toEqual(['a', 'b']);
  });

  it('does not make other keys wait, and forgets idle keys', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = q.run('slow', async () => {
      await gate;
      log.push('slow');
    });
    await q.run('fast', async () => {
      log.push('fast');
    });
    expect(log).toEqual(['fast']);
    release();
    await slow;
    await q.idle();
    expect(q.size).toBe(0);
  });
});

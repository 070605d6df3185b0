import { assertKnownFlags, parseArgs, stringFlag } from './args';

describe('parseArgs', () => {
  it('reads --k v, --k=v, bare flags and positionals', () => {
    const a = parseArgs(['in', 'more', '--out', 'o', '--title=a b', '--quiet']);
    expect(a).toEqual({
      flags: { out: 'o', title: 'a b', quiet: true },
      positional: ['in', 'more'],
    });
    expect(stringFlag(a, 'out')).toBe('o');
    expect(() => stringFlag(a, 'quiet')).toThrow(/needs a value/);
    expect(() => assertKnownFlags(a, ['out', 'title'])).toThrow(/--quiet/);
  });
});

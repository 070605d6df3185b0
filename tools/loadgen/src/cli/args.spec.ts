import { assertKnownFlags, parseArgs, stringFlag, readCli } from './args';

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

describe('readCli', () => {
  it('prints the help and returns nothing for --help', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(readCli(['--help'], 'usage: x', ['out'])).toBeUndefined();
    expect(log).toHaveBeenCalledWith('usage: x');
    log.mockRestore();
  });

  it('returns the parsed flags and rejects unknown ones by name', () => {
    expect(readCli(['--out', 'dir'], 'usage', ['out'])?.flags['out']).toBe('dir');
    expect(() => readCli(['--outt', 'dir'], 'usage', ['out'])).toThrow('--outt');
  });
});

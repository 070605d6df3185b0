import { ConfigError, EnvReader } from './env-reader';

describe('EnvReader', () => {
  const env = new EnvReader({ PORT: '3000', BAD: '30x', BIG: '99999', FLAG: 'yes', MODE: 'fast' });

  it('reads typed values with fallbacks', () => {
    expect(env.int('PORT', 1, 1, 65535)).toBe(3000);
    expect(env.int('MISSING', 7)).toBe(7);
    expect(env.bool('FLAG', false)).toBe(true);
    expect(env.oneOf('MODE', ['fast', 'slow'] as const, 'slow')).toBe('fast');
    expect(env.string('MISSING', 'dflt')).toBe('dflt');
  });

  it.each([
    [() => env.int('BAD', 1), /BAD must be an integer/],
    [() => env.int('BIG', 1, 1, 65535), /BIG must be between 1 and 65535/],
    [() => env.string('REQUIRED'), /REQUIRED is required/],
    [() => env.oneOf('MODE', ['a', 'b'] as const, 'a'), /MODE must be one of a, b/],
    [() => new EnvReader({ F: 'maybe' }).bool('F', true), /F must be true or false/],
  ])('names the variable at fault (%#)', (read, message) => {
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });
});

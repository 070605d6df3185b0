import { sseFrame } from './sse';

describe('sseFrame', () => {
  it('frames an event with and without id', () => {
    expect(sseFrame('alarm', '{"a":1}', '42')).toBe('id: 42\nevent: alarm\ndata: {"a":1}\n\n');
    expect(sseFrame('reading', '{}')).toBe('event: reading\ndata: {}\n\n');
  });
});

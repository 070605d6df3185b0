import { parsePrometheusText } from './prometheus-text';

describe('parsePrometheusText', () => {
  it('reads names, labels (with escapes) and values, skipping comments', () => {
    const text = [
      '# HELP x y',
      '# TYPE up gauge',
      'up 1',
      'readings_ingested_total{source="mqtt",note="a\\"b"} 42 1700000000000',
      'bad line',
    ].join('\n');
    expect(parsePrometheusText(text)).toEqual([
      { metric: 'up', labels: {}, value: 1 },
      { metric: 'readings_ingested_total', labels: { source: 'mqtt', note: 'a"b' }, value: 42 },
    ]);
  });
});

import { parseRecording, replaySource } from './replay-source';

describe('replay source', () => {
  it('reads CSV with sensor and value columns and plays each sensor in order, looping', () => {
    const rec = parseRecording(
      'ts,sensor,value\n1,temperature,21.5\n2,humidity,40\n3,temperature,22\n',
    );
    const next = replaySource('temperature', rec);
    expect([next(0), next(0), next(0)]).toEqual([21.5, 22, 21.5]);
    expect(replaySource('humidity', rec)(0)).toBe(40);
  });

  it('reads JSON lines', () => {
    const rec = parseRecording(
      '{"sensor":"light","value":300}\n{"sensor":"light","value":310,"ts":5}\n',
    );
    expect(rec.light).toEqual([300, 310]);
  });

  it('names the line of a bad row and a sensor without data', () => {
    expect(() => parseRecording('sensor,value\ntemperature,abc', 'rec.csv')).toThrow(
      'rec.csv line 2: value "abc" is not a number',
    );
    expect(() => parseRecording('{"sensor":"Wind!","value":1}', 'r.jsonl')).toThrow(
      /line 1: sensor "Wind!" is not a sensor kind id/,
    );
    expect(() => parseRecording('time,reading\n1,2')).toThrow(/sensor and value/);
    expect(() => replaySource('power', parseRecording('sensor,value\nlight,1'), 'r.csv')).toThrow(
      'r.csv has no readings for sensor power',
    );
  });
});

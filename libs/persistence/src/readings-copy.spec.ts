import type { Reading } from '@iotmon/domain';
import { decodeReadingRows, encodeReadingRows, encodeReadingsBinary } from './readings-copy';

const readings: Reading[] = [
  { deviceId: 'dev-1', sensor: 'temperature', ts: 1_764_000_000_123, value: 21.5, seq: 1 },
  { deviceId: 'dév-2', sensor: 'humidity', ts: 1_764_000_000_124.5, value: -0.25, late: true },
  { deviceId: 'dev-1', sensor: 'co2', ts: 946_684_799_999, value: 1e300, seq: 2 ** 40 },
];

describe('COPY rows', () => {
  it('decode what encodeReadingRows wrote, field for field', () => {
    expect(decodeReadingRows(encodeReadingRows(readings))).toEqual(readings);
  });

  it('concatenate: rows of two batches decode as one', () => {
    const both = Buffer.concat([
      encodeReadingRows(readings.slice(0, 1)),
      encodeReadingRows(readings.slice(1)),
    ]);
    expect(decodeReadingRows(both)).toEqual(readings);
  });

  it('make a whole payload with the PGCOPY signature and the -1 trailer', () => {
    const whole = encodeReadingsBinary(readings);
    expect(whole.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(whole.readInt16BE(whole.length - 2)).toBe(-1);
    expect(whole.length).toBe(11 + 8 + encodeReadingRows(readings).length + 2);
  });
});

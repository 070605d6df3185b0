/** Streams samples as k6 `--out json` lines, so the report reads k6 and this runner alike. */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { MetricSink, MetricType, Sample } from './metrics';

export class PointsFile implements MetricSink {
  private readonly out: WriteStream;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.out = createWriteStream(path);
  }

  declare(metric: string, type: MetricType, contains: string): void {
    this.write({
      type: 'Metric',
      data: { type, contains, tainted: null, thresholds: [], submetrics: null },
      metric,
    });
  }

  add(s: Sample): void {
    this.write({
      type: 'Point',
      data: { time: new Date(s.time).toISOString(), value: s.value, tags: s.tags },
      metric: s.metric,
    });
  }

  private write(line: object): void {
    this.out.write(`${JSON.stringify(line)}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Reading } from '@iotmon/domain';
import { aggregateReadings, queryReadings, PgConnections } from '@iotmon/persistence';
import { AppError, type Principal } from '@iotmon/server-kit';
import { type AggregateQueryDto, BUCKETS } from './dto/aggregate-query.dto';
import type { AggregateResultDto, IngestResultDto } from './dto/reading.dto';
import type { ReadingsQueryDto } from './dto/readings-query.dto';
import { decodeCursor, encodeCursor } from './reading-cursor';
import type { ValidatedBatch } from './readings-batch.pipe';
import { ApiMetrics } from '../metrics/api-metrics';
import { ReadingsWriter } from './readings-writer';
import { StoredReadingsPublisher } from './stored-readings.publisher';

@Injectable()
export class ReadingsService {
  constructor(
    @Inject(PgConnections) private readonly pg: PgConnections,
    private readonly writer: ReadingsWriter,
    private readonly stored: StoredReadingsPublisher,
    private readonly metrics: ApiMetrics,
  ) {}

  /** All or nothing unless `partial`: a batch with a bad item stores nothing. */
  async ingest(
    batch: ValidatedBatch,
    principal: Principal | undefined,
    partialParam: string | undefined,
  ): Promise<IngestResultDto & { rejected: number }> {
    if (partialParam !== undefined && partialParam !== 'true' && partialParam !== 'false') {
      throw AppError.validation([{ field: 'partial', reason: 'must be true or false' }]);
    }
    const partial = partialParam === 'true';
    if (batch.errors.length)
      this.metrics.readingsRejected.inc({ source: 'rest' }, batch.errors.length);
    if (batch.errors.length && (!partial || batch.readings.length === 0)) {
      throw AppError.validation(batch.errors.slice(0, 100), 'INVALID_READINGS');
    }
    if (principal?.kind === 'device') {
      const i = batch.readings.findIndex((r) => r.deviceId !== principal.deviceId);
      if (i >= 0) {
        throw new AppError(
          403,
          'FORBIDDEN',
          `a device key may only write its own readings (${principal.deviceId})`,
          `[${i}].deviceId`,
        );
      }
    }
    await this.writer.write(batch.readings, 'rest');
    this.stored.publish(batch.readings);
    return { accepted: batch.readings.length, rejected: batch.errors.length };
  }

  async list(q: ReadingsQueryDto): Promise<{ readings: Reading[]; nextCursor?: string }> {
    const page = await queryReadings(this.pg, {
      deviceId: q.deviceId,
      sensor: q.sensor,
      from: q.from === undefined ? undefined : Date.parse(q.from),
      to: q.to === undefined ? undefined : Date.parse(q.to),
      after: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
      limit: q.limit,
    });
    return page.next
      ? { readings: page.readings, nextCursor: encodeCursor(page.next) }
      : { readings: page.readings };
  }

  async aggregate(q: AggregateQueryDto): Promise<AggregateResultDto> {
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    if (!(to > from)) throw AppError.validation([{ field: 'to', reason: 'must be after from' }]);
    const base = BUCKETS[q.bucket];
    const buckets = Math.ceil((to - from) / 1000 / base);
    // Thin a long range: widen the bucket by a whole factor so at most maxPoints remain.
    const bucketSeconds = base * Math.max(1, Math.ceil(buckets / q.maxPoints));
    const points = await aggregateReadings(this.pg, {
      deviceId: q.deviceId,
      sensor: q.sensor,
      fn: q.fn,
      bucketSeconds,
      from,
      to,
    });
    return { bucketSeconds, fn: q.fn, points };
  }
}

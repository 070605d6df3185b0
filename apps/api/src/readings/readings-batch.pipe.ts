/**
 * Validates a POST /readings body with libs/domain's hand-written validateReading (the same
 * rules as MQTT payloads), which is far cheaper than class-validator on 10,000 items.
 */
import { Injectable, type PipeTransform } from '@nestjs/common';
import { MAX_BATCH, type FieldError, type Reading, validateReading } from '@iotmon/domain';
import { AppError } from '@iotmon/server-kit';

export interface ValidatedBatch {
  readings: Reading[];
  errors: FieldError[];
}

@Injectable()
export class ReadingsBatchPipe implements PipeTransform<unknown, ValidatedBatch> {
  transform(body: unknown): ValidatedBatch {
    if (!Array.isArray(body)) {
      throw AppError.validation([{ field: 'body', reason: 'must be a JSON array of readings' }]);
    }
    if (body.length === 0 || body.length > MAX_BATCH) {
      throw AppError.validation([
        { field: 'body', reason: `must hold 1 to ${MAX_BATCH} readings, got ${body.length}` },
      ]);
    }
    const readings: Reading[] = [];
    const errors: FieldError[] = [];
    for (let i = 0; i < body.length; i++) {
      const r = validateReading(body[i], i);
      if ('reason' in r) errors.push(r);
      else readings.push(r);
    }
    return { readings, errors };
  }
}

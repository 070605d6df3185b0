/**
 * Validates a POST /devices body: one device or an array of up to 1,000 (fleet onboarding).
 * Every item is checked and all problems are reported with their index.
 */
import { Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { AppError, type FieldProblem } from '@iotmon/server-kit';
import { CreateDeviceDto } from './dto/create-device.dto';

export const MAX_DEVICES_PER_REQUEST = 1_000;
const MAX_METADATA_BYTES = 8_192;

function problemsOf(item: unknown, index?: number): FieldProblem[] {
  const at = (p: Omit<FieldProblem, 'index'>): FieldProblem =>
    index === undefined ? p : { index, ...p };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return [at({ field: 'item', reason: 'must be an object' })];
  }
  const dto = plainToInstance(CreateDeviceDto, item);
  const errors: ValidationError[] = validateSync(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  const out = errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) =>
      at({
        field: e.property,
        reason: m.startsWith(`${e.property} `) ? m.slice(e.property.length + 1) : m,
      }),
    ),
  );
  const meta = (item as { metadata?: unknown }).metadata;
  if (meta !== undefined && JSON.stringify(meta).length > MAX_METADATA_BYTES) {
    out.push(
      at({ field: 'metadata', reason: `must be at most ${MAX_METADATA_BYTES} bytes of JSON` }),
    );
  }
  return out;
}

@Injectable()
export class DeviceCreatePipe implements PipeTransform<
  unknown,
  CreateDeviceDto[] | CreateDeviceDto
> {
  transform(body: unknown): CreateDeviceDto[] | CreateDeviceDto {
    if (Array.isArray(body)) {
      if (body.length === 0 || body.length > MAX_DEVICES_PER_REQUEST) {
        throw AppError.validation([
          { field: 'body', reason: `must hold 1 to ${MAX_DEVICES_PER_REQUEST} devices` },
        ]);
      }
      const problems = body.flatMap((item, i) => problemsOf(item, i));
      const seen = new Map<unknown, number>();
      body.forEach((d: { id?: unknown }, i) => {
        const first = seen.get(d?.id);
        if (first !== undefined) {
          problems.push({ index: i, field: 'id', reason: `repeats item ${first}` });
        } else seen.set(d?.id, i);
      });
      if (problems.length) throw AppError.validation(problems.slice(0, 100));
      return body.map((d) => plainToInstance(CreateDeviceDto, d));
    }
    const problems = problemsOf(body);
    if (problems.length) throw AppError.validation(problems);
    return plainToInstance(CreateDeviceDto, body);
  }
}

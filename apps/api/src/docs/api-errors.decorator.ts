/** Documents the error envelope for the listed statuses of a route. */
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from './error-envelope.dto';

const WHEN: Record<number, string> = {
  400: 'Invalid input: `field` names the parameter or `[index].field` the batch item',
  401: 'Missing or unknown API key (x-api-key)',
  403: 'The key may not do this (admin key needed, or another device)',
  404: 'No such resource',
  409: 'Already exists',
  413: 'Body larger than the limit',
};

export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ErrorEnvelopeDto),
    ...[...statuses, 500].map((status) =>
      ApiResponse({
        status,
        description:
          WHEN[status] ?? 'Internal error (no details; see the correlation id in the log)',
        schema: { $ref: getSchemaPath(ErrorEnvelopeDto) },
      }),
    ),
  );
}

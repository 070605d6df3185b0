/** Documents the ErrorBody for the listed statuses of a route (and 500, always). */
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';

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
    ApiExtraModels(ErrorBodyDto),
    ...[...statuses, 500].map((status) =>
      ApiResponse({
        status,
        description:
          WHEN[status] ?? 'Internal error (no details; see the correlation id in the log)',
        schema: { $ref: getSchemaPath(ErrorBodyDto) },
      }),
    ),
  );
}

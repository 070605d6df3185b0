/** The ErrorBody for OpenAPI documents (the schema of every documented 4xx/5xx). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES } from '../errors/app-error';

export class FieldProblemDto {
  @ApiPropertyOptional({ description: 'Item position in a batch', example: 3 })
  index?: number;

  @ApiProperty({ example: 'value' })
  field!: string;

  @ApiProperty({ example: 'must be a finite number' })
  reason!: string;
}

export class ErrorBodyDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({
    enum: ERROR_CODES,
    description: 'Stable, machine-readable',
    example: 'INVALID_READINGS',
  })
  code!: string;

  @ApiProperty({ example: '[3].value must be a finite number' })
  message!: string;

  @ApiPropertyOptional({ description: 'The field at fault', example: '[3].value' })
  field?: string;

  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'Every problem found' })
  errors?: FieldProblemDto[];

  @ApiProperty({
    description:
      'From x-correlation-id / x-request-id when sane (letters, digits, `._:-`, at most 128), or generated; also the x-correlation-id response header',
    example: '2f1c0a3e-8f7e-4d4c-9d7e-0a1b2c3d4e5f',
  })
  correlationId!: string;
}

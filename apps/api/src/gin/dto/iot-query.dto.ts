import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class IotListQueryDto {
  @ApiPropertyOptional({ description: 'Rows (1-10000)', default: 500, minimum: 1, maximum: 10_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit: number = 500;

  @ApiPropertyOptional({
    description: 'Rows to skip',
    default: 0,
    minimum: 0,
    maximum: 100_000_000,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  offset: number = 0;
}

export class IotCreateQueryDto {
  @ApiPropertyOptional({
    description: 'Random rows to insert (1-100000)',
    default: 100,
    minimum: 1,
    maximum: 100_000,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  n: number = 100;
}

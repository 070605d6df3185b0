/** Response bodies of the original Go Gin API, field names kept exactly. */
import { AC_STATUSES } from '@iotmon/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class AcSensorDto {
  @ApiProperty({ example: 1 }) id!: number;
  @ApiProperty({ example: 23.4 }) temperature_current!: number;
  @ApiProperty({ example: 22 }) temperature_desired!: number;
  @ApiProperty({ example: 48.2 }) humidity!: number;
  @ApiProperty({ example: 1012.5 }) pressure!: number;
  @ApiProperty({ example: 35 }) air_quality!: number;
  @ApiProperty({ example: 229.8 }) voltage!: number;
  @ApiProperty({ example: 4.2 }) current!: number;
  @ApiProperty({ example: 965.2 }) power!: number;
  @ApiProperty({ example: true }) is_on!: boolean;
  @ApiProperty({ enum: AC_STATUSES, example: 'cooling' }) status!: string;
  @ApiProperty({ example: 'room-101' }) location!: string;
  @ApiProperty({ format: 'date-time', example: '2026-01-01T12:00:00.000Z' }) extracted_at!: string;
}

export class IotListDto {
  @ApiProperty({ description: 'POD_NAME', example: 'api-7d9f' }) pod_name!: string;
  @ApiProperty({ description: 'NODE_NAME', example: 'node-1' }) node_name!: string;
  @ApiProperty({ type: [AcSensorDto] }) result!: AcSensorDto[];
}

export class IotStatusDto {
  @ApiProperty({ example: 201 }) Status!: number;
  @ApiProperty({ example: 'Created 100 Air Conditioner records successfully' }) Message!: string;
}

export class GinErrorDto {
  @ApiProperty({ example: 400 }) Status!: number;
  @ApiProperty({ example: 'Resource Not Found' }) Type!: string;
  @ApiProperty({ example: 'api-7d9f' }) PodName!: string;
  @ApiProperty({ example: 'node-1' }) NodeName!: string;
  @ApiProperty({ type: [String], example: ['limit must not be less than 1'] }) Message!: string[];
}

export class RootDto {
  @ApiProperty({ example: '0.1.0' }) version!: string;
  @ApiProperty({
    description: "Go's time.Time String() in UTC, as the original",
    example: '2026-01-01 12:00:00.123 +0000 UTC',
  })
  time!: string;
  @ApiProperty({ type: [String], example: ['GET /iot', 'GET /iot/create'] }) endpoints!: string[];
}

import { SENSOR_KINDS } from '@iotmon/domain';
import { DEVICE_STATUSES } from '@iotmon/persistence';
import { ApiProperty } from '@nestjs/swagger';

export class DeviceDto {
  @ApiProperty({ example: 'edge-7' })
  id!: string;

  @ApiProperty({ example: 'Lab 3 ceiling node' })
  name!: string;

  @ApiProperty({ example: 'building-a/floor-3', nullable: true, type: String })
  location!: string | null;

  @ApiProperty({ enum: SENSOR_KINDS, isArray: true, example: ['temperature', 'humidity'] })
  sensors!: string[];

  @ApiProperty({ type: 'object', additionalProperties: true, example: { firmware: '1.4.2' } })
  metadata!: Record<string, unknown>;

  @ApiProperty({
    enum: DEVICE_STATUSES,
    description:
      'From presence (env/{id}/status) and last-seen time: offline when it said so, stale when online but silent for PRESENCE_STALE_SECONDS, unknown when never seen',
    example: 'online',
  })
  status!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    example: '2026-01-01T12:00:00.000Z',
  })
  lastSeenAt!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-01-01T12:00:00.000Z' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-01T12:00:00.000Z' })
  updatedAt!: string;
}

export class CreatedDeviceDto {
  @ApiProperty({ type: DeviceDto })
  device!: DeviceDto;

  @ApiProperty({
    description: 'The device API key (x-api-key). Shown only here; only its hash is stored.',
    example: 'iotk_Xb6q1Yh0cQ2b3kZ2m0dN0L7h3b1S9fTQ4q3Yw7k2V8s',
  })
  apiKey!: string;
}

export class DeviceKeyDto {
  @ApiProperty({ example: 'edge-7' })
  deviceId!: string;

  @ApiProperty({
    description: 'The new device key (x-api-key, MQTT password). Shown only here.',
    example: 'iotk_Xb6q1Yh0cQ2b3kZ2m0dN0L7h3b1S9fTQ4q3Yw7k2V8s',
  })
  apiKey!: string;
}

export class DevicePageDto {
  @ApiProperty({ type: [DeviceDto] })
  items!: DeviceDto[];

  @ApiProperty({ example: 100 })
  limit!: number;

  @ApiProperty({ example: 0 })
  offset!: number;

  @ApiProperty({
    required: false,
    description: 'Pass as `cursor` for the next page (sort id or -id only)',
    example: 'edge-7',
  })
  nextCursor?: string;
}

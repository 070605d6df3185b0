import { DEVICE_ID_PATTERN } from '@iotmon/domain';
import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class DeviceIdParams {
  @ApiProperty({ description: 'Device id', example: 'edge-7' })
  @Matches(DEVICE_ID_PATTERN, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  id!: string;
}

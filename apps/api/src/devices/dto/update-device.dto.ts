import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { CreateDeviceDto } from './create-device.dto';

export class UpdateDeviceDto extends PartialType(OmitType(CreateDeviceDto, ['id', 'location'])) {
  @ApiPropertyOptional({
    description: 'New location; null clears it',
    example: 'building-b',
    nullable: true,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  location?: string | null;
}

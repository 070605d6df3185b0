import { OmitType, PartialType } from '@nestjs/swagger';
import { CreateSensorKindDto } from './create-sensor-kind.dto';

/** Body of PATCH /sensor-kinds/:id: any field but the id. */
export class UpdateSensorKindDto extends PartialType(OmitType(CreateSensorKindDto, ['id'])) {}

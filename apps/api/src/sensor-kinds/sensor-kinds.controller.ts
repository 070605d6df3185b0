import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { SensorKindSpec } from '@iotmon/domain';
import { Access, ApiErrors, Audit } from '@iotmon/server-kit';
import { CreateSensorKindDto } from './dto/create-sensor-kind.dto';
import { SensorKindIdParams } from './dto/sensor-kind-id.dto';
import { SensorKindDto } from './dto/sensor-kind.dto';
import { UpdateSensorKindDto } from './dto/update-sensor-kind.dto';
import { SensorKindsService } from './sensor-kinds.service';

@ApiTags('sensor-kinds')
@Controller('sensor-kinds')
export class SensorKindsController {
  constructor(private readonly kinds: SensorKindsService) {}

  @Get()
  @ApiOperation({
    summary: 'The sensor-kinds catalogue, in sensor-index order',
    description:
      'Readings, rules, edges and the dashboard take their kinds from here; a change applies without a restart.',
  })
  @ApiOkResponse({ type: [SensorKindDto] })
  @ApiErrors(401)
  list(): Promise<SensorKindSpec[]> {
    return this.kinds.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One sensor kind' })
  @ApiOkResponse({ type: SensorKindDto })
  @ApiErrors(400, 401, 404)
  get(@Param() params: SensorKindIdParams): Promise<SensorKindSpec> {
    return this.kinds.get(params.id);
  }

  @Post()
  @Access('admin')
  @Audit('sensor-kind.create', { target: (req) => (req.body as { id?: string } | undefined)?.id })
  @ApiSecurity('api-key')
  @ApiOperation({
    summary: 'Add a sensor kind',
    description:
      'Accepted in readings at once (this api; the others within a NOTIFY), its default rules join the default rule set, and edges receive it with their config.',
  })
  @ApiCreatedResponse({ type: SensorKindDto })
  @ApiErrors(400, 401, 403, 409)
  create(@Body() body: CreateSensorKindDto): Promise<SensorKindSpec> {
    return this.kinds.create(body);
  }

  @Patch(':id')
  @Access('admin')
  @Audit('sensor-kind.update')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Change a sensor kind (anything but its id)' })
  @ApiOkResponse({ type: SensorKindDto })
  @ApiErrors(400, 401, 403, 404)
  update(
    @Param() params: SensorKindIdParams,
    @Body() body: UpdateSensorKindDto,
  ): Promise<SensorKindSpec> {
    return this.kinds.update(params.id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('admin')
  @Audit('sensor-kind.delete')
  @ApiSecurity('api-key')
  @ApiOperation({
    summary: 'Delete a sensor kind',
    description:
      'Refused with 409 while the kind is in use: stored readings, devices listing it, rule sets or assignments naming it, open alarms.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 403, 404, 409)
  remove(@Param() params: SensorKindIdParams): Promise<void> {
    return this.kinds.remove(params.id);
  }
}

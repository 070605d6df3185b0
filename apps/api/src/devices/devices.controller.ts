import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Access, ApiErrors, Audit } from '@iotmon/server-kit';
import { DeviceCreatePipe } from './device-create.pipe';
import { DevicesService, type CreatedDevice } from './devices.service';
import { CreateDeviceDto } from './dto/create-device.dto';
import { DeviceIdParams } from './dto/device-id.dto';
import { CreatedDeviceDto, DeviceDto, DeviceKeyDto, DevicePageDto } from './dto/device.dto';
import { ListDevicesDto } from './dto/list-devices.dto';
import { UpdateDeviceDto } from './dto/update-device.dto';

@ApiTags('devices')
@Controller('devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @Access('admin')
  @Audit('device.create', {
    target: (req) => {
      const b = req.body as { id?: string } | { id?: string }[];
      return Array.isArray(b)
        ? b
            .map((d) => d.id)
            .join(',')
            .slice(0, 200)
        : b?.id;
    },
  })
  @ApiSecurity('api-key')
  @ApiOperation({
    summary: 'Register one device, or a fleet (an array of up to 1,000), all or nothing',
    description: 'Each device gets an API key, returned only in this response.',
  })
  @ApiExtraModels(CreateDeviceDto, CreatedDeviceDto)
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(CreateDeviceDto) },
        { type: 'array', items: { $ref: getSchemaPath(CreateDeviceDto) }, maxItems: 1000 },
      ],
    },
  })
  @ApiCreatedResponse({
    description: 'The device and its key; an array of them for an array body',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(CreatedDeviceDto) },
        { type: 'array', items: { $ref: getSchemaPath(CreatedDeviceDto) } },
      ],
    },
  })
  @ApiErrors(400, 401, 403, 409, 413)
  async create(
    @Body(DeviceCreatePipe) body: CreateDeviceDto | CreateDeviceDto[],
  ): Promise<CreatedDevice | CreatedDevice[]> {
    const created = await this.devices.create(Array.isArray(body) ? body : [body]);
    return Array.isArray(body) ? created : created[0];
  }

  @Get()
  @ApiOperation({ summary: 'List devices with filters, sort and pagination (offset or cursor)' })
  @ApiOkResponse({ type: DevicePageDto })
  @ApiErrors(400, 401)
  list(@Query() query: ListDevicesDto): Promise<DevicePageDto> {
    return this.devices.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One device with its derived status' })
  @ApiOkResponse({ type: DeviceDto })
  @ApiErrors(400, 401, 404)
  get(@Param() params: DeviceIdParams): Promise<DeviceDto> {
    return this.devices.get(params.id);
  }

  @Patch(':id')
  @Access('admin')
  @Audit('device.update')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Change name, location, sensors or metadata' })
  @ApiOkResponse({ type: DeviceDto })
  @ApiErrors(400, 401, 403, 404)
  update(@Param() params: DeviceIdParams, @Body() body: UpdateDeviceDto): Promise<DeviceDto> {
    return this.devices.update(params.id, body);
  }

  @Post(':id/key')
  @Access('admin')
  @Audit('device.key.rotate')
  @ApiSecurity('api-key')
  @ApiOperation({
    summary: 'Rotate the device key',
    description:
      'Issues a new key; the old one stops working at once, and live MQTT sessions signed in with it are closed.',
  })
  @ApiCreatedResponse({ type: DeviceKeyDto })
  @ApiErrors(400, 401, 403, 404)
  rotateKey(@Param() params: DeviceIdParams): Promise<DeviceKeyDto> {
    return this.devices.rotateKey(params.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Access('admin')
  @Audit('device.delete')
  @ApiSecurity('api-key')
  @ApiOperation({ summary: 'Delete a device (its key stops working; its readings stay)' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 401, 403, 404)
  remove(@Param() params: DeviceIdParams): Promise<void> {
    return this.devices.remove(params.id);
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@iotmon/server-kit';
import { RootDto } from './dto/iot.dto';

export const API_VERSION = '0.1.0';

const ENDPOINTS = [
  'GET /',
  'GET /iot',
  'GET /iot/create_table',
  'GET /iot/create',
  'GET /devices',
  'POST /devices',
  'GET /devices/:id',
  'PATCH /devices/:id',
  'DELETE /devices/:id',
  'GET /readings',
  'POST /readings',
  'GET /readings/aggregate',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'GET /docs',
];

@ApiTags('gin-compatible')
@Controller()
@Access('viewer', { openWhen: 'ginRoutes' })
export class RootController {
  @Get()
  @ApiOperation({ summary: 'Version, server time and endpoints (Gin-compatible)' })
  @ApiOkResponse({ type: RootDto })
  root(): RootDto {
    return { version: API_VERSION, time: new Date().toISOString(), endpoints: ENDPOINTS };
  }
}

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

/** Go's `time.Now().UTC().String()`: `2006-01-02 15:04:05.999999999 +0000 UTC`, zeros trimmed. */
export function goUtcString(d: Date): string {
  const [date, rest] = d.toISOString().split('T');
  const [hms, ms] = rest.replace('Z', '').split('.');
  const frac = ms.replace(/0+$/, '');
  return `${date} ${hms}${frac ? `.${frac}` : ''} +0000 UTC`;
}

@ApiTags('gin-compatible')
@Controller()
@Access('viewer', { openWhen: 'ginRoutes' })
export class RootController {
  @Get()
  @ApiOperation({ summary: 'Version, server time and endpoints (Gin-compatible)' })
  @ApiOkResponse({ type: RootDto })
  root(): RootDto {
    return { version: API_VERSION, time: goUtcString(new Date()), endpoints: ENDPOINTS };
  }
}

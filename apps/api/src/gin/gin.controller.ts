/** Routes of the original Go Gin API, same paths, JSON, status codes and headers. */
import { Controller, Get, HttpCode, Inject, Query, Res, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiInternalServerErrorResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '@iotmon/server-kit';
import { API_CONFIG, type ApiConfig } from '../config';
import { IotCreateQueryDto, IotListQueryDto } from './dto/iot-query.dto';
import { GinErrorDto, IotListDto, IotStatusDto } from './dto/iot.dto';
import { GinErrorFilter } from './gin-error.filter';
import { GinService } from './gin.service';

@ApiTags('gin-compatible')
@Controller('iot')
@Access('viewer', { openWhen: 'ginRoutes' })
@UseFilters(GinErrorFilter)
export class GinController {
  constructor(
    private readonly gin: GinService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'ac_sensor rows by id (Gin-compatible; GIN_LIST_PATH chooses /iot or /iot/)',
  })
  @ApiNotFoundResponse({
    type: GinErrorDto,
    description:
      'A parameter is invalid or the query failed ("Resource Not Found", as the original)',
  })
  @ApiOkResponse({
    type: IotListDto,
    headers: {
      'X-Pod-Name': { schema: { type: 'string' } },
      'X-Node-Name': { schema: { type: 'string' } },
    },
  })
  list(
    @Query() q: IotListQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<IotListDto> {
    void reply
      .header('X-Pod-Name', this.config.podName)
      .header('X-Node-Name', this.config.nodeName);
    return this.gin.list(q.limit, q.offset);
  }

  @Get('create_table')
  @HttpCode(200)
  @Access('admin', { openWhen: 'ginRoutes' })
  @ApiOperation({ summary: 'Create the ac_sensor table if missing (the migration already did)' })
  @ApiOkResponse({ type: IotStatusDto })
  @ApiInternalServerErrorResponse({ type: GinErrorDto, description: 'Database error' })
  createTable(): Promise<IotStatusDto> {
    return this.gin.createTable();
  }

  @Get('create')
  @HttpCode(201)
  @Access('admin', { openWhen: 'ginRoutes' })
  @ApiOperation({ summary: 'Insert n random air-conditioner rows (binary COPY)' })
  @ApiCreatedResponse({ type: IotStatusDto })
  @ApiBadRequestResponse({ type: GinErrorDto, description: 'n is invalid, or the insert failed' })
  create(@Query() q: IotCreateQueryDto): Promise<IotStatusDto> {
    return this.gin.create(q.n);
  }
}

import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Reading } from '@iotmon/domain';
import type { FastifyReply } from 'fastify';
import { Access, ApiErrors, CurrentPrincipal, type Principal } from '@iotmon/server-kit';
import { AggregateQueryDto } from './dto/aggregate-query.dto';
import { AggregateResultDto, IngestResultDto, ReadingDto } from './dto/reading.dto';
import { ReadingsQueryDto } from './dto/readings-query.dto';
import { ReadingsBatchPipe, type ValidatedBatch } from './readings-batch.pipe';
import { ReadingsService } from './readings.service';

@ApiTags('readings')
@Controller('readings')
export class ReadingsController {
  constructor(private readonly readings: ReadingsService) {}

  @Post()
  @HttpCode(201)
  @Access('admin', { devices: true })
  @ApiSecurity('api-key')
  @ApiOperation({
    summary: 'Ingest a batch of 1 to 10,000 readings',
    description:
      'All or nothing: a batch with any bad item stores nothing and the 400 lists each bad item by index and field. ' +
      'Re-sending a batch creates no duplicates (key: device, sensor, ts, seq). Answered after the rows are committed. ' +
      'A device key may only write its own readings.',
  })
  @ApiBody({ type: [ReadingDto] })
  @ApiQuery({
    name: 'partial',
    required: false,
    type: Boolean,
    description: 'Store the good items of a batch and count the bad ones instead of refusing it',
  })
  @ApiCreatedResponse({ type: IngestResultDto })
  @ApiErrors(400, 401, 403, 413)
  ingest(
    @Body(ReadingsBatchPipe) batch: ValidatedBatch,
    @CurrentPrincipal() principal: Principal | undefined,
    @Query('partial') partial?: string,
  ): Promise<IngestResultDto> {
    return this.readings.ingest(batch, principal, partial);
  }

  @Get()
  @ApiOperation({
    summary: 'Readings newest first, filtered by device, sensor and time range',
    description:
      'When more rows may follow, the x-next-cursor header holds the `cursor` for the next page.',
  })
  @ApiOkResponse({
    type: [ReadingDto],
    headers: {
      'x-next-cursor': { description: 'cursor of the next page', schema: { type: 'string' } },
    },
  })
  @ApiErrors(400, 401)
  async list(
    @Query() query: ReadingsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Reading[]> {
    const page = await this.readings.list(query);
    if (page.nextCursor) void reply.header('x-next-cursor', page.nextCursor);
    return page.readings;
  }

  @Get('aggregate')
  @ApiOperation({
    summary: 'Time buckets for charts (avg, min, max, count, last), thinned to maxPoints',
  })
  @ApiOkResponse({ type: AggregateResultDto })
  @ApiErrors(400, 401)
  aggregate(@Query() query: AggregateQueryDto): Promise<AggregateResultDto> {
    return this.readings.aggregate(query);
  }
}

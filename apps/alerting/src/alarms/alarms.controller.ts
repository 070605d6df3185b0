import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Access, actorName, Audit, CurrentPrincipal, type Principal } from '@iotmon/server-kit';
import type { AlarmChangeEvent } from './alarm-view';
import { AlarmsService } from './alarms.service';
import type { AlarmDetail, AlarmPage } from './alarm-queries.service';
import { AlarmActionDto, AlarmIdParam, ShelveDto } from './dto/alarm-action.dto';
import { AlarmsQueryDto } from './dto/alarms-query.dto';

@Controller('alerts')
export class AlarmsController {
  constructor(private readonly alarms: AlarmsService) {}

  /** Alarm episodes, newest first, filtered; keyset pagination with `before`. */
  @Get()
  list(@Query() query: AlarmsQueryDto): Promise<AlarmPage> {
    return this.alarms.list(query);
  }

  /** One episode with every transition. */
  @Get(':id')
  get(@Param() p: AlarmIdParam): Promise<AlarmDetail> {
    return this.alarms.get(p.id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Access('operator')
  @Audit('alarm.acknowledge')
  ack(
    @Param() p: AlarmIdParam,
    @Body() body: AlarmActionDto,
    @CurrentPrincipal() who: Principal,
  ): Promise<AlarmChangeEvent> {
    return this.alarms.acknowledge(p.id, { by: actorName(who), note: body.note });
  }

  @Post(':id/clear')
  @HttpCode(200)
  @Access('operator')
  @Audit('alarm.clear')
  clear(
    @Param() p: AlarmIdParam,
    @Body() body: AlarmActionDto,
    @CurrentPrincipal() who: Principal,
  ): Promise<AlarmChangeEvent> {
    return this.alarms.clear(p.id, { by: actorName(who), note: body.note });
  }

  @Post(':id/shelve')
  @HttpCode(200)
  @Access('operator')
  @Audit('alarm.shelve', {
    detail: (req) => {
      const b = req.body as { until?: string; minutes?: number };
      return { until: b.until, minutes: b.minutes };
    },
  })
  shelve(
    @Param() p: AlarmIdParam,
    @Body() body: ShelveDto,
    @CurrentPrincipal() who: Principal,
  ): Promise<AlarmChangeEvent> {
    return this.alarms.shelve(p.id, body, actorName(who));
  }
}

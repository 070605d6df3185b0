/** The REST use cases of alarms; actions hand their outbox rows to AlarmOutbox once they commit. */
import { Injectable } from '@nestjs/common';
import { AppError } from '@iotmon/server-kit';
import { AlarmOutbox } from './alarm-outbox';
import {
  AlarmActions,
  type ActionInput,
  type AlarmChangeEventResult,
} from './alarm-actions.service';
import { AlarmQueries, type AlarmDetail, type AlarmPage } from './alarm-queries.service';
import type { AlarmChangeEvent } from './alarm-view';
import type { AlarmsQueryDto } from './dto/alarms-query.dto';
import type { ShelveDto } from './dto/alarm-action.dto';

@Injectable()
export class AlarmsService {
  constructor(
    private readonly queries: AlarmQueries,
    private readonly actions: AlarmActions,
    private readonly outbox: AlarmOutbox,
  ) {}

  list(q: AlarmsQueryDto): Promise<AlarmPage> {
    return this.queries.list(q);
  }

  get(id: string): Promise<AlarmDetail> {
    return this.queries.get(id);
  }

  acknowledge(id: string, input: ActionInput): Promise<AlarmChangeEvent> {
    return this.actions.acknowledge(id, input).then((c) => this.done(c));
  }

  clear(id: string, input: ActionInput): Promise<AlarmChangeEvent> {
    return this.actions.clear(id, input).then((c) => this.done(c));
  }

  shelve(id: string, body: ShelveDto, by: string): Promise<AlarmChangeEvent> {
    if ((body.until === undefined) === (body.minutes === undefined)) {
      throw AppError.invalid('until', 'or minutes must be given (exactly one of them)');
    }
    const until = body.until ?? new Date(Date.now() + body.minutes! * 60_000);
    if (until.getTime() <= Date.now()) throw AppError.invalid('until', 'must be in the future');
    return this.actions.shelve(id, { by, note: body.note, until }).then((c) => this.done(c));
  }

  private done(c: AlarmChangeEventResult): AlarmChangeEvent {
    this.outbox.send(c.sends);
    return c.event;
  }
}

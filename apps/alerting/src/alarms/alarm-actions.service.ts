/** Operator actions on an episode (acknowledge, clear, shelve) and the lifting of expired shelves. */
import { PgConnections } from '@iotmon/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { AlarmState } from '@iotmon/domain';
import { AppError } from '@iotmon/server-kit';
import { AlarmRecorder, type RecordedChange, type UpdatePlan } from './alarm-recorder';
import type { AlarmChangeEvent } from './alarm-view';

export interface ActionInput {
  by: string;
  note?: string;
}

type Planner = (current: {
  state: AlarmState;
  acknowledged: boolean;
}) => Omit<UpdatePlan, 'key' | 'where' | 'actor' | 'note'>;

@Injectable()
export class AlarmActions {
  constructor(
    @Inject(PgConnections) private readonly pg: PgConnections,
    private readonly recorder: AlarmRecorder,
  ) {}

  acknowledge(id: string, input: ActionInput): Promise<AlarmChangeEventResult> {
    return this.act(id, input, ({ state, acknowledged }) => {
      if (state === 'cleared') throw conflict(id, state, 'acknowledged');
      if (acknowledged) {
        throw AppError.conflict(`alarm ${id} is already acknowledged`);
      }
      // A shelved alarm stays shelved; lifting the shelf returns it as acknowledged.
      const next = state === 'shelved' ? 'shelved' : 'acknowledged';
      return {
        change: 'acknowledged',
        set: `state = '${next}', acknowledged_by = $2, acknowledged_at = now()`,
        params: [input.by],
      };
    });
  }

  clear(id: string, input: ActionInput): Promise<AlarmChangeEventResult> {
    return this.act(id, input, ({ state }) => {
      if (state === 'cleared') throw conflict(id, state, 'cleared');
      return {
        change: 'cleared',
        set: `state = 'cleared', cleared_by = $2, cleared_at = now(), shelved_until = NULL`,
        params: [input.by],
      };
    });
  }

  shelve(id: string, input: ActionInput & { until: Date }): Promise<AlarmChangeEventResult> {
    return this.act(id, input, ({ state }) => {
      if (state === 'cleared') throw conflict(id, state, 'shelved');
      return {
        change: 'shelved',
        set: `state = 'shelved', shelved_until = $2`,
        params: [input.until],
      };
    });
  }

  /** Lifts shelves that have expired; safe on every replica (rows are claimed, not shared). */
  liftExpiredShelves(limit = 100): Promise<RecordedChange> {
    return this.pg.transaction((m) =>
      this.recorder.apply(m, {
        key: limit,
        where: `id IN (SELECT id FROM alarms WHERE state = 'shelved' AND shelved_until <= now()
                        ORDER BY shelved_until LIMIT $1 FOR UPDATE SKIP LOCKED)`,
        change: 'unshelved',
        set: `shelved_until = NULL,
              state = CASE WHEN acknowledged_at IS NULL THEN 'active' ELSE 'acknowledged' END`,
        params: [],
        actor: 'system',
      }),
    );
  }

  private act(id: string, input: ActionInput, plan: Planner): Promise<AlarmChangeEventResult> {
    return this.pg.transaction(async (m) => {
      const [row] = await m.rows<{ state: AlarmState; acknowledged: boolean }>(
        `SELECT state, acknowledged_at IS NOT NULL AS acknowledged FROM alarms WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row) throw AppError.notFound(`alarm ${id}`);
      const recorded = await this.recorder.apply(m, {
        ...plan(row),
        key: id,
        where: 'id = $1',
        actor: input.by,
        note: input.note ?? null,
      });
      return { event: recorded.events[0], sends: recorded.sends };
    });
  }
}

export interface AlarmChangeEventResult {
  event: AlarmChangeEvent;
  sends: unknown[];
}

function conflict(id: string, state: AlarmState, wanted: string): AppError {
  return AppError.conflict(`alarm ${id} is ${state} and cannot be ${wanted}`);
}

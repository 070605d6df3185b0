/** Operator actions on an episode (acknowledge, clear, shelve) and the lifting of expired shelves. */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AlarmState } from '@iotmon/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AlertingError } from '../common/alerting-error';
import { returningRows } from '../common/returning';
import { AlarmRecorder, type RecordedChange } from './alarm-recorder';
import { ALARM_COLUMNS, type AlarmChange, type AlarmRow } from './alarm-view';

export interface ActionInput {
  by: string;
  note?: string;
}

interface Plan {
  change: AlarmChange;
  set: string;
  params: unknown[];
}

@Injectable()
export class AlarmActions {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly recorder: AlarmRecorder,
  ) {}

  acknowledge(id: string, input: ActionInput): Promise<RecordedChange> {
    return this.act(id, input, (row) => {
      if (row.state === 'cleared') throw conflict(id, row.state, 'acknowledged');
      if (row.acknowledged_at) {
        throw AlertingError.conflict(
          'alarm_already_acknowledged',
          `alarm ${id} is already acknowledged`,
        );
      }
      // A shelved alarm stays shelved; lifting the shelf returns it as acknowledged.
      const state = row.state === 'shelved' ? 'shelved' : 'acknowledged';
      return {
        change: 'acknowledged',
        set: `state = '${state}', acknowledged_by = $2, acknowledged_at = now()`,
        params: [input.by],
      };
    });
  }

  clear(id: string, input: ActionInput): Promise<RecordedChange> {
    return this.act(id, input, (row) => {
      if (row.state === 'cleared') throw conflict(id, row.state, 'cleared');
      return {
        change: 'cleared',
        set: `state = 'cleared', cleared_by = $2, cleared_at = now(), shelved_until = NULL`,
        params: [input.by],
      };
    });
  }

  shelve(id: string, input: ActionInput & { until: Date }): Promise<RecordedChange> {
    return this.act(id, input, (row) => {
      if (row.state === 'cleared') throw conflict(id, row.state, 'shelved');
      return {
        change: 'shelved',
        set: `state = 'shelved', shelved_until = $2`,
        params: [input.until],
      };
    });
  }

  /** Lifts shelves that have expired; safe on every replica (rows are claimed, not shared). */
  liftExpiredShelves(limit = 100): Promise<RecordedChange[]> {
    return this.db.transaction(async (m) => {
      const rows = returningRows<AlarmRow>(
        await m.query(
          `UPDATE alarms SET shelved_until = NULL, updated_at = now(),
                state = CASE WHEN acknowledged_at IS NULL THEN 'active' ELSE 'acknowledged' END
          WHERE id IN (SELECT id FROM alarms WHERE state = 'shelved' AND shelved_until <= now()
                        ORDER BY shelved_until LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING ${ALARM_COLUMNS}`,
          [limit],
        ),
      );
      const out: RecordedChange[] = [];
      for (const row of rows) {
        out.push(await this.recorder.record(m, row, 'unshelved', 'shelved', { actor: 'system' }));
      }
      return out;
    });
  }

  private act(
    id: string,
    input: ActionInput,
    plan: (row: AlarmRow) => Plan,
  ): Promise<RecordedChange> {
    return this.db.transaction(async (m: EntityManager) => {
      const [row]: AlarmRow[] = await m.query(
        `SELECT ${ALARM_COLUMNS} FROM alarms WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row) throw AlertingError.notFound('alarm', id);
      const p = plan(row);
      const [updated] = returningRows<AlarmRow>(
        await m.query(
          `UPDATE alarms SET ${p.set}, updated_at = now() WHERE id = $1 RETURNING ${ALARM_COLUMNS}`,
          [id, ...p.params],
        ),
      );
      return this.recorder.record(m, updated, p.change, row.state as AlarmState, {
        actor: input.by,
        note: input.note ?? null,
      });
    });
  }
}

function conflict(id: string, state: AlarmState, wanted: string): AlertingError {
  return AlertingError.conflict(
    'alarm_state_conflict',
    `alarm ${id} is ${state} and cannot be ${wanted}`,
  );
}

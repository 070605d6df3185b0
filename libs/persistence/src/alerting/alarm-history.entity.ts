import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One transition of an alarm episode; its id orders the live feed (SSE event ids). */
@Entity('alarm_history')
export class AlarmHistoryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column('bigint', { name: 'alarm_id' })
  alarmId!: string;

  @Column('text')
  change!: string;

  @Column('text', { name: 'from_state', nullable: true })
  fromState!: string | null;

  @Column('text', { name: 'to_state' })
  toState!: string;

  @Column('text')
  severity!: string;

  @Column('double precision', { nullable: true })
  value!: number | null;

  @Column('text', { nullable: true })
  actor!: string | null;

  @Column('text', { nullable: true })
  note!: string | null;

  @Column('timestamptz', { name: 'event_ts', nullable: true })
  eventTs!: Date | null;

  @Column('timestamptz')
  at!: Date;
}

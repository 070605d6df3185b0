import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One alarm episode; at most one not-cleared episode per (device, sensor, rule). */
@Entity('alarms')
export class AlarmEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column('text', { name: 'device_id' })
  deviceId!: string;

  @Column('text')
  sensor!: string;

  @Column('text', { name: 'rule_id' })
  ruleId!: string;

  @Column('text')
  state!: 'active' | 'acknowledged' | 'cleared' | 'shelved';

  @Column('text')
  severity!: string;

  @Column('text')
  message!: string;

  @Column('timestamptz', { name: 'first_at' })
  firstAt!: Date;

  @Column('timestamptz', { name: 'last_at' })
  lastAt!: Date;

  @Column('integer')
  count!: number;

  @Column('double precision', { name: 'peak_value' })
  peakValue!: number;

  @Column('double precision', { name: 'min_value' })
  minValue!: number;

  @Column('double precision', { name: 'last_value' })
  lastValue!: number;

  @Column('text', { name: 'acknowledged_by', nullable: true })
  acknowledgedBy!: string | null;

  @Column('timestamptz', { name: 'acknowledged_at', nullable: true })
  acknowledgedAt!: Date | null;

  @Column('timestamptz', { name: 'shelved_until', nullable: true })
  shelvedUntil!: Date | null;

  @Column('text', { name: 'cleared_by', nullable: true })
  clearedBy!: string | null;

  @Column('timestamptz', { name: 'cleared_at', nullable: true })
  clearedAt!: Date | null;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}

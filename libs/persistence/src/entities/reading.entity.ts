import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One stored reading, in a table partitioned by day on ts. The primary key (device, ts,
 * sensor, seq) makes re-sent batches idempotent and serves "latest N of a device" queries;
 * seq is -1 when absent.
 */
@Entity('readings')
export class ReadingEntity {
  @PrimaryColumn('text', { name: 'device_id' })
  deviceId!: string;

  @PrimaryColumn('timestamptz')
  ts!: Date;

  @PrimaryColumn('text')
  sensor!: string;

  @PrimaryColumn('bigint', { default: -1 })
  seq!: string;

  @Column('double precision')
  value!: number;

  @Column('boolean', { default: false })
  late!: boolean;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One stored reading. The primary key (device, sensor, ts, seq) makes re-sent batches
 * idempotent and serves "latest N of a device's sensor" queries; seq is -1 when absent.
 */
@Entity('readings')
export class ReadingEntity {
  @PrimaryColumn('text', { name: 'device_id' })
  deviceId!: string;

  @PrimaryColumn('text')
  sensor!: string;

  @PrimaryColumn('timestamptz')
  ts!: Date;

  @PrimaryColumn('bigint', { default: -1 })
  seq!: string;

  @Column('double precision')
  value!: number;

  @Column('boolean', { default: false })
  late!: boolean;
}

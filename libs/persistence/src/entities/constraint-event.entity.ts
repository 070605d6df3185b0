import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A raised / cleared transition as received from an edge (or evaluated on the server). */
@Entity('constraint_events')
export class ConstraintEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column('text', { name: 'device_id' })
  deviceId!: string;

  @Column('text')
  sensor!: string;

  @Column('text', { name: 'rule_id' })
  ruleId!: string;

  @Column('text')
  state!: 'raised' | 'cleared';

  @Column('text')
  severity!: string;

  @Column('double precision')
  value!: number;

  @Column('timestamptz')
  ts!: Date;

  @Column('text', { default: '' })
  message!: string;

  @Column('boolean', { default: false })
  late!: boolean;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}

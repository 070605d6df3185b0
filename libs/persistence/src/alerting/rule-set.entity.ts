import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A named rule set owned by the server; `body` is the validated @iotmon/domain RuleSet. */
@Entity('rule_sets')
export class RuleSetEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column('text', { unique: true })
  name!: string;

  @Column('integer')
  revision!: number;

  @Column('jsonb')
  body!: unknown;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}

/** Which rule set applies to a device or to a sensor kind (a device assignment wins). */
@Entity('rule_set_assignments')
export class RuleSetAssignmentEntity {
  @PrimaryColumn('text', { name: 'target_kind' })
  targetKind!: 'device' | 'sensor';

  @PrimaryColumn('text')
  target!: string;

  @Column('bigint', { name: 'rule_set_id' })
  ruleSetId!: string;

  @Column('timestamptz', { name: 'assigned_at' })
  assignedAt!: Date;
}

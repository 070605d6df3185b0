import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Where and for which alarms to POST signed notifications; null filters match everything. */
@Entity('webhook_subscriptions')
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column('text')
  url!: string;

  @Column('text', { select: false })
  secret!: string;

  @Column('text', { array: true, nullable: true })
  severities!: string[] | null;

  @Column('text', { name: 'device_ids', array: true, nullable: true })
  deviceIds!: string[] | null;

  @Column('text', { name: 'rule_ids', array: true, nullable: true })
  ruleIds!: string[] | null;

  @Column('text', { array: true, nullable: true })
  changes!: string[] | null;

  /** Quiet hours as minutes after local midnight in `quietTz`. */
  @Column('smallint', { name: 'quiet_from', nullable: true })
  quietFrom!: number | null;

  @Column('smallint', { name: 'quiet_to', nullable: true })
  quietTo!: number | null;

  @Column('text', { name: 'quiet_tz' })
  quietTz!: string;

  @Column('boolean')
  enabled!: boolean;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}

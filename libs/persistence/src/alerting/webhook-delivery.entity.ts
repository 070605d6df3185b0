import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The webhook outbox: one row per notification, claimed with FOR UPDATE SKIP LOCKED. */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column('bigint', { name: 'subscription_id' })
  subscriptionId!: string;

  @Column('bigint', { name: 'alarm_id' })
  alarmId!: string;

  @Column('bigint', { name: 'history_id' })
  historyId!: string;

  @Column('text')
  change!: string;

  /** The exact bytes that are signed and sent. */
  @Column('text')
  body!: string;

  @Column('text')
  status!: 'pending' | 'sending' | 'delivered' | 'dead';

  @Column('integer')
  attempts!: number;

  @Column('timestamptz', { name: 'next_attempt_at' })
  nextAttemptAt!: Date;

  @Column('timestamptz', { name: 'locked_until', nullable: true })
  lockedUntil!: Date | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('timestamptz', { name: 'event_ts', nullable: true })
  eventTs!: Date | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;
}

/** The delivery log: one row per HTTP attempt. */
@Entity('webhook_attempts')
export class WebhookAttemptEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column('bigint', { name: 'delivery_id' })
  deliveryId!: string;

  @Column('integer')
  attempt!: number;

  @Column('timestamptz')
  at!: Date;

  @Column('integer', { name: 'status_code', nullable: true })
  statusCode!: number | null;

  @Column('text', { nullable: true })
  error!: string | null;

  @Column('double precision', { name: 'duration_ms' })
  durationMs!: number;
}

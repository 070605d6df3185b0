import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('devices')
export class DeviceEntity {
  @PrimaryColumn('text')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  location!: string | null;

  @Column('text', { array: true, default: () => "'{}'" })
  sensors!: string[];

  @Column('jsonb', { default: () => "'{}'" })
  metadata!: Record<string, unknown>;

  /** SHA-256 of the device's API key (a 256-bit random secret); the key itself is shown once. */
  @Column('text', { name: 'api_key_hash', nullable: true, select: false })
  apiKeyHash!: string | null;

  /** Last presence message: 'online' | 'offline' | null (never seen). */
  @Column('text', { nullable: true })
  presence!: string | null;

  @Column('timestamptz', { name: 'last_seen_at', nullable: true })
  lastSeenAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

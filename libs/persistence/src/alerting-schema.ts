/** Entities and migrations owned by alerting (events, alarms, rule sets, webhooks). Add new ones here. */
import type { SchemaClass } from './schema-class';
import { ConstraintEventEntity } from './entities/constraint-event.entity';

export const ALERTING_ENTITIES: SchemaClass[] = [ConstraintEventEntity];
export const ALERTING_MIGRATIONS: SchemaClass[] = [];

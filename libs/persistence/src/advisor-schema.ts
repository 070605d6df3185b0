/** Migrations owned by the advisor (its roles and advice_history). It has no ORM entities: plain SQL. */
import type { SchemaClass } from './schema-class';
import { CreateAdvisorRolesHistory1795651200000 } from './advisor/1795651200000-create-advisor-roles-history';

export const ADVISOR_MIGRATIONS: SchemaClass[] = [CreateAdvisorRolesHistory1795651200000];

/** The roles migrate.js gives a password to, and the variables it reads them from. */
export const ADVISOR_ROLE_PASSWORDS = [
  { role: 'iotmon_advisor', variable: 'ADVISOR_DB_PASSWORD' },
  { role: 'iotmon_advisor_history', variable: 'ADVISOR_HISTORY_DB_PASSWORD' },
] as const;

/** Migrations of the identities both HTTP apps share (users, keys, tokens, audit). Add new ones here. */
import { CreateUsersKeysAudit1795564800000 } from './auth/1795564800000-create-users-keys-audit';
import type { SchemaClass } from './schema-class';

export const AUTH_MIGRATIONS: SchemaClass[] = [CreateUsersKeysAudit1795564800000];

/**
 * Who may call a route. Without a decorator a route needs `viewer` for GET/HEAD and `admin`
 * for anything else, so a new write route is never open by accident.
 */
import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles';

/** Route groups that configuration may open to anonymous callers. */
export type OpenFlag = 'ginRoutes';

export interface AccessRule {
  role: Role | 'public';
  /** Device keys may call it too (the handler checks that they act on their own device). */
  devices?: boolean;
  /** Open to anyone when this configuration flag is on (else `role` applies). */
  openWhen?: OpenFlag;
}

export const ACCESS_KEY = 'iotmon:access';

export const Access = (role: AccessRule['role'], options: Omit<AccessRule, 'role'> = {}) =>
  SetMetadata(ACCESS_KEY, { role, ...options } satisfies AccessRule);

/** Anyone, signed in or not (health, metrics, login). */
export const Public = () => Access('public');

export function defaultRule(method: string): AccessRule {
  return { role: method === 'GET' || method === 'HEAD' ? 'viewer' : 'admin' };
}

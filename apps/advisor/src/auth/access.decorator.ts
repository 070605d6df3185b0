/**
 * Who may call a route, named after the server kit's roles: `viewer` reads, `operator` asks.
 * Until the kit's users and roles guard lands this maps onto the api's API-key scheme (see
 * api-key.guard.ts); routes keep their decorators when the guard is swapped.
 */
import { SetMetadata } from '@nestjs/common';

export type AccessLevel = 'public' | 'viewer' | 'operator';
export const ACCESS_KEY = 'iotmon:advisor-access';
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_KEY, level);

export interface Principal {
  /** Stable per caller: the rate-limit key and the history's actor. */
  id: string;
  role: 'viewer' | 'operator';
}

export const PRINCIPAL = 'principal';

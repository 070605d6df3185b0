/** Who may call a route: anyone, readers (open by config), devices or admins, admins only. */
import { SetMetadata } from '@nestjs/common';

export type AccessLevel = 'public' | 'read' | 'write' | 'admin';
export const ACCESS_KEY = 'iotmon:access';
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_KEY, level);

export type Principal = { kind: 'admin' } | { kind: 'device'; deviceId: string };

/** The request field the guard fills in. */
export const PRINCIPAL = 'principal';

/**
 * Who may call a route: anyone, readers (open by config), devices or admins, admins only.
 * The app's guard reads it; the kit's own routes (health, metrics) are public.
 */
import { SetMetadata } from '@nestjs/common';

export type AccessLevel = 'public' | 'read' | 'write' | 'admin';
export const ACCESS_KEY = 'iotmon:access';
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_KEY, level);

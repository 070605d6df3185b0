/** Who a request acts as, as the guard authenticated it. */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from './roles';

export type Principal =
  /** A person signed in with a password (access token). */
  | { kind: 'user'; id: string; name: string; role: Role }
  /** A machine API key with a role (`x-api-key`), incl. the configured ADMIN_API_KEY. */
  | { kind: 'key'; id: string; name: string; role: Role }
  /** A device key: may only write that device's readings. */
  | { kind: 'device'; deviceId: string; name: string };

/** The request field the guard fills in. */
export const PRINCIPAL = 'principal';

export type RequestWithPrincipal = { [PRINCIPAL]?: Principal };

/** The audit log's name for a principal: user and key names are distinct by prefix. */
export function actorName(p: Principal): string {
  if (p.kind === 'user') return p.name;
  if (p.kind === 'key') return `key:${p.name}`;
  return `device:${p.deviceId}`;
}

/** The caller the guard authenticated; undefined on open routes. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined =>
    ctx.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL],
);

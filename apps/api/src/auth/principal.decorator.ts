import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { PRINCIPAL, type Principal } from './principal';

/** The caller the guard authenticated (admin or a device); undefined on open routes. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined =>
    ctx.switchToHttp().getRequest<Record<string, Principal | undefined>>()[PRINCIPAL],
);

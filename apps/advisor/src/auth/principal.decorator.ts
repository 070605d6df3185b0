import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { PRINCIPAL, type Principal } from './access.decorator';

/** The caller the guard identified (a viewer by address, or the operator key). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal =>
    ctx.switchToHttp().getRequest<Record<string, Principal>>()[PRINCIPAL] ?? {
      id: 'anonymous',
      role: 'viewer',
    },
);

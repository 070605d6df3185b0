/** Marks a handler as an audited action: the interceptor records who did it, on what, from where. */
import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

export interface AuditSpec {
  action: string;
  /** What was acted on; default: the `id` route parameter. */
  target?: (req: FastifyRequest, result: unknown) => string | undefined;
  /** A few non-secret facts worth keeping (e.g. a webhook's URL). */
  detail?: (req: FastifyRequest, result: unknown) => Record<string, unknown> | undefined;
}

export const AUDIT_KEY = 'iotmon:audit';

export const Audit = (action: string, options: Omit<AuditSpec, 'action'> = {}) =>
  SetMetadata(AUDIT_KEY, { action, ...options } satisfies AuditSpec);

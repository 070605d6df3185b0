/** The global ValidationPipe: whitelist, no unknown fields, and coded errors naming the field. */
import { ValidationPipe, type Provider, type ValidationError } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { AppError, type FieldProblem } from './app-error';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const path = /^\d+$/.test(e.property)
      ? `${prefix}[${e.property}]`
      : prefix
        ? `${prefix}.${e.property}`
        : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      // class-validator prefixes messages with the property; keep only the reason.
      const reason = message.startsWith(`${e.property} `)
        ? message.slice(e.property.length + 1)
        : message;
      out.push({ field: path, reason });
    }
    if (e.children?.length) out.push(...flatten(e.children, path));
  }
  return out;
}

/** Leading array indexes (`[3].name`) become the problem's index, as in a readings batch. */
function withIndex(p: FieldProblem): FieldProblem {
  const m = /^\[(\d+)\]\.?(.*)$/.exec(p.field);
  return m ? { index: Number(m[1]), field: m[2] || 'item', reason: p.reason } : p;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => AppError.validation(flatten(errors).map(withIndex)),
  });
}

/** Registered as a provider (not app.useGlobalPipes) so testing modules get it too. */
export const validationPipeProvider: Provider = {
  provide: APP_PIPE,
  useFactory: createValidationPipe,
};

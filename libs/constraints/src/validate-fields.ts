/** Field checkers for rule-set validation: each records an error with the path of the fault. */

export interface ValidationError {
  path: string;
  message: string;
}

export type Obj = Record<string, unknown>;

export class Checker {
  readonly errors: ValidationError[] = [];

  fail(path: string, message: string): undefined {
    this.errors.push({ path, message });
    return undefined;
  }

  object(v: unknown, path: string): Obj | undefined {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      return this.fail(path, 'must be an object');
    }
    return v as Obj;
  }

  /** Rejects keys outside `allowed`: a typo in a field name must not pass silently. */
  keys(o: Obj, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) this.fail(path ? `${path}.${key}` : key, 'is not a known field');
    }
  }

  number(
    o: Obj,
    key: string,
    path: string,
    opts: {
      min?: number;
      max?: number;
      integer?: boolean;
      above?: number;
      optional?: boolean;
    } = {},
  ): number | undefined {
    const v = o[key];
    const at = `${path}.${key}`;
    if (v === undefined && opts.optional) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v))
      return this.fail(at, 'must be a finite number');
    if (opts.integer && !Number.isInteger(v)) return this.fail(at, 'must be an integer');
    if (opts.above !== undefined && !(v > opts.above)) {
      return this.fail(at, `must be greater than ${opts.above}`);
    }
    if (opts.min !== undefined && v < opts.min)
      return this.fail(at, `must be at least ${opts.min}`);
    if (opts.max !== undefined && v > opts.max) return this.fail(at, `must be at most ${opts.max}`);
    return v;
  }

  oneOf<T extends string>(
    o: Obj,
    key: string,
    path: string,
    values: readonly T[],
    optional = false,
  ): T | undefined {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      return this.fail(`${path}.${key}`, `must be one of ${values.join(', ')}`);
    }
    return v as T;
  }

  string(o: Obj, key: string, path: string, pattern: RegExp, what: string, optional = false) {
    const v = o[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || !pattern.test(v)) return this.fail(`${path}.${key}`, what);
    return v;
  }

  array(o: Obj, key: string, path: string, min: number, max: number): unknown[] | undefined {
    const v = o[key];
    if (!Array.isArray(v)) return this.fail(`${path}.${key}`, 'must be an array');
    if (v.length < min || v.length > max) {
      return this.fail(`${path}.${key}`, `must hold ${min} to ${max} items`);
    }
    return v;
  }

  boolean(o: Obj, key: string, path: string): boolean | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') return this.fail(`${path}.${key}`, 'must be a boolean');
    return v;
  }
}

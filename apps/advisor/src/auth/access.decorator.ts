/**
 * Who may call a route: the server kit's `Access` marker. The advisor's levels map onto it:
 * reading findings and history is `read` (open while READS_OPEN), asking is `admin` (the
 * operator key) until the kit's users and roles (viewer, operator) replace the key scheme.
 */
export { Access, ACCESS_KEY, type AccessLevel } from '@iotmon/server-kit';

export interface Principal {
  /** Stable per caller: the rate-limit key and the history's actor. */
  id: string;
  role: 'viewer' | 'operator';
}

export const PRINCIPAL = 'principal';

/** Who called: the principal the guard resolves from the API key (Access levels: server-kit). */
export type Principal = { kind: 'admin' } | { kind: 'device'; deviceId: string };

/** The request field the guard fills in. */
export const PRINCIPAL = 'principal';

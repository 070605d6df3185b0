/** The dependencies /health/ready can check. */
export type ReadinessCheck = 'database' | 'mqtt';

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

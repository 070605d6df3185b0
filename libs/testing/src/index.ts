export * from './free-port';
export * from './test-database';
export * from './wait-for';
export * from './access-matrix';
export * from './error-contract';
export * from './stop-child';

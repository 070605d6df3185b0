export * from './data-source';
export * from './migrate';
export * from './readings-store';
export * from './ac-sensor-store';
export * from './readings-copy';
export * from './devices-store';
export * from './device-keys';
export * from './pg-connections';

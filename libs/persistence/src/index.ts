export * from './data-source';
export * from './entities/constraint-event.entity';
export * from './entities/device.entity';
export * from './entities/reading.entity';
export * from './migrate';
export * from './readings-store';
export * from './ac-sensor-store';
export * from './readings-copy';

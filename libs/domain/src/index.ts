export * from './alarm';
export * from './codecs';
export * from './device';
export * from './reading';
export * from './sensors';
export * from './topics';

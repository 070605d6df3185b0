export * from './acks';
export * from './alarm';
export * from './codecs';
export * from './device';
export * from './reading';
export * from './rule-set';
export * from './sensors';
export * from './topics';

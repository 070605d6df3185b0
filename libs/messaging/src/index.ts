export * from './embedded-broker';
export * from './mqtt-connect';
export * from './mqtt-options';

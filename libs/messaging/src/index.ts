export * from './embedded-broker';
export * from './mqtt-connect';
export * from './mqtt-options';
export * from './mqtt.health';
export * from './mqtt.module';
export * from './commit-acks';

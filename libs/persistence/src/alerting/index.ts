export * from './alarm.entity';
export * from './alarm-history.entity';
export * from './rule-set.entity';
export * from './webhook-delivery.entity';
export * from './webhook-subscription.entity';

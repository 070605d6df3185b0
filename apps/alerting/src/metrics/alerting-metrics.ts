/**
 * Prometheus metrics of one alerting instance, on its own registry (not prom-client's global
 * one) so that several instances can live in one process, as the replica tests do.
 */
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

@Injectable()
export class AlertingMetrics {
  readonly registry = new Registry();
  readonly raised = new Counter({
    name: 'alerting_alarms_raised_total',
    help: 'Alarm episodes opened, by severity',
    labelNames: ['severity'],
    registers: [this.registry],
  });
  readonly cleared = new Counter({
    name: 'alerting_alarms_cleared_total',
    help: 'Alarm episodes cleared (by the edge, the server or an operator), by severity',
    labelNames: ['severity'],
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'alerting_events_total',
    help: 'Constraint transitions received, by outcome (changed, stored, duplicate, rejected)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly delivered = new Counter({
    name: 'alerting_notifications_delivered_total',
    help: 'Webhook notifications delivered (2xx)',
    registers: [this.registry],
  });
  readonly failures = new Counter({
    name: 'alerting_notification_failures_total',
    help: 'Failed webhook attempts (non-2xx, timeout, connection error)',
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'alerting_notification_dead_letters_total',
    help: 'Webhook deliveries dead-lettered after the last attempt failed',
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'alerting_notification_latency_seconds',
    help: 'From the event behind an alarm change to the webhook 2xx',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

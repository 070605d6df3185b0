/** The alerting service's own Prometheus metrics (server-kit style: providers, injected). */
import { Injectable } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeHistogramProvider } from '@iotmon/server-kit';
import type { Counter, Histogram } from 'prom-client';

export const alertingMetricProviders = [
  makeCounterProvider({
    name: 'alerting_alarms_raised_total',
    help: 'Alarm episodes opened, by severity',
    labelNames: ['severity'],
  }),
  makeCounterProvider({
    name: 'alerting_alarms_cleared_total',
    help: 'Alarm episodes cleared (by the edge, the server or an operator), by severity',
    labelNames: ['severity'],
  }),
  makeCounterProvider({
    name: 'alerting_events_total',
    help: 'Constraint transitions received, by outcome (changed, stored, duplicate, rejected)',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: 'alerting_notifications_delivered_total',
    help: 'Webhook notifications delivered (2xx)',
  }),
  makeCounterProvider({
    name: 'alerting_notification_failures_total',
    help: 'Failed webhook attempts (non-2xx, timeout, connection error)',
  }),
  makeCounterProvider({
    name: 'alerting_notification_dead_letters_total',
    help: 'Webhook deliveries dead-lettered after the last attempt failed',
  }),
  makeHistogramProvider({
    name: 'alerting_notification_latency_seconds',
    help: 'From the event behind an alarm change to the webhook 2xx',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
  }),
];

@Injectable()
export class AlertingMetrics {
  constructor(
    @InjectMetric('alerting_alarms_raised_total') readonly raised: Counter,
    @InjectMetric('alerting_alarms_cleared_total') readonly cleared: Counter,
    @InjectMetric('alerting_events_total') readonly events: Counter,
    @InjectMetric('alerting_notifications_delivered_total') readonly delivered: Counter,
    @InjectMetric('alerting_notification_failures_total') readonly failures: Counter,
    @InjectMetric('alerting_notification_dead_letters_total') readonly deadLetters: Counter,
    @InjectMetric('alerting_notification_latency_seconds') readonly latency: Histogram,
  ) {}
}

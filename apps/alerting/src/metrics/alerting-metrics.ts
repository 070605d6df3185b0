/** The alerting service's own Prometheus metrics (server-kit style: providers, injected). */
import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@iotmon/server-kit';
import type { Counter, Gauge, Histogram } from 'prom-client';

/** Seconds: milliseconds on a quiet machine up to minutes (webhook retries, outages). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300];
export const SEVERITIES = ['info', 'warning', 'critical'];

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
    help: 'Constraint transitions received, by outcome (stored, duplicate, failed, rejected)',
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
    name: 'alerting_edge_to_alarm_seconds',
    help: 'From the evaluation behind a transition (edge, or server) to its alarm change committed',
    buckets: LATENCY_BUCKETS,
  }),
  makeHistogramProvider({
    name: 'alerting_alarm_to_webhook_seconds',
    help: 'From an alarm change committed (its webhook delivery written) to the webhook 2xx',
    buckets: LATENCY_BUCKETS,
  }),
  makeHistogramProvider({
    name: 'alerting_alarm_to_push_seconds',
    help: 'From an alarm change committed to its push to the live-feed (dashboard) clients',
    buckets: LATENCY_BUCKETS,
  }),
  makeHistogramProvider({
    name: 'alerting_stage_seconds',
    help: 'Where a transition spends its time in alerting: queue (received to its batch starting), commit (one batch statement)',
    labelNames: ['stage'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  makeHistogramProvider({
    name: 'alerting_transition_batch_size',
    help: 'Transitions per applied batch statement',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
  }),
  makeGaugeProvider({
    name: 'alerting_alarms_open',
    help: 'Alarm episodes not cleared (active, acknowledged, shelved), by severity',
    labelNames: ['severity'],
  }),
  makeGaugeProvider({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting)',
    labelNames: ['state'],
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
    @InjectMetric('alerting_edge_to_alarm_seconds') readonly edgeToAlarm: Histogram,
    @InjectMetric('alerting_alarm_to_webhook_seconds') readonly alarmToWebhook: Histogram,
    @InjectMetric('alerting_alarm_to_push_seconds') readonly alarmToPush: Histogram,
    @InjectMetric('alerting_stage_seconds') readonly stage: Histogram,
    @InjectMetric('alerting_transition_batch_size') readonly batchSize: Histogram,
    @InjectMetric('alerting_alarms_open') readonly alarmsOpen: Gauge,
    @InjectMetric('db_pool_connections') readonly dbPool: Gauge,
  ) {
    // Every series exists from the start, so rate() and the alert rules have data at zero.
    for (const severity of SEVERITIES) {
      raised.inc({ severity }, 0);
      cleared.inc({ severity }, 0);
    }
    for (const outcome of ['stored', 'duplicate', 'failed', 'rejected']) events.inc({ outcome }, 0);
    delivered.inc(0);
    failures.inc(0);
    deadLetters.inc(0);
  }
}

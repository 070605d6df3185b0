/**
 * What every MQTT consumer (api ingestion, alerting) exports about its broker connection:
 * whether it is connected, how many received messages it has not finished with (its backlog:
 * received, not yet committed), and how many arrived as redeliveries (the DUP flag: the broker
 * sent them before and got no acknowledgement). Apps add `mqttConsumerMetricProviders` to
 * their metrics module; the client is the app's MQTT_CLIENT.
 */
import { Inject, Injectable } from '@nestjs/common';
import { MQTT_CLIENT } from '@iotmon/messaging';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { MqttClient } from 'mqtt';
import type { Counter, Gauge } from 'prom-client';
import { sampleOnScrape } from './sample-on-scrape';

@Injectable()
export class MqttConsumerMetrics {
  private backlog = 0;
  private backlogSource: (() => number) | undefined;

  constructor(
    @Inject(MQTT_CLIENT) client: MqttClient,
    @InjectMetric('mqtt_consumer_connected') connected: Gauge,
    @InjectMetric('mqtt_consumer_backlog_messages') backlog: Gauge,
    @InjectMetric('mqtt_consumer_redeliveries_total') private readonly redeliveries: Counter,
  ) {
    sampleOnScrape(connected, (g) => g.set(client.connected ? 1 : 0));
    sampleOnScrape(backlog, (g) => g.set(this.backlogSource?.() ?? this.backlog));
    redeliveries.inc(0);
  }

  /** Counts a message that the broker sent before (DUP flag). */
  received(packet: { dup?: boolean }): void {
    if (packet.dup) this.redeliveries.inc();
  }

  /** One more message in hand; call the returned function once it is committed or dropped. */
  inFlight(): () => void {
    this.backlog++;
    let done = false;
    return () => {
      if (!done) this.backlog--;
      done = true;
    };
  }

  /** For a consumer that hands messages to a queue of its own: the backlog is that queue. */
  backlogFrom(read: () => number): void {
    this.backlogSource = read;
  }
}

export const mqttConsumerMetricProviders = [
  makeGaugeProvider({
    name: 'mqtt_consumer_connected',
    help: '1 while the MQTT consumer is connected to the broker, else 0',
  }),
  makeGaugeProvider({
    name: 'mqtt_consumer_backlog_messages',
    help: 'MQTT messages received and not yet finished (committed or dropped)',
  }),
  makeCounterProvider({
    name: 'mqtt_consumer_redeliveries_total',
    help: 'MQTT messages received with the DUP flag (sent again by the broker)',
  }),
  MqttConsumerMetrics,
];

/** Runs the node: sensor loops, raw publishing, presence on the retained status topic. */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  encodePresence,
  encodeReadings,
  topics,
  type Reading,
  type SensorKind,
} from '@iotmon/domain';
import { MQTT_CLIENT } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';
import { EDGE_CONFIG, type EdgeConfig } from './config';
import { SensorLoop } from './sensors/sensor-loop';
import { simulatedSource } from './sensors/simulated-source';

@Injectable()
export class EdgeNodeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(EdgeNodeService.name);
  private readonly seq = new Map<SensorKind, number>();
  readonly loops: SensorLoop[];

  constructor(
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(MQTT_CLIENT) private readonly client: MqttClient,
  ) {
    this.loops = config.sensors.map(
      (s) =>
        new SensorLoop(s.kind, s.intervalMs, simulatedSource(s.kind), (kind, value, ts) =>
          this.publish(kind, value, ts),
        ),
    );
  }

  onApplicationBootstrap(): void {
    const status = topics.status(this.config.nodeId);
    this.client.on('connect', () => {
      this.client.publish(status, encodePresence({ status: 'online', ts: Date.now() }), {
        qos: 1,
        retain: true,
      });
      this.log.log(`node ${this.config.nodeId} online at ${this.config.mqtt.url}`);
    });
    for (const loop of this.loops) loop.start();
  }

  publish(sensor: SensorKind, value: number, ts: number): void {
    const seq = (this.seq.get(sensor) ?? 0) + 1;
    this.seq.set(sensor, seq);
    const reading: Reading = { deviceId: this.config.nodeId, sensor, value, ts, seq };
    this.client.publish(topics.raw(this.config.nodeId, sensor), encodeReadings([reading]), {
      qos: this.config.rawQos,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const loop of this.loops) loop.stop();
    if (!this.client.connected) return;
    // A clean shutdown announces itself; bounded, because the broker may be stopping too.
    const offline = this.client.publishAsync(
      topics.status(this.config.nodeId),
      encodePresence({ status: 'offline', ts: Date.now() }),
      {
        qos: 1,
        retain: true,
      },
    );
    await Promise.race([
      offline.catch(() => undefined),
      new Promise((r) => setTimeout(r, 1_000).unref()),
    ]);
  }
}

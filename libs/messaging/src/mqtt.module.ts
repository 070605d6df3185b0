/**
 * Nest wiring for one mqtt.js client per process, injected as MQTT_CLIENT. We use mqtt.js
 * rather than the @nestjs/microservices MQTT transport because the apps need what the
 * transport hides: raw payload buffers (no JSON packet envelope), retained presence with a
 * last will, delayed acks, MQTT v5 shared subscriptions chosen at run time, and a publish
 * ack per message (the edge's outbox removes a message only once the broker has acked it;
 * the transport's emit() does not expose that).
 */
import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { IClientOptions, MqttClient } from 'mqtt';
import { holdMessages } from './held-messages';
import { connectMqtt } from './mqtt-connect';
import { mqttClientOptions, mqttSettingsFromEnv, type MqttSettings } from './mqtt-options';

export const MQTT_CLIENT = Symbol('MQTT_CLIENT');
export const MQTT_SETTINGS = Symbol('MQTT_SETTINGS');

export interface MqttModuleOptions {
  clientId: string;
  settings?: MqttSettings;
  /** Extra mqtt.js options, e.g. a last will. */
  client?: IClientOptions;
  /**
   * The client consumes through the server kit's MqttTransport: incoming messages wait,
   * unacknowledged, until it takes over (held-messages.ts).
   */
  consumer?: boolean;
}

@Injectable()
class MqttClientCloser implements OnApplicationShutdown {
  constructor(@Inject(MQTT_CLIENT) private readonly client: MqttClient) {}

  /** Lets in-flight messages finish for up to 2 s, then closes regardless (the broker may be gone). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.race([this.client.endAsync(), new Promise((r) => setTimeout(r, 2_000).unref())]);
    if (!this.client.disconnected) await this.client.endAsync(true);
  }
}

@Module({})
export class MqttModule {
  static forRoot(options: MqttModuleOptions): DynamicModule {
    const settings = options.settings ?? mqttSettingsFromEnv();
    return {
      module: MqttModule,
      global: true,
      providers: [
        { provide: MQTT_SETTINGS, useValue: settings },
        {
          provide: MQTT_CLIENT,
          useFactory: () => {
            const client = connectMqtt(
              settings.url,
              mqttClientOptions(settings, options.clientId, options.client),
            );
            return options.consumer ? holdMessages(client) : client;
          },
        },
        MqttClientCloser,
      ],
      exports: [MQTT_CLIENT, MQTT_SETTINGS],
    };
  }
}

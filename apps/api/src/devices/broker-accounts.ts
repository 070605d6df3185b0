/**
 * Keeps the broker's device accounts in step with the registry. The embedded broker reads keys
 * from PostgreSQL itself (and learns of changes by NOTIFY), so there is nothing to do; on
 * Mosquitto (`MQTT_PROVISIONING=dynsec`) each device gets a dynamic-security client and role,
 * re-keyed on rotation (Mosquitto then closes its sessions) and removed on delete.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DynsecError, DynsecProvisioner, MQTT_CLIENT } from '@iotmon/messaging';
import type { MqttClient } from 'mqtt';
import { AppError } from '@iotmon/server-kit';
import { API_CONFIG, type ApiConfig } from '../config';

@Injectable()
export class BrokerAccounts {
  private readonly log = new Logger('broker-accounts');
  private readonly dynsec: DynsecProvisioner | undefined;

  constructor(@Inject(API_CONFIG) config: ApiConfig, @Inject(MQTT_CLIENT) client: MqttClient) {
    this.dynsec = config.mqttProvisioning === 'dynsec' ? new DynsecProvisioner(client) : undefined;
  }

  async created(devices: { id: string; key: string }[]): Promise<void> {
    for (const d of devices) await this.call(() => this.dynsec?.deviceCreated(d.id, d.key));
  }

  async rotated(id: string, key: string): Promise<void> {
    await this.call(async () => {
      try {
        await this.dynsec?.keyRotated(id, key);
      } catch (e) {
        // A device the broker never had (registered before provisioning, or by presence).
        if (!(e instanceof DynsecError && /not found/i.test(e.message))) throw e;
        await this.dynsec?.deviceCreated(id, key);
      }
    });
  }

  async deleted(id: string): Promise<void> {
    await this.call(() => this.dynsec?.deviceDeleted(id)).catch((e: AppError) => {
      if (!/not found/i.test(e.message)) throw e;
    });
  }

  private async call(fn: () => Promise<void> | undefined): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.log.error(`broker provisioning failed: ${(e as Error).message}`);
      throw new AppError(
        503,
        'SERVICE_UNAVAILABLE',
        `the broker did not take the change: ${(e as Error).message}`,
      );
    }
  }
}

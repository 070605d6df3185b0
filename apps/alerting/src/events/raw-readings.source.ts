/**
 * Readings from the broker, decoded once for everyone who needs them (the live push and the
 * server-side evaluator): raw ones from the edges (env/+/+/raw) and those the api stored from
 * REST (one batch per request on server/readings/stored). Each replica subscribes without a shared group,
 * because each one's live clients want every reading. Kinds are checked against the live
 * sensor-kinds catalogue; a kind it does not know yet makes it reload once (a kind created a
 * moment ago whose NOTIFY is still on its way) before the item is dropped.
 */
import { Injectable } from '@nestjs/common';
import { decodeReadings, type Reading } from '@iotmon/domain';
import { LiveSensorCatalogue } from '@iotmon/persistence';
import { correlationIdOfMessage, type MqttMessage } from '@iotmon/server-kit';

/** `correlationId`: the message's (MQTT v5 user property) or a new one per message. */
export type ReadingsListener = (readings: Reading[], correlationId: string) => void;

@Injectable()
export class RawReadingsSource {
  private readonly listeners: ReadingsListener[] = [];

  constructor(private readonly kinds: LiveSensorCatalogue) {}

  listen(fn: ReadingsListener): void {
    this.listeners.push(fn);
  }

  /** A raw or stored message from RawReadingsConsumer: decoded once, handed to every listener. */
  deliver(m: MqttMessage, reloaded = false): void {
    const parsed = m.route;
    if (parsed?.kind !== 'raw' && parsed?.kind !== 'stored') return;
    // A raw message's device and sensor are in its topic; a stored batch names them per item.
    const ctx = parsed.kind === 'raw' ? { deviceId: parsed.deviceId, sensor: parsed.sensor } : {};
    const { readings, errors } = decodeReadings(m.payload, this.kinds.current, ctx);
    if (!reloaded && errors.some((e) => e.field === 'sensor')) {
      void this.kinds
        .reload()
        .catch(() => undefined)
        .then(() => this.deliver(m, true));
      return;
    }
    if (readings.length === 0) return;
    const correlationId = correlationIdOfMessage(m);
    for (const fn of this.listeners) fn(readings, correlationId);
  }
}

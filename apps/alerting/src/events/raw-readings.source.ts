/**
 * Readings from the broker, decoded once for everyone who needs them (the live push and the
 * server-side evaluator): raw ones from the edges (env/+/+/raw) and those the api stored from
 * REST (one batch per request on server/readings/stored). Each replica subscribes without a shared group,
 * because each one's live clients want every reading.
 */
import { Injectable } from '@nestjs/common';
import { decodeReadings, type Reading } from '@iotmon/domain';
import { correlationIdOfMessage, type MqttMessage } from '@iotmon/server-kit';

/** `correlationId`: the message's (MQTT v5 user property) or a new one per message. */
export type ReadingsListener = (readings: Reading[], correlationId: string) => void;

@Injectable()
export class RawReadingsSource {
  private readonly listeners: ReadingsListener[] = [];

  listen(fn: ReadingsListener): void {
    this.listeners.push(fn);
  }

  /** A raw or stored message from RawReadingsConsumer: decoded once, handed to every listener. */
  deliver(m: MqttMessage): void {
    const parsed = m.route;
    if (parsed?.kind !== 'raw' && parsed?.kind !== 'stored') return;
    // A raw message's device and sensor are in its topic; a stored batch names them per item.
    const ctx = parsed.kind === 'raw' ? { deviceId: parsed.deviceId, sensor: parsed.sensor } : {};
    const { readings } = decodeReadings(m.payload, ctx);
    if (readings.length === 0) return;
    const correlationId = correlationIdOfMessage(m);
    for (const fn of this.listeners) fn(readings, correlationId);
  }
}

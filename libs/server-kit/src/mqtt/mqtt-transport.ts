/**
 * MQTT consumption as a Nest transport (`app.connectMicroservice({ strategy })`): handlers are
 * `@EventPattern('env/+/+/raw', { qos: 1, shared: true })` methods receiving an MqttMessage
 * (topic parsed once, raw payload). The transport owns the one mqtt.js client of the process,
 * subscribes every pattern on each (re)connect, applies the shared-subscription group
 * (`$share/<group>/...`, MQTT v5) to patterns marked `shared`, and decides when a QoS 1
 * message is acknowledged. Per-node topics: a pattern may hold `{name}` placeholders
 * (`@EventPattern('env/{nodeId}/config')`); with `connections` (one client per edge node, each
 * with its own session and last will) every connection subscribes each pattern with its own
 * `params` filled in, so one handler serves all the nodes of a fleet process.
 *
 * When a QoS 1 message is acknowledged:
 *
 * - `ackAfterHandler: false` (default, today's behaviour): PUBACK on receipt, handlers run after.
 * - `ackAfterHandler: true`: PUBACK only once every matching handler's promise or observable
 *   has completed, i.e. after what the message carried is committed. A handler that throws
 *   (or rejects) is not acknowledged: the transport drops the connection without the PUBACK,
 *   so the broker delivers the message again (to this session, when it is persistent:
 *   `clean: false` with a stable `clientId`, or to another member of the shared group).
 *   mqtt.js alone would handle one message at a time (it reads the next packet only once the
 *   previous one is acknowledged), so one commit per message; the transport instead lets up
 *   to `maxInFlight` messages per connection be handled at once, each acknowledged when its
 *   own handlers complete. At that limit it stops reading the connection: nothing more is
 *   taken (or acknowledged), TCP pushes back, and the broker holds the rest under its
 *   in-flight window. A handler that waits for room in a full queue therefore throttles the
 *   broker, and memory is bounded by `maxInFlight` messages per connection.
 *
 * A persistent session's broker sends what it held right after CONNACK, before any SUBSCRIBE,
 * and mqtt.js would acknowledge those messages to no handler: a client made before the
 * transport listens holds them (libs/messaging `holdMessages`, MqttModule `consumer: true`)
 * and `listen` takes them over.
 */
import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { parseTopic, type ParsedTopic } from '@iotmon/domain';
import {
  connectMqtt,
  consumeMessages,
  mqttClientOptions,
  topicMatches,
  type MqttSettings,
} from '@iotmon/messaging';
import type { IPublishPacket, MqttClient } from 'mqtt';
import { lastValueFrom } from 'rxjs';

/** What a handler receives: the topic (parsed once) and the payload as it came. */
export interface MqttMessage {
  topic: string;
  /** `parseTopic` of the domain's topic contract; null for topics outside it. */
  route: ParsedTopic | null;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** Sent before and not acknowledged (the broker redelivers). */
  dup: boolean;
  /** MQTT v5 properties (user properties carry the correlation id). */
  properties?: IPublishPacket['properties'];
}

/** The second argument of @EventPattern(filter, extras). */
export interface MqttPatternExtras {
  /** Subscription QoS (default 1). */
  qos?: 0 | 1;
  /** Subscribe through the shared group when one is configured (default false). */
  shared?: boolean;
}

/** One connection the transport consumes on, and the values of its pattern placeholders. */
export interface MqttConnection {
  client: MqttClient;
  params: Readonly<Record<string, string>>;
}

export interface MqttTransportOptions {
  settings: MqttSettings;
  /**
   * Per-node connections (the edge: each node has its own client and last will), consumed
   * with their placeholders filled; their owner connects and closes them. Instead of `client`.
   */
  connections?: readonly MqttConnection[];
  /**
   * The process's one client when the app already has it (libs/messaging MqttModule, which
   * also closes it); otherwise the transport connects its own with `clientId`.
   */
  client?: MqttClient;
  /** Its own client's id (without `client`): stable across restarts when `clean: false`. */
  clientId?: string;
  /** Acknowledge QoS 1 only after the handlers completed (see above). Default false. */
  ackAfterHandler?: boolean;
  /** With `ackAfterHandler`: messages handled at once per connection before it is no longer read. Default 64. */
  maxInFlight?: number;
  /** false keeps the session (subscriptions, unacknowledged messages) across reconnects. Default true. */
  clean?: boolean;
  /** MQTT v5 session expiry in seconds, for `clean: false` (0 = ends with the connection). */
  sessionExpiryInterval?: number;
}

type Events = { connect: () => void; close: () => void };

/** Given to mqtt.js's handleMessage callback: go on reading, but send no PUBACK (we send it later). */
const HELD = new Error('acknowledged after the handler');

/** The one mqtt.js internal the transport uses: sending a PUBACK outside handleMessage's callback. */
interface PacketSender {
  _sendPacket(packet: { cmd: 'puback'; messageId: number }): void;
}

/** The pattern with its `{name}` placeholders replaced by `params` (unknown names refused). */
export function fillPattern(pattern: string, params: Readonly<Record<string, string>>): string {
  return pattern.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`topic pattern ${pattern}: no value for {${name}}`);
    return value;
  });
}

interface Consumer extends MqttConnection {
  /** Handler pattern -> the filter it stands for on this connection. */
  filters: Map<string, string>;
  /** QoS 1 messages whose handlers are running (ackAfterHandler). */
  inFlight: number;
  /** Releases of the connection's reader held back at maxInFlight, oldest first. */
  held: (() => void)[];
}

export class MqttTransport extends Server<Events> implements CustomTransportStrategy {
  private readonly log = new Logger('MqttTransport');
  private consumers: Consumer[] = [];
  private owned: MqttClient | undefined;
  private pendingFirst = 0;
  private subscribedOnce!: () => void;
  /** Resolves once the broker acknowledged each connection's first subscription (tests wait for it). */
  readonly subscribed = new Promise<void>((resolve) => (this.subscribedOnce = resolve));

  constructor(private readonly options: MqttTransportOptions) {
    super();
  }

  /** The client, for publishing on the same connection (acks, announcements). */
  get mqtt(): MqttClient {
    const first = this.consumers[0];
    if (!first) throw new Error('MqttTransport is not listening yet');
    return first.client;
  }

  listen(callback: (...args: unknown[]) => void): void {
    const connections = this.options.connections ?? [
      { client: this.options.client ?? this.connectOwn(), params: {} },
    ];
    this.consumers = connections.map((c) => ({ ...c, filters: new Map(), inFlight: 0, held: [] }));
    this.pendingFirst = this.consumers.length;
    if (this.pendingFirst === 0) this.subscribedOnce();
    for (const c of this.consumers) {
      // Including what the broker sent before we were listening (libs/messaging holdMessages).
      consumeMessages(c.client, (packet, done) => this.receive(c, packet, done));
      // A clean session forgets subscriptions: subscribe on every (re)connect.
      let first = true;
      const subscribe = () => {
        this.subscribe(c, first);
        first = false;
      };
      c.client.on('connect', subscribe);
      if (c.client.connected) subscribe();
    }
    callback();
  }

  private connectOwn(): MqttClient {
    const { settings, clientId, clean = true, sessionExpiryInterval } = this.options;
    const client = connectMqtt(
      settings.url,
      mqttClientOptions(settings, clientId ?? `iotmon-${process.pid}`, {
        clean,
        ...(sessionExpiryInterval !== undefined && settings.sharedGroup
          ? { properties: { sessionExpiryInterval } }
          : {}),
      }),
    );
    client.on('error', (e) => this.log.warn(`broker: ${e.message}`));
    this.owned = client;
    return client;
  }

  private firstSubscribed(): void {
    if (--this.pendingFirst === 0) this.subscribedOnce();
  }

  private subscribe(c: Consumer, first: boolean): void {
    const filters: Record<string, { qos: 0 | 1 }> = {};
    for (const [pattern, handler] of this.messageHandlers) {
      const extras = (handler.extras ?? {}) as MqttPatternExtras;
      const group = extras.shared ? this.options.settings.sharedGroup : undefined;
      const filter = fillPattern(pattern, c.params);
      c.filters.set(pattern, filter);
      filters[group ? `$share/${group}/${filter}` : filter] = { qos: extras.qos ?? 1 };
    }
    const names = Object.keys(filters);
    if (names.length === 0) return first ? this.firstSubscribed() : undefined;
    c.client.subscribe(filters, (err) => {
      if (err) this.log.error(`subscribe ${names.join(', ')}: ${err.message}`);
      else {
        // One line per process, not one per fleet node.
        if (c === this.consumers[0]) this.log.log(`consuming ${names.join(', ')}`);
        if (first) this.firstSubscribed();
      }
    });
  }

  /** mqtt.js calls this per PUBLISH; for QoS 1 the PUBACK goes out when `done` is called. */
  private receive(c: Consumer, packet: IPublishPacket, done: (err?: Error) => void): void {
    const message: MqttMessage = {
      topic: packet.topic,
      route: parseTopic(packet.topic),
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
      properties: packet.properties,
    };
    const handled = this.dispatch(c, message);
    if (!this.options.ackAfterHandler || packet.qos === 0) {
      done();
      handled.catch((e: Error) => this.log.error(`${packet.topic}: ${e.message}`));
      return;
    }
    // The PUBACK belongs to this connection: after a reconnect the broker sends the message
    // again (persistent session), and an ack on the new connection could name another message.
    const stream = c.client.stream;
    const release = () => done(HELD);
    // This message counts: the next one is read only while fewer than maxInFlight are running.
    if (++c.inFlight < (this.options.maxInFlight ?? 64)) release();
    else c.held.push(release);
    handled.then(
      () => {
        this.settled(c);
        if (c.client.connected && c.client.stream === stream && packet.messageId !== undefined)
          (c.client as unknown as PacketSender)._sendPacket({
            cmd: 'puback',
            messageId: packet.messageId,
          });
      },
      (e: Error) => {
        this.settled(c);
        // Not acknowledged: drop the connection so the broker delivers it again.
        this.log.error(`${packet.topic}: not acknowledged (${e.message}); reconnecting`);
        if (c.client.stream === stream) stream.destroy();
      },
    );
  }

  /** One handler done: the connection is read again if it was held at maxInFlight. */
  private settled(c: Consumer): void {
    c.inFlight--;
    c.held.shift()?.();
  }

  private async dispatch(c: Consumer, message: MqttMessage): Promise<void> {
    const runs: Promise<unknown>[] = [];
    for (const [pattern, handler] of this.messageHandlers) {
      if (!topicMatches(c.filters.get(pattern) ?? pattern, message.topic)) continue;
      runs.push(
        (async () => {
          const out = await handler(message);
          await lastValueFrom(this.transformToObservable(out), { defaultValue: undefined });
        })(),
      );
    }
    await Promise.all(runs);
  }

  on<K extends keyof Events>(event: K, callback: Events[K]): void {
    this.mqtt.on(event, callback);
  }

  unwrap<T>(): T {
    return this.mqtt as T;
  }

  /** Lets in-flight messages finish for up to 2 s, then closes regardless (the broker may be gone). */
  async close(): Promise<void> {
    const client = this.owned;
    if (!client) return;
    await Promise.race([client.endAsync(), new Promise((r) => setTimeout(r, 2_000).unref())]);
    if (!client.disconnected) await client.endAsync(true);
  }
}

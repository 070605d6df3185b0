/**
 * The MQTT transport on a real broker: @EventPattern routing with the topic parsed once, and
 * with `ackAfterHandler` the PUBACK only after the handler completed; a consumer killed between
 * receipt and ack, or a handler that throws, gets the message again (persistent session);
 * per-node connections each consume the `{nodeId}` topics of their own node only.
 */
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import {
  connectMqtt,
  generateServicePasswords,
  startRegistryBroker,
  whenConnected,
  type RegistryBroker,
} from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import type { MqttClient } from 'mqtt';
import { fillPattern, MqttTransport, type MqttMessage } from './mqtt-transport';

/** What the handler does with each message: set by each test. */
let behaviour: (m: MqttMessage) => Promise<void> = async () => undefined;
const seen: MqttMessage[] = [];

@Controller()
class RawController {
  @EventPattern('env/+/+/raw', { qos: 1 })
  async raw(m: MqttMessage): Promise<void> {
    seen.push(m);
    await behaviour(m);
  }
}

@Module({ controllers: [RawController] })
class ConsumerModule {}

const configs: MqttMessage[] = [];

@Controller()
class NodeConfigController {
  @EventPattern('env/{nodeId}/config', { qos: 1 })
  config(m: MqttMessage): void {
    configs.push(m);
  }
}

@Module({ controllers: [NodeConfigController] })
class NodesModule {}

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('MqttTransport', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let publisher: MqttClient;
  const consumers: INestMicroservice[] = [];

  const startConsumer = async (clientId: string, ackAfterHandler = true, maxInFlight?: number) => {
    const transport = new MqttTransport({
      settings: { url: broker.url, ...broker.login('api') },
      clientId,
      ackAfterHandler,
      clean: false,
      maxInFlight,
    });
    const app = await NestFactory.createMicroservice(ConsumerModule, {
      strategy: transport,
      logger: false,
    });
    await app.listen();
    await transport.subscribed;
    consumers.push(app);
    return transport;
  };
  const killed: INestMicroservice[] = [];
  /** The kill: the connection goes without a PUBACK and without a clean disconnect. */
  const kill = (transport: MqttTransport) => {
    transport.unwrap<MqttClient>().end(true);
    killed.push(consumers.pop()!);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    broker = await startRegistryBroker({
      databaseUrl: db.url,
      services: generateServicePasswords(),
      port: 0,
    });
    publisher = connectMqtt(broker.url, { clientId: 'pub', ...broker.login('edge-fleet') });
    await whenConnected(publisher);
  });
  afterEach(() => {
    seen.length = 0;
    behaviour = async () => undefined;
  });
  afterAll(async () => {
    await Promise.all([...consumers, ...killed].map((c) => c.close().catch(() => undefined)));
    await publisher.endAsync();
    await broker.close();
    await db.drop();
  });

  it('routes to the @EventPattern handler with the topic parsed once', async () => {
    await startConsumer('route-test', false);
    await publisher.publishAsync('env/dev-1/temperature/raw', '{"value":21,"ts":1}', { qos: 1 });
    await waitFor(() => seen.length === 1, { what: 'one message' });
    expect(seen[0].route).toEqual({ kind: 'raw', deviceId: 'dev-1', sensor: 'temperature' });
    expect(seen[0].payload.toString()).toBe('{"value":21,"ts":1}');
    await consumers.pop()!.close();
  });

  it('acknowledges once the handler completed: a kill after that redelivers nothing', async () => {
    const first = await startConsumer('ack-test');
    const gate = deferred();
    behaviour = () => gate.promise;
    await publisher.publishAsync('env/dev-2/temperature/raw', '{"value":1,"ts":2}', { qos: 1 });
    await waitFor(() => seen.length === 1, { what: 'the message at the handler' });
    gate.resolve();
    await new Promise((r) => setTimeout(r, 200)); // the PUBACK reaches the broker
    kill(first);
    behaviour = async () => undefined;
    await startConsumer('ack-test');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(seen).toHaveLength(1);
    await consumers.pop()!.close();
  });

  it('delivers again what a consumer killed between receipt and ack had not acknowledged', async () => {
    const first = await startConsumer('kill-test');
    const never = deferred();
    behaviour = () => never.promise; // never commits
    await publisher.publishAsync('env/dev-3/humidity/raw', '{"value":40,"ts":3}', { qos: 1 });
    await waitFor(() => seen.length === 1, { what: 'the message at the handler' });
    kill(first);
    behaviour = async () => undefined;
    await startConsumer('kill-test');
    await waitFor(() => seen.length === 2, { what: 'the redelivery' });
    expect(seen[1].topic).toBe('env/dev-3/humidity/raw');
    await consumers.pop()!.close();
  });

  it('does not acknowledge a message whose handler threw: it comes again', async () => {
    await startConsumer('throw-test');
    let attempts = 0;
    behaviour = async () => {
      attempts++;
      if (attempts === 1) throw new Error('database down');
    };
    await publisher.publishAsync('env/dev-4/light/raw', '{"value":5,"ts":4}', { qos: 1 });
    await waitFor(() => attempts >= 2, { what: 'a second delivery', timeoutMs: 15_000 });
    expect(seen.map((m) => m.topic)).toEqual(['env/dev-4/light/raw', 'env/dev-4/light/raw']);
    await consumers.pop()!.close();
  });

  it('handles up to maxInFlight messages at once, holds the rest in the broker, and acks each after its handler', async () => {
    const first = await startConsumer('window-test', true, 3);
    const gates = Array.from({ length: 10 }, deferred);
    behaviour = (m) => gates[Number(JSON.parse(m.payload.toString()).ts)].promise;
    for (let i = 0; i < 10; i++)
      await publisher.publishAsync('env/dev-5/light/raw', JSON.stringify({ value: i, ts: i }), {
        qos: 1,
      });

    await waitFor(() => seen.length === 3, { what: 'three messages at once' });
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toHaveLength(3); // the other seven wait in the broker
    gates[0].resolve();
    await waitFor(() => seen.length === 4, { what: 'one more after one completed' });
    for (const g of gates) g.resolve();
    await waitFor(() => seen.length === 10, { what: 'all ten' });
    await new Promise((r) => setTimeout(r, 300)); // the PUBACKs reach the broker
    kill(first);
    seen.length = 0;
    await startConsumer('window-test', true, 3);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(seen).toHaveLength(0); // every one was acknowledged
    await consumers.pop()!.close();
  });

  it('consumes per-node topics on each node connection with its own {nodeId}', async () => {
    const nodes = ['node-a', 'node-b'];
    const clients = nodes.map((id) =>
      connectMqtt(broker.url, { clientId: `edge-${id}`, ...broker.login('edge-fleet') }),
    );
    const transport = new MqttTransport({
      settings: { url: broker.url, ...broker.login('edge-fleet') },
      connections: clients.map((client, i) => ({ client, params: { nodeId: nodes[i] } })),
    });
    const app = await NestFactory.createMicroservice(NodesModule, {
      strategy: transport,
      logger: false,
    });
    await app.listen();
    await transport.subscribed;
    const server = connectMqtt(broker.url, { clientId: 'cfg-pub', ...broker.login('alerting') });
    await whenConnected(server);
    for (const id of ['node-a', 'node-b', 'node-c'])
      await server.publishAsync(`env/${id}/config`, id, { qos: 1 });
    await waitFor(() => configs.length >= 2, { what: 'both nodes configs' });
    await new Promise((r) => setTimeout(r, 300)); // node-c's would have come by now
    // Each once (each connection subscribed its own topic only), nothing for a node not here.
    expect(configs.map((m) => `${m.topic} ${m.payload.toString()}`).sort()).toEqual([
      'env/node-a/config node-a',
      'env/node-b/config node-b',
    ]);
    expect(configs.map((m) => m.route)).toContainEqual({ kind: 'config', deviceId: 'node-a' });
    await app.close();
    // The connections belong to their owner: the transport left them open.
    expect(clients.every((c) => c.connected)).toBe(true);
    await Promise.all([...clients, server].map((c) => c.endAsync()));
  });

  it('refuses a pattern placeholder it has no value for', () => {
    expect(fillPattern('env/{nodeId}/ack', { nodeId: 'n1' })).toBe('env/n1/ack');
    expect(() => fillPattern('env/{node}/ack', { nodeId: 'n1' })).toThrow(/no value for \{node\}/);
  });
});

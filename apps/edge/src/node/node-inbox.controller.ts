/** What the server sends a node: its rule set (retained config) and its commit acks. */
import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { topics } from '@iotmon/domain';
import type { MqttMessage } from '@iotmon/server-kit';
import { EdgeRuntime } from '../runtime/edge-runtime.service';

/** `{nodeId}` is filled in per node connection by the MqttTransport (see EdgeRuntime.connections). */
const NODE = '{nodeId}';

@Controller()
export class NodeInboxController {
  constructor(private readonly runtime: EdgeRuntime) {}

  @EventPattern(topics.config(NODE), { qos: 1 })
  config(m: MqttMessage): void {
    if (m.route?.kind === 'config') this.runtime.node(m.route.deviceId)?.onConfig(m.payload);
  }

  @EventPattern(topics.ack(NODE), { qos: 1 })
  ack(m: MqttMessage): void {
    if (m.route?.kind === 'ack') this.runtime.node(m.route.deviceId)?.onAck(m.payload);
  }
}

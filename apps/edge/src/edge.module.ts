import { Module, type DynamicModule } from '@nestjs/common';
import { encodePresence, topics } from '@iotmon/domain';
import { MqttModule } from '@iotmon/messaging';
import { EDGE_CONFIG, type EdgeConfig } from './config';
import { EdgeNodeService } from './edge-node.service';

@Module({})
export class EdgeModule {
  static register(config: EdgeConfig): DynamicModule {
    return {
      module: EdgeModule,
      imports: [
        MqttModule.forRoot({
          clientId: `edge-${config.nodeId}`,
          settings: config.mqtt,
          client: {
            // The broker publishes this if the node vanishes without a clean disconnect.
            will: {
              topic: topics.status(config.nodeId),
              payload: Buffer.from(encodePresence({ status: 'offline', ts: 0 })),
              qos: 1,
              retain: true,
            },
          },
        }),
      ],
      providers: [{ provide: EDGE_CONFIG, useValue: config }, EdgeNodeService],
    };
  }
}

import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MqttHealthIndicator } from '@iotmon/messaging';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [MqttHealthIndicator],
})
export class HealthModule {}

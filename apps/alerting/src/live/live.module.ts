import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { LiveHub } from './live-hub.service';
import { LiveController } from './live.controller';

@Module({
  imports: [EventsModule],
  controllers: [LiveController],
  providers: [LiveHub],
  exports: [LiveHub],
})
export class LiveModule {}

import { Module } from '@nestjs/common';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { LastSeenTracker } from './last-seen-tracker';

@Module({
  controllers: [DevicesController],
  providers: [DevicesService, LastSeenTracker],
  exports: [DevicesService, LastSeenTracker],
})
export class DevicesModule {}

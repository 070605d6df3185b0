import { Module } from '@nestjs/common';
import { BrokerAccounts } from './broker-accounts';
import { DevicesController } from './devices.controller';
import { DevicesService } from './devices.service';
import { LastSeenTracker } from './last-seen-tracker';

@Module({
  controllers: [DevicesController],
  providers: [DevicesService, LastSeenTracker, BrokerAccounts],
  exports: [DevicesService, LastSeenTracker],
})
export class DevicesModule {}

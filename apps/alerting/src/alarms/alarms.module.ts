import { Module } from '@nestjs/common';
import { AlarmActions } from './alarm-actions.service';
import { AlarmEngine } from './alarm-engine.service';
import { AlarmQueries } from './alarm-queries.service';
import { AlarmRecorder } from './alarm-recorder';
import { AlarmsController } from './alarms.controller';
import { AlarmsService } from './alarms.service';
import { ShelfSweeper } from './shelf-sweeper.service';

@Module({
  controllers: [AlarmsController],
  providers: [AlarmRecorder, AlarmEngine, AlarmActions, AlarmQueries, AlarmsService, ShelfSweeper],
  exports: [AlarmEngine],
})
export class AlarmsModule {}

/** Returns shelved alarms to their state when the shelf expires (on every replica; rows are claimed). */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { AlarmActions } from './alarm-actions.service';
import { AlarmOutbox } from './alarm-outbox';

@Injectable()
export class ShelfSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(ShelfSweeper.name);
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly actions: AlarmActions,
    private readonly outbox: AlarmOutbox,
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.shelveSweepMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const lifted = await this.actions.liftExpiredShelves();
      this.outbox.send(lifted.sends);
    } catch (e) {
      this.log.error(`lifting shelves failed: ${(e as Error).message}`);
    } finally {
      this.busy = false;
    }
  }
}

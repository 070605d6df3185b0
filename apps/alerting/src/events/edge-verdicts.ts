/**
 * Which devices decide for themselves: a device that has published a constraint event is
 * evaluated at the edge, so the server does not evaluate its raw readings a second time.
 */
import { Injectable } from '@nestjs/common';

@Injectable()
export class EdgeVerdicts {
  private readonly devices = new Set<string>();

  seen(deviceId: string): void {
    this.devices.add(deviceId);
  }

  has(deviceId: string): boolean {
    return this.devices.has(deviceId);
  }

  addAll(deviceIds: Iterable<string>): void {
    for (const d of deviceIds) this.devices.add(d);
  }
}

/** What the dashboard page needs from the server besides alarms and the live feed. */
import { Inject, Injectable } from '@nestjs/common';
import { defaultRuleSet } from '@iotmon/constraints';
import type { RuleSet, SensorKindSpec } from '@iotmon/domain';
import { LiveSensorCatalogue } from '@iotmon/persistence';
import { DASHBOARD_CONFIG, type DashboardConfig } from './dashboard-config';
import { StaticFiles, type StaticFile } from './static-files';

/** GET /dashboard/config.json */
export interface PageConfig {
  /** Default points per chart. */
  window: number;
  /** Base of the proxied api reads. */
  apiBase: string;
  /** Rule set whose constant limits the charts draw. */
  ruleSet: RuleSet;
  /** The sensor-kinds catalogue: names, units and decimals of the charts. */
  kinds: SensorKindSpec[];
}

@Injectable()
export class DashboardService {
  constructor(
    @Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig,
    private readonly files: StaticFiles,
    private readonly catalogue: LiveSensorCatalogue,
  ) {}

  file(name: string): Promise<StaticFile | undefined> {
    return this.files.page(name);
  }

  vendorFile(name: string): Promise<StaticFile | undefined> {
    return this.files.vendor(name);
  }

  pageConfig(): PageConfig {
    // The default set is what the edges evaluate until the server assigns another one.
    const kinds = this.catalogue.current.kinds;
    return {
      window: this.config.window,
      apiBase: '/dashboard/api',
      ruleSet: defaultRuleSet(kinds),
      kinds: [...kinds],
    };
  }
}

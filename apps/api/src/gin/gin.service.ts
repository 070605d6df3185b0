/** The original Go API's air-conditioner table: random rows, plain pages. */
import { Inject, Injectable } from '@nestjs/common';
import {
  AC_STATUSES,
  type AcSensorRow,
  copyAcSensor,
  createAcSensorTable,
  listAcSensor,
  type NewAcSensorRow,
  PgConnections,
} from '@iotmon/persistence';
import { API_CONFIG, type ApiConfig } from '../config';
import type { IotListDto, IotStatusDto } from './dto/iot.dto';

const round2 = (v: number) => Math.round(v * 100) / 100;

export function randomAcRow(now: Date, rnd: () => number = Math.random): NewAcSensorRow {
  const between = (lo: number, hi: number) => round2(lo + (hi - lo) * rnd());
  const voltage = between(210, 240);
  const current = between(0, 10);
  const status = AC_STATUSES[Math.floor(rnd() * AC_STATUSES.length)];
  return {
    temperature_current: between(16, 32),
    temperature_desired: between(18, 26),
    humidity: between(20, 80),
    pressure: between(980, 1040),
    air_quality: between(0, 200),
    voltage,
    current,
    power: round2(voltage * current),
    is_on: status !== 'off',
    status,
    location: `room-${100 + Math.floor(rnd() * 50)}`,
    extracted_at: now,
  };
}

@Injectable()
export class GinService {
  constructor(
    @Inject(PgConnections) private readonly pg: PgConnections,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async list(limit: number, offset: number): Promise<IotListDto> {
    const result: AcSensorRow[] = await listAcSensor(this.pg, limit, offset);
    return { pod_name: this.config.podName, node_name: this.config.nodeName, result };
  }

  async createTable(): Promise<IotStatusDto> {
    await createAcSensorTable(this.pg);
    return { Status: 200, Message: 'Table created successfully or already exists' };
  }

  async create(n: number): Promise<IotStatusDto> {
    const now = new Date();
    const rows = Array.from({ length: n }, () => randomAcRow(now));
    await this.pg.withClient((client) => copyAcSensor(client, rows));
    return { Status: 201, Message: `Created ${n} Air Conditioner records successfully` };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  deleteDevice,
  type DeviceRecord,
  DuplicateDevicesError,
  findDevice,
  insertDevices,
  listDevices,
  recordPresence,
  setDeviceKeyHash,
  updateDevice,
  PgConnections,
} from '@iotmon/persistence';
import { ApiKeysService, AppError } from '@iotmon/server-kit';
import { API_CONFIG, type ApiConfig } from '../config';
import { BrokerAccounts } from './broker-accounts';
import type { CreateDeviceDto } from './dto/create-device.dto';
import type { DeviceKeyDto, DevicePageDto } from './dto/device.dto';
import type { ListDevicesDto } from './dto/list-devices.dto';
import type { UpdateDeviceDto } from './dto/update-device.dto';

export interface CreatedDevice {
  device: DeviceRecord;
  apiKey: string;
}

@Injectable()
export class DevicesService {
  private readonly staleSeconds: number;

  constructor(
    @Inject(PgConnections) private readonly pg: PgConnections,
    private readonly keys: ApiKeysService,
    private readonly broker: BrokerAccounts,
    @Inject(API_CONFIG) config: ApiConfig,
  ) {
    this.staleSeconds = config.presenceStaleSeconds;
  }

  async create(input: CreateDeviceDto[]): Promise<CreatedDevice[]> {
    const issued = input.map(() => this.keys.issueDeviceKey());
    try {
      const { created } = await insertDevices(
        this.pg,
        input.map((d, i) => ({
          id: d.id,
          name: d.name,
          location: d.location ?? null,
          sensors: d.sensors ?? [],
          metadata: d.metadata ?? {},
          apiKeyHash: issued[i].hash,
        })),
        this.staleSeconds,
      );
      try {
        await this.broker.created(input.map((d, i) => ({ id: d.id, key: issued[i].key })));
      } catch (e) {
        // A device the broker does not know would hold a key that works nowhere: undo.
        for (const d of created) await deleteDevice(this.pg, d.id);
        throw e;
      }
      const byId = new Map(created.map((d) => [d.id, d]));
      return input.map((d, i) => ({ device: byId.get(d.id)!, apiKey: issued[i].key }));
    } catch (e) {
      if (!(e instanceof DuplicateDevicesError)) throw e;
      const index = input.findIndex((d) => d.id === e.ids[0]);
      throw new AppError(
        409,
        'CONFLICT',
        `device ${e.ids[0]} already exists${e.ids.length > 1 ? ` (and ${e.ids.length - 1} more)` : ''}`,
        input.length > 1 ? `[${index}].id` : 'id',
        e.ids.map((id) => ({
          index: input.findIndex((d) => d.id === id),
          field: 'id',
          reason: 'already exists',
        })),
      );
    }
  }

  async list(q: ListDevicesDto): Promise<DevicePageDto> {
    if (q.cursor !== undefined && q.sort !== 'id' && q.sort !== '-id') {
      throw AppError.validation([{ field: 'cursor', reason: 'needs sort id or -id' }]);
    }
    const items = await listDevices(this.pg, {
      ...q,
      afterId: q.cursor,
      staleSeconds: this.staleSeconds,
    });
    const page: DevicePageDto = { items, limit: q.limit, offset: q.offset };
    if (items.length === q.limit && (q.sort === 'id' || q.sort === '-id')) {
      page.nextCursor = items[items.length - 1].id;
    }
    return page;
  }

  async get(id: string): Promise<DeviceRecord> {
    const d = await findDevice(this.pg, id, this.staleSeconds);
    if (!d) throw AppError.notFound(`device ${id}`);
    return d;
  }

  async update(id: string, patch: UpdateDeviceDto): Promise<DeviceRecord> {
    const d = await updateDevice(this.pg, id, patch, this.staleSeconds);
    if (!d) throw AppError.notFound(`device ${id}`);
    return d;
  }

  /**
   * The embedded broker learns of it by a trigger's NOTIFY, Mosquitto by dynamic security;
   * both close the old key's sessions.
   */
  async rotateKey(id: string): Promise<DeviceKeyDto> {
    const issued = this.keys.issueDeviceKey();
    if (!(await setDeviceKeyHash(this.pg, id, issued.hash)))
      throw AppError.notFound(`device ${id}`);
    this.keys.forgetDevice(id);
    await this.broker.rotated(id, issued.key);
    return { deviceId: id, apiKey: issued.key };
  }

  async remove(id: string): Promise<void> {
    if (!(await deleteDevice(this.pg, id))) throw AppError.notFound(`device ${id}`);
    this.keys.forgetDevice(id);
    await this.broker.deleted(id);
  }

  /** From the retained env/{id}/status topic. */
  presence(id: string, status: 'online' | 'offline', at: Date): Promise<void> {
    return recordPresence(this.pg, id, status, at);
  }
}

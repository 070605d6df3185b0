/** Entities and migrations owned by the api (devices, readings). Add new ones here. */
import type { SchemaClass } from './schema-class';
import { DeviceEntity } from './entities/device.entity';
import { ReadingEntity } from './entities/reading.entity';
import { CreateDevicesReadingsEvents1795305600000 } from './migrations/1795305600000-create-devices-readings-events';

export const API_ENTITIES: SchemaClass[] = [DeviceEntity, ReadingEntity];
export const API_MIGRATIONS: SchemaClass[] = [CreateDevicesReadingsEvents1795305600000];

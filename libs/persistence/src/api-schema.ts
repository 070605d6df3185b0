/** Migrations owned by the api (devices, readings, ac_sensor). Add new ones here. */
import type { SchemaClass } from './schema-class';
import { CreateDevicesReadingsEvents1795305600000 } from './migrations/1795305600000-create-devices-readings-events';
import { CreateAcSensor1795392000000 } from './migrations/1795392000000-create-ac-sensor';
import { ReadingsCoveringKey1795478400000 } from './migrations/1795478400000-readings-covering-key';
import { NotifyDeviceKeyChanges1795570000000 } from './migrations/1795570000000-notify-device-key-changes';

export const API_MIGRATIONS: SchemaClass[] = [
  CreateDevicesReadingsEvents1795305600000,
  CreateAcSensor1795392000000,
  ReadingsCoveringKey1795478400000,
  NotifyDeviceKeyChanges1795570000000,
];

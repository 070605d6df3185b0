import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A NOTIFY on channel `device_keys` (payload: the device id) whenever a device's key changes
 * or the device is deleted, whoever made the change: the brokers' key caches drop the entry
 * and close the device's live sessions at once instead of after a cache lifetime.
 */
export class NotifyDeviceKeyChanges1795570000000 implements MigrationInterface {
  name = 'NotifyDeviceKeyChanges1795570000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_device_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.api_key_hash IS DISTINCT FROM OLD.api_key_hash THEN
          PERFORM pg_notify('device_keys', OLD.id);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER devices_key_change AFTER UPDATE OF api_key_hash OR DELETE ON devices
        FOR EACH ROW EXECUTE FUNCTION notify_device_key_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER devices_key_change ON devices');
    await q.query('DROP FUNCTION notify_device_key_change()');
  }
}

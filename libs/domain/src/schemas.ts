/**
 * JSON Schemas (draft 2020-12) of every MQTT payload a device sends or receives, the
 * contract of docs/device-protocol.md. The codecs are the enforcement; the codec tests hold
 * both to the same examples so neither drifts.
 */
import ack from '../schemas/ack.schema.json';
import config from '../schemas/config.schema.json';
import event from '../schemas/event.schema.json';
import raw from '../schemas/raw.schema.json';
import reading from '../schemas/reading.schema.json';
import status from '../schemas/status.schema.json';

/** By topic kind (`reading` is the item of `raw`, and the body of REST readings). */
export const PAYLOAD_SCHEMAS = { reading, raw, event, status, config, ack } as const;

export type PayloadSchemaName = keyof typeof PAYLOAD_SCHEMAS;

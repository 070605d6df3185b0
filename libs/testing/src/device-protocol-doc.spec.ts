/**
 * docs/device-protocol.md cannot drift from the contract: every JSON example in it validates
 * against the committed schema it is marked with, every schema and every device topic of
 * libs/domain is in it, and the links to schemas point at files that exist.
 */
import { PAYLOAD_SCHEMAS, topics, type PayloadSchemaName } from '@iotmon/domain';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const doc = readFileSync(join(root, 'docs/device-protocol.md'), 'utf8');

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
for (const s of Object.values(PAYLOAD_SCHEMAS)) ajv.addSchema(s);

/** `<!-- schema: name -->` followed by a json fence. */
const marked = [...doc.matchAll(/<!-- schema: (\w+) -->\s*```json\n([\s\S]*?)```/g)].map((m) => ({
  name: m[1] as PayloadSchemaName,
  json: m[2],
}));

describe('docs/device-protocol.md', () => {
  it('has marked examples for every device payload', () => {
    const names = new Set(marked.map((m) => m.name));
    for (const n of ['raw', 'event', 'status', 'config', 'ack'] as const)
      expect(names).toContain(n);
  });

  it.each(marked.map((m, i) => [`${i + 1}: ${m.name}`, m] as const))(
    'example %s validates against its schema',
    (_label, m) => {
      expect(PAYLOAD_SCHEMAS[m.name]).toBeDefined();
      const ok = ajv.validate(PAYLOAD_SCHEMAS[m.name].$id, JSON.parse(m.json));
      expect({ ok, errors: ajv.errors }).toMatchObject({ ok: true });
    },
  );

  it('links every schema file, and every link resolves', () => {
    for (const name of Object.keys(PAYLOAD_SCHEMAS)) {
      expect(doc).toContain(`../libs/domain/schemas/${name}.schema.json`);
    }
    for (const [, target] of doc.matchAll(/\]\((\.\.\/[^)#]+)/g)) {
      expect({ target, exists: existsSync(join(root, 'docs', target)) }).toMatchObject({
        exists: true,
      });
    }
  });

  it('names every device topic of the contract', () => {
    const id = '{deviceId}';
    for (const t of [
      topics.raw(id, '{sensor}' as never),
      topics.event(id, '{sensor}' as never),
      topics.status(id),
      topics.config(id),
      topics.ack(id),
    ]) {
      expect(doc).toContain(`\`${t}\``);
    }
  });
});

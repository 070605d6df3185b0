/**
 * The one error contract, as a spec every HTTP app runs against itself (real app, real HTTP,
 * real PostgreSQL): the same body for validation, unknown fields, unparseable bodies, missing
 * resources and internal errors, and a correlation id taken only from a sane header.
 */
import { Client } from 'pg';

export interface ErrorContractApp {
  baseUrl: string;
  /** The app's database, so the spec can break it for the 500 case. */
  databaseUrl: string;
  /** Credentials sent with every request (routes need a role; see docs/security.md). */
  headers?: Record<string, string>;
  close(): Promise<void>;
}

export interface ErrorContractCase {
  start(): Promise<ErrorContractApp>;
  /** A GET whose query has one bad value, and the field it is in. */
  badQuery: { url: string; field: string };
  /** A GET with a query parameter the route does not know (forbidNonWhitelisted). */
  unknownQuery: { url: string; field: string };
  /** A GET of something that does not exist. */
  notFound: string;
  /** A route that takes a JSON body (the spec sends one that does not parse). */
  jsonBody: { method: 'POST' | 'PUT' | 'PATCH'; url: string; headers?: Record<string, string> };
  /** A GET that needs `dropTable`: once it is dropped, the route fails inside (a 500). */
  internal: { url: string; dropTable: string };
}

const BODY_KEYS = ['statusCode', 'code', 'message', 'field', 'errors', 'correlationId'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Answer {
  status: number;
  header: string | null;
  body: Record<string, unknown>;
}

export function describeErrorContract(name: string, c: ErrorContractCase): void {
  describe(`error contract (${name})`, () => {
    let app: ErrorContractApp;
    beforeAll(async () => {
      app = await c.start();
    });
    afterAll(() => app.close());

    const call = async (url: string, init: RequestInit = {}): Promise<Answer> => {
      const res = await fetch(`${app.baseUrl}${url}`, {
        ...init,
        headers: { ...app.headers, ...(init.headers as Record<string, string> | undefined) },
      });
      return {
        status: res.status,
        header: res.headers.get('x-correlation-id'),
        body: (await res.json()) as Record<string, unknown>,
      };
    };
    const expectShape = (a: Answer, status: number, code: string) => {
      expect(a.status).toBe(status);
      expect(a.body).toMatchObject({ statusCode: status, code, correlationId: a.header });
      expect(typeof a.body['message']).toBe('string');
      expect(Object.keys(a.body).filter((k) => !BODY_KEYS.includes(k))).toEqual([]);
    };

    it('names the field of a bad query value', async () => {
      const a = await call(c.badQuery.url);
      expectShape(a, 400, 'VALIDATION_FAILED');
      expect(a.body['field']).toBe(c.badQuery.field);
      expect(a.body['errors']).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: c.badQuery.field })]),
      );
    });

    it('refuses an unknown query parameter, naming it', async () => {
      const a = await call(c.unknownQuery.url);
      expectShape(a, 400, 'VALIDATION_FAILED');
      expect(a.body['field']).toBe(c.unknownQuery.field);
    });

    it('answers an unparseable body with field "body"', async () => {
      const a = await call(c.jsonBody.url, {
        method: c.jsonBody.method,
        headers: { 'content-type': 'application/json', ...c.jsonBody.headers },
        body: '{"not json',
      });
      expectShape(a, 400, 'VALIDATION_FAILED');
      expect(a.body['field']).toBe('body');
    });

    it('answers a missing resource with NOT_FOUND', async () => {
      const a = await call(c.notFound);
      expectShape(a, 404, 'NOT_FOUND');
      expect(a.body['field']).toBeUndefined();
    });

    it('takes a sane correlation id from the request and replaces anything else', async () => {
      const sane = await call(c.notFound, { headers: { 'x-correlation-id': 'trace-42.a:b' } });
      expect(sane.header).toBe('trace-42.a:b');
      expect(sane.body['correlationId']).toBe('trace-42.a:b');
      for (const bad of ['has space', 'x'.repeat(129), '<script>', 'a;b']) {
        const a = await call(c.notFound, { headers: { 'x-correlation-id': bad } });
        expect(a.header).toMatch(UUID);
        expect(a.body['correlationId']).toBe(a.header);
      }
      const generated = await call(c.notFound);
      expect(generated.header).toMatch(UUID);
    });

    // Last: it breaks the app's database.
    it('says nothing internal on a 500', async () => {
      const pg = new Client({ connectionString: app.databaseUrl });
      pg.on('error', () => undefined);
      await pg.connect();
      await pg.query(`DROP TABLE ${c.internal.dropTable} CASCADE`);
      await pg.end();
      const a = await call(c.internal.url);
      expect(a.status).toBe(500);
      expect(a.body).toEqual({
        statusCode: 500,
        code: 'INTERNAL',
        message: 'internal error',
        correlationId: a.header,
      });
      expect(JSON.stringify(a.body)).not.toContain(c.internal.dropTable);
    });
  });
}

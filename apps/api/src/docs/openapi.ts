/** The OpenAPI document, built from the controllers and DTO decorators, and Swagger UI. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_VERSION } from '../gin/root.controller';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('iotmon api')
    .setDescription(
      'Device management and reading ingestion on PostgreSQL, plus the Gin-compatible /iot routes of the original Go API. ' +
        'Errors use one envelope (ErrorBodyDto) with a stable code, the field at fault and a correlation id; ' +
        'the /iot routes keep the original body {Status, Type, PodName, NodeName, Message}. ' +
        'Every route but health, metrics and docs needs a role (docs/security.md): sign in at POST /auth/login and send ' +
        'Authorization: Bearer <accessToken>, or send a machine or device key in x-api-key. Reads need viewer, device ' +
        'changes admin; a device key may only write its own readings. The /iot routes are open only with GIN_ROUTES_OPEN.',
    )
    .setVersion(API_VERSION)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'x-api-key' }, 'api-key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('api-key')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
  });
}

const DOCS_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const UI_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iotmon api</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-init.js"></script>
</body></html>`;
const UI_INIT = `window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#swagger-ui', deepLinking: true });`;
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

/**
 * Serves the JSON at /docs-json and Swagger UI at /docs from swagger-ui-dist. Nest's own UI
 * setup needs @fastify/static, whose current major is ESM-only and cannot load under Jest.
 */
export function setupSwagger(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerUiEnabled: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // swagger-ui-dist comes with @nestjs/swagger.
  const dir = dirname(require.resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, Buffer>();
  fastify.get('/docs', (_req, reply) => {
    // Swagger UI styles its elements inline and draws icons from data: URLs; scripts stay 'self'.
    void reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', DOCS_CSP)
      .send(UI_HTML);
  });
  fastify.get('/docs/swagger-ui-init.js', (_req, reply) => {
    void reply.type('application/javascript; charset=utf-8').send(UI_INIT);
  });
  for (const [file, type] of Object.entries(ASSETS)) {
    fastify.get(`/docs/${file}`, (_req, reply) => {
      let body = cache.get(file);
      if (!body) cache.set(file, (body = readFileSync(join(dir, file))));
      void reply.type(type).header('cache-control', 'public, max-age=86400').send(body);
    });
  }
}

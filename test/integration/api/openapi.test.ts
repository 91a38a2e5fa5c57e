import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../shared/limits.ts';
import type { WorkflowEngine } from '../../../server/engine/WorkflowEngine.ts';
import { restRoutes } from '../../../server/api/restRoutes.ts';
import { DOCS_ASSET_PATHS } from '../../../server/api/docs.ts';
import { startServer, type ServerHandle } from '../../helpers/server.ts';
import { call } from './http.ts';

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

describe('OpenAPI document and /docs', () => {
  let server: ServerHandle;
  let doc: OpenApiDoc;
  beforeAll(async () => {
    server = await startServer({ MAX_STEPS: '7' });
    const res = await call<OpenApiDoc>(server.url, '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = res.body;
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('is a valid OpenAPI 3.1 document (checked against the official schema)', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // Every $ref points at a schema that exists.
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) expect(doc.components.schemas).toHaveProperty(ref.slice('"#/components/schemas/'.length, -1));
  });

  it('covers every REST route the server has, and each documented route exists on the server', async () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path] as const));
    // Server → document: every route in the server's table is documented with each of its methods.
    for (const route of restRoutes({} as WorkflowEngine, DEFAULT_LIMITS)) {
      for (const method of Object.keys(route.methods)) {
        const hit = documented.find(([m, p]) => m === method && route.pattern.test(p.replace('{id}', SAMPLE_ID)));
        expect(hit, `${method} ${route.pattern} is not in the OpenAPI document`).toBeDefined();
      }
    }
    for (const path of ['/health']) expect(doc.paths).toHaveProperty(path);
    // Document → server: each documented operation is routed (never 404 "no route", never 405).
    for (const [method, path] of documented) {
      const res = await call(server.url, path.replace('{id}', SAMPLE_ID), { method, json: method === 'POST' ? {} : undefined });
      expect([404, 405].includes(res.status) && (res.body as { error?: { message?: string } }).error?.message?.startsWith('no route'), `${method} ${path}`).toBe(false);
      expect(res.status, `${method} ${path}`).not.toBe(405);
    }
  });

  it('schemas are generated from the shared zod schemas and follow the configured limits', () => {
    const def = doc.components.schemas.WorkflowDefinition as { required: string[]; properties: { steps: { maxItems: number } } };
    expect(def.required).toEqual(expect.arrayContaining(['name', 'steps']));
    // MAX_STEPS=7 on this server.
    expect(def.properties.steps.maxItems).toBe(7);
    const state = doc.components.schemas.WorkflowState as { enum: string[] };
    expect(state.enum).toEqual(['pending', 'running', 'succeeded', 'failed', 'cancelled']);
    expect(doc.components.schemas).toHaveProperty('ErrorBody');
    expect(doc.components.schemas).toHaveProperty('CreateWorkflowResponse');
  });

  it('lists every registered task with its params (engine params included), strict where the server is (issue 11)', async () => {
    type Variant = { title: string; properties: { name: { const: string }; params: { properties?: Record<string, unknown>; additionalProperties?: unknown; allOf?: unknown[] } }; additionalProperties: boolean };
    const def = doc.components.schemas.WorkflowDefinition as { additionalProperties: boolean; properties: { steps: { items: { additionalProperties: boolean; properties: { tasks: { items: { oneOf: Variant[] } } } } } } };
    const variants = def.properties.steps.items.properties.tasks.items.oneOf;
    const registered = (await call<{ name: string }[]>(server.url, '/api/tasks')).body.map((t) => t.name);
    expect(variants.map((v) => v.properties.name.const).sort()).toEqual([...registered].sort());
    const byName = Object.fromEntries(variants.map((v) => [v.properties.name.const, v]));
    expect(Object.keys(byName.sleep.properties.params.properties!).sort()).toEqual(['ms', 'priority', 'retry_count', 'retry_delay', 'timeout']);
    expect(byName.sleep.properties.params.additionalProperties).toBe(false);
    expect(byName.task_a.properties.params.additionalProperties).toBe(false);
    expect(byName.http.properties.params.properties).toHaveProperty('url');
    // `echo` takes any param: its schema says so.
    expect(byName.echo.properties.params.additionalProperties).not.toBe(false);
    // Unknown keys are rejected at every level, and the document says so.
    expect(def.additionalProperties).toBe(false);
    expect(def.properties.steps.items.additionalProperties).toBe(false);
    expect(variants.every((v) => v.additionalProperties === false)).toBe(true);
  });

  it('documents validation errors as 422 with FastAPI\'s detail, next to our error object', () => {
    const create = doc.paths['/api/workflow'].post as { responses: Record<string, unknown> };
    expect(create.responses).toHaveProperty('422');
    expect(create.responses).toHaveProperty('400');
    const body = doc.components.schemas.ErrorBody as { required: string[]; properties: Record<string, unknown> };
    expect(body.required).toEqual(expect.arrayContaining(['error', 'detail']));
  });

  it('/docs is an HTML page that lists every route without any script, and loads the interactive reference from this server', async () => {
    const res = await fetch(`${server.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect(html).toContain(`<code>${path}</code>`);
      for (const method of Object.keys(ops)) expect(html).toContain(`<code>${method.toUpperCase()}</code>`);
    }
    // Nothing from elsewhere: Swagger UI's files come from this server (the pinned npm package).
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).toContain(`src="${DOCS_ASSET_PATHS.script}"`);
    expect(html).toContain('href="/openapi.json"');
    for (const path of Object.values(DOCS_ASSET_PATHS)) {
      const asset = await fetch(`${server.url}${path}`);
      expect(asset.status, path).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
    }
  });
});

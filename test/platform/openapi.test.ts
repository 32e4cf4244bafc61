import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * Routes that are the documentation itself, or the web client's files; and the KCR sandbox's
 * aliases: each route again with a trailing slash, and its catch-all that answers unknown paths
 * in Kontur's error shape.
 */
const UNDOCUMENTED = /^(\/api\/openapi\.json|\/api\/docs.*|\/|\/\*|\/assets\/.*|\/sandbox\/kcr(\/.*)?\/|\/sandbox\/kcr(\/\*)?)$/;

describe('OpenAPI document', () => {
  let t: TestServer;
  let doc: any;
  before(async () => {
    t = await startTestServer();
    doc = (await t.request('GET', '/api/openapi.json')).body;
  });
  after(() => t.close());

  it('has every route with an operationId, a response schema, and a request schema where it takes input', () => {
    const problems: string[] = [];
    const operationIds = new Set<string>();
    for (const route of t.server.routes!) {
      if (UNDOCUMENTED.test(route.url)) continue;
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      if (!operation) {
        problems.push(`${route.method} ${route.url} is not in the document`);
        continue;
      }
      if (!operation.operationId) problems.push(`${route.method} ${route.url} has no operationId`);
      if (operationIds.has(operation.operationId)) problems.push(`operationId ${operation.operationId} is used twice`);
      operationIds.add(operation.operationId);
      const success = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'));
      if (!success) problems.push(`${route.method} ${route.url} documents no success response`);
      else {
        const [status, response] = success as [string, any];
        if (status !== '204' && !response.content) problems.push(`${route.method} ${route.url} has no response schema`);
      }
      if (['POST', 'PUT', 'PATCH'].includes(route.method) && !operation.requestBody && !(operation.parameters ?? []).length) {
        problems.push(`${route.method} ${route.url} documents no request`);
      }
      if (route.access !== 'public' && !operation.responses?.['401']) problems.push(`${route.method} ${route.url} does not document 401`);
    }
    assert.deepEqual(problems, []);
  });

  it('describes errors as problem details', () => {
    const schema = doc.components.schemas.Problem;
    assert.ok(schema, 'Problem schema is in components');
    assert.deepEqual(Object.keys(schema.properties).sort(), ['detail', 'errors', 'instance', 'requestId', 'status', 'title', 'type']);
  });
});

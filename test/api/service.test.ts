import { startSystem, type System } from '../support/system';
import { OFFICER } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

describe('service endpoints', () => {
  it('healthz and readyz answer when Postgres and Temporal do', async () => {
    expect((await sys.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await sys.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
  });

  it('serves an OpenAPI document generated from the route schemas, and Swagger UI', async () => {
    const doc = (await sys.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/cases',
        '/v1/cases/{id}',
        '/v1/cases/{id}/actions/serve_notice',
        '/v1/cases/{id}/actions/decide',
        '/v1/audit',
        '/v1/audit/verify',
      ]),
    );
    const create = doc.paths['/v1/cases'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(create)).toContain('proposedMeasures');
    // Each action is its own operation with its body and an example; errors are declared as problem+json.
    const serve = doc.paths['/v1/cases/{id}/actions/serve_notice'].post;
    expect(serve.requestBody.content['application/json'].schema).toMatchObject({
      required: ['servedAt', 'method'],
      example: { method: 'in_person' },
    });
    expect(serve.summary).toContain('送达拟列入告知书');
    for (const code of ['400', '401', '403', '404', '409', '422', '503']) {
      expect(serve.responses[code].content).toEqual({
        'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
      });
    }
    expect(doc.paths['/v1/cases/{id}/actions/{action}']).toBeUndefined();
    expect(doc.paths['/v1/public/listings'].get.responses['429']).toBeDefined();
    expect(doc.paths['/healthz'].get.responses['503']).toBeUndefined();
    expect(doc.paths['/v1/cases/{id}'].get.parameters[0].schema.pattern).toBeDefined();
    // A subject's id in a path is trimmed: the document says it must hold more than white space, as the server judges.
    for (const path of [
      '/v1/subjects/{subjectId}/records',
      '/v1/subjects/{subjectId}/records/{recordId}/history',
      '/v1/subjects/{subjectId}/repair-eligibility',
    ]) {
      const param = doc.paths[path].get.parameters.find((x: { name: string }) => x.name === 'subjectId');
      expect(param.schema.pattern).toBe('\\S');
    }
    const ui = await sys.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('answers an unknown route with a 404 problem and echoes a request id', async () => {
    const res = await sys.app.inject({
      method: 'GET',
      url: '/v1/nothing-here',
      headers: { 'x-request-id': 'req-abc' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('req-abc');
    expect(res.json()).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('answers a method a path does not take with a 405 naming the ones it does', async () => {
    const trace = await sys.app.inject({ method: 'TRACE' as 'GET', url: '/v1/cases' });
    expect(trace.statusCode).toBe(405);
    expect(trace.headers.allow).toBe('GET, HEAD, POST');
    expect(trace.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await sys.app.inject({ method: 'DELETE', url: '/v1/cases/LST-20260101-0000000000' })).statusCode).toBe(405);
    expect((await sys.app.inject({ method: 'GET', url: '/v1/no-such-path' })).statusCode).toBe(404);
  });

  it('lists departments and the measure catalogue', async () => {
    const headers = { authorization: `Bearer ${sys.token(OFFICER)}` };
    const depts = (await sys.app.inject({ method: 'GET', url: '/v1/departments', headers })).json().items;
    expect(depts).toEqual(expect.arrayContaining([{ code: 'ZY-DRC', name: '张掖市发展和改革委员会', kind: 'credit_agency' }]));
    expect(depts.filter((d: { kind: string }) => d.kind === 'credit_agency')).toHaveLength(1);
    const measures = (await sys.app.inject({ method: 'GET', url: '/v1/catalogue/measures', headers })).json().items;
    expect(measures.length).toBeGreaterThan(10);
    expect(measures[0]).toEqual(
      expect.objectContaining({
        code: expect.any(String),
        level: expect.stringMatching(/^(general|serious)$/),
        basis: expect.any(String),
      }),
    );
  });
});

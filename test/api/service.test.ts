import { startSystem, type System } from '../support/system';
import { OFFICER } from '../support/fixtures';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
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
      expect.arrayContaining(['/v1/cases', '/v1/cases/{id}', '/v1/cases/{id}/actions/{action}', '/v1/audit', '/v1/audit/verify']),
    );
    const create = doc.paths['/v1/cases'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(create)).toContain('proposedMeasures');
    const ui = await sys.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('answers an unknown route with a 404 problem and echoes a request id', async () => {
    const res = await sys.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: { 'x-request-id': 'req-abc' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('req-abc');
    expect(res.json()).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('lists departments and the measure catalogue', async () => {
    const headers = { authorization: `Bearer ${sys.token(OFFICER)}` };
    const depts = (await sys.app.inject({ method: 'GET', url: '/v1/departments', headers })).json().items;
    expect(depts).toEqual(expect.arrayContaining([{ code: 'ZY-DRC', name: '张掖市发展和改革委员会', kind: 'credit_agency' }]));
    expect(depts.filter((d: { kind: string }) => d.kind === 'credit_agency')).toHaveLength(1);
    const measures = (await sys.app.inject({ method: 'GET', url: '/v1/catalogue/measures', headers })).json().items;
    expect(measures.length).toBeGreaterThan(10);
    expect(measures[0]).toEqual(expect.objectContaining({ code: expect.any(String), level: expect.stringMatching(/^(general|serious)$/), basis: expect.any(String) }));
  });
});

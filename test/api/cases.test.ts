import { until } from '../support/until';
import { startSystem, type System } from '../support/system';
import { listingBody, OFFICER, OTHER_OFFICER, SUPERVISOR, randomResidentId, residentIdThatIsNoUscc } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

const auth = (claims: Parameters<System['token']>[0]) => ({ authorization: `Bearer ${sys.token(claims)}` });

const waitForRecorded = (id: string) => until(`case ${id} recorded`, () => sys.db.case.findUnique({ where: { id } }));

/** What the database holds of one subject: its cases, their timelines, and the audit entries of either. */
async function counts(subjectId: string) {
  const ids = (await sys.db.case.findMany({ where: { subjectId }, select: { id: true } })).map((c) => c.id);
  const [audit, timeline] = await Promise.all([
    sys.db.auditEntry.count({ where: { OR: [{ subjectId }, { caseId: { in: ids } }], NOT: { action: 'case.read' } } }),
    sys.db.timelineEntry.count({ where: { caseId: { in: ids } } }),
  ]);
  return { cases: ids.length, audit, timeline };
}

describe('opening a listing case', () => {
  it('starts the workflow, records the case with timeline and audit entry, and reads it back', async () => {
    const body = listingBody();
    const res = await sys.app.inject({ method: 'POST', url: '/v1/cases', headers: auth(OFFICER), payload: body });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      procedure: 'listing',
      state: 'opened',
      closed: false,
      subject: body.subject,
      department: 'ZY-SAMR',
    });
    expect(created.id).toMatch(/^LST-\d{8}-[0-9A-Z]{10}$/);
    expect(res.headers.location).toBe(`/v1/cases/${created.id}`);

    const description = await sys.temporal.workflow.getHandle(created.id).describe();
    expect(description.type).toBe('listingWorkflow');
    expect(description.status.name).toBe('RUNNING');

    await waitForRecorded(created.id);
    const read = await sys.app.inject({ method: 'GET', url: `/v1/cases/${created.id}`, headers: auth(OFFICER) });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: created.id, state: 'opened', details: { category: 'health_safety' } });
    expect(read.json().timeline).toEqual([expect.objectContaining({ action: 'open', actor: OFFICER.sub, role: 'officer' })]);

    const entries = await sys.db.auditEntry.findMany({ where: { caseId: created.id }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => e.action)).toEqual(['case.open', 'case.read']);

    const list = await sys.app.inject({
      method: 'GET',
      url: `/v1/cases?procedure=listing&state=opened&subjectId=${body.subject.id}`,
      headers: auth(SUPERVISOR),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([created.id]);
  });

  it('creates nothing new for a repeated POST with the same Idempotency-Key, and refuses the key with another body', async () => {
    const body = listingBody();
    const headers = { ...auth(OFFICER), 'idempotency-key': `key-${Date.now()}` };
    const first = await sys.app.inject({ method: 'POST', url: '/v1/cases', headers, payload: body });
    expect(first.statusCode).toBe(201);
    await waitForRecorded(first.json().id);
    const before = await counts(body.subject.id);
    expect(before.cases).toBe(1);

    const again = await sys.app.inject({ method: 'POST', url: '/v1/cases', headers, payload: body });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');

    const otherBody = listingBody();
    const other = await sys.app.inject({ method: 'POST', url: '/v1/cases', headers, payload: otherBody });
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await counts(body.subject.id)).toEqual(before);
    expect(await counts(otherBody.subject.id)).toEqual({ cases: 0, audit: 0, timeline: 0 });
  });

  it('pages through cases with an opaque cursor', async () => {
    const subject = listingBody().subject;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await sys.app.inject({
        method: 'POST',
        url: '/v1/cases',
        headers: auth(OFFICER),
        payload: listingBody({ subject }),
      });
      ids.push(res.json().id);
    }
    await Promise.all(ids.map((id) => waitForRecorded(id)));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/cases?subjectId=${subject.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await sys.app.inject({ method: 'GET', url, headers: auth(OFFICER) });
      expect(page.statusCode).toBe(200);
      seen.push(...page.json().items.map((c: { id: string }) => c.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());

    const bad = await sys.app.inject({ method: 'GET', url: '/v1/cases?cursor=not-ours', headers: auth(OFFICER) });
    // A cursor of the right form that this API never issued: well-formed but unusable.
    expect(bad.statusCode).toBe(422);
  });
});

describe('refusals change nothing', () => {
  const refusals: [string, () => Record<string, unknown>, number, string][] = [
    [
      'a bad checksum of the unified social credit code',
      () => listingBody({ subject: { kind: 'legal_person', id: '91350100M000100Y44', name: 'X' } }),
      422,
      'body.subject.id',
    ],
    [
      'a resident ID number for a company',
      () => listingBody({ subject: { kind: 'legal_person', id: residentIdThatIsNoUscc(), name: 'X' } }),
      422,
      'body.subject.id',
    ],
    [
      'a bad check digit of a responsible person',
      () => listingBody({ responsiblePersons: [{ role: 'principal', name: '李某', idNumber: '110105194912310021' }] }),
      422,
      'body.responsiblePersons.0.idNumber',
    ],
    ['an organisation without responsible persons', () => listingBody({ responsiblePersons: [] }), 422, 'body.responsiblePersons'],
    ['a measure outside the catalogue', () => listingBody({ proposedMeasures: ['N-01', 'X-99'] }), 422, 'body.proposedMeasures.1'],
    [
      'a period longer than a measure allows',
      () => listingBody({ proposedMeasures: ['N-04'], listingPeriod: { years: 4 } }),
      422,
      'body.listingPeriod',
    ],
    [
      'a basis document from the future',
      () => listingBody({ basisDocuments: [{ title: '决定书', number: '1', issuedOn: '2999-01-01' }] }),
      422,
      'body.basisDocuments.0.issuedOn',
    ],
    [
      'a date that does not exist',
      () => listingBody({ basisDocuments: [{ title: '决定书', number: '1', issuedOn: '2026-02-30' }] }),
      400,
      'body.basisDocuments.0.issuedOn',
    ],
    ['an unknown category', () => listingBody({ category: 'gossip' }), 400, 'body.category'],
    ['no basis document', () => listingBody({ basisDocuments: [] }), 400, 'body.basisDocuments'],
  ];

  it.each(refusals)('refuses %s', async (_name, body, status, path) => {
    const payload = body();
    const subjectId = (payload as { subject: { id: string } }).subject.id;
    const before = await counts(subjectId);
    const res = await sys.app.inject({ method: 'POST', url: '/v1/cases', headers: auth(OFFICER), payload });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json();
    expect(problem).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await counts(subjectId)).toEqual(before);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await sys.app.inject({
      method: 'POST',
      url: '/v1/cases',
      headers: { ...auth(OFFICER), 'content-type': 'application/json' },
      payload: '{"procedure": "listing",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('authentication and roles', () => {
  it('401 for a token that expired after it was taken (a token is checked once, and known only until it expires)', async () => {
    const { mintToken } = await import('../../api/dev-tokens');
    const { TEST_JWT_SECRET } = await import('../support/system');
    const token = mintToken(OFFICER, TEST_JWT_SECRET, 2);
    const list = () => sys.app.inject({ method: 'GET', url: '/v1/cases', headers: { authorization: `Bearer ${token}` } });
    expect((await list()).statusCode).toBe(200);
    expect((await list()).statusCode).toBe(200);
    // Whole seconds: past the token's exp however the second it was minted in was split.
    await new Promise((r) => setTimeout(r, 3_000));
    const late = await list();
    expect(late.statusCode).toBe(401);
    expect(late.json().detail).toMatch(/expired/);
  }, 20_000);

  it('401 without a token, with a bad one, with an expired one', async () => {
    const noToken = await sys.app.inject({ method: 'GET', url: '/v1/cases' });
    expect(noToken.statusCode).toBe(401);
    const forged = await sys.app.inject({
      method: 'GET',
      url: '/v1/cases',
      headers: { authorization: `Bearer ${sys.token(OFFICER)}x` },
    });
    expect(forged.statusCode).toBe(401);
    const { mintToken } = await import('../../api/dev-tokens');
    const { TEST_JWT_SECRET } = await import('../support/system');
    const expired = mintToken(OFFICER, TEST_JWT_SECRET, -10);
    const res = await sys.app.inject({
      method: 'GET',
      url: '/v1/cases',
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/expired/);
    const unsigned =
      ['{"alg":"none"}', JSON.stringify({ ...OFFICER, exp: 9999999999 })].map((s) => Buffer.from(s).toString('base64url')).join('.') + '.';
    const none = await sys.app.inject({
      method: 'GET',
      url: '/v1/cases',
      headers: { authorization: `Bearer ${unsigned}` },
    });
    expect(none.statusCode).toBe(401);
  });

  it('403 when the role may not act', async () => {
    const subject = { role: 'subject', sub: 'citizen-1', subjectId: randomResidentId() } as const;
    const payload = listingBody();
    const before = await counts(payload.subject.id);
    const res = await sys.app.inject({
      method: 'POST',
      url: '/v1/cases',
      headers: auth(subject),
      payload,
    });
    expect(res.statusCode).toBe(403);
    const auditRes = await sys.app.inject({ method: 'GET', url: '/v1/audit', headers: auth(OFFICER) });
    expect(auditRes.statusCode).toBe(403);
    expect(await counts(payload.subject.id)).toEqual(before);
  });

  it('hides a case from those who may not see it: 404, exactly as for an unknown id', async () => {
    const body = listingBody();
    const created = (await sys.app.inject({ method: 'POST', url: '/v1/cases', headers: auth(OFFICER), payload: body })).json();
    await waitForRecorded(created.id);

    const otherDept = await sys.app.inject({
      method: 'GET',
      url: `/v1/cases/${created.id}`,
      headers: auth(OTHER_OFFICER),
    });
    const unknown = await sys.app.inject({
      method: 'GET',
      url: '/v1/cases/LST-20260101-0000000000',
      headers: auth(OTHER_OFFICER),
    });
    expect(otherDept.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(otherDept.json().detail).toBe(`no case ${created.id}`);
    expect(Object.keys(otherDept.json()).sort()).toEqual(Object.keys(unknown.json()).sort());

    const stranger = { role: 'subject', sub: 'citizen-2', subjectId: randomResidentId() } as const;
    expect((await sys.app.inject({ method: 'GET', url: `/v1/cases/${created.id}`, headers: auth(stranger) })).statusCode).toBe(404);
    const owner = { role: 'subject', sub: 'company-1', subjectId: body.subject.id } as const;
    expect((await sys.app.inject({ method: 'GET', url: `/v1/cases/${created.id}`, headers: auth(owner) })).statusCode).toBe(200);

    const action = await sys.app.inject({
      method: 'POST',
      url: `/v1/cases/${created.id}/actions/serve_notice`,
      headers: auth(OTHER_OFFICER),
      payload: { servedAt: new Date().toISOString(), method: 'in_person' },
    });
    expect(action.statusCode).toBe(404);

    const listed = await sys.app.inject({
      method: 'GET',
      url: `/v1/cases?subjectId=${body.subject.id}`,
      headers: auth(OTHER_OFFICER),
    });
    expect(listed.json().items).toEqual([]);
  });
});

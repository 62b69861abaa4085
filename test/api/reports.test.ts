import { createHash } from 'node:crypto';
import { until } from '../support/until';
import { apiAs, startSystem, subjectOf, type Claims, type System } from '../support/system';
import { AGENCY_OFFICER, OFFICER, SUPERVISOR, listingBody, randomResidentId, randomUscc, recordBody } from '../support/fixtures';
import { shanghaiDate } from '../../api/case-ids';
import { maskResidentId } from '../../domain/identity';
import { OBJECTION_MARK } from '../../domain/documents';
import { decisionServedDaysAgo } from '../support/test-calendar';
import { ifStarted } from '../support/teardown';

/**
 * Credit reports (Art 50) through the API against the dev server and Postgres: what is disclosed today, two
 * free per subject per calendar year (Asia/Shanghai), and never more, however many requests arrive at once.
 * Every test uses subjects of its own.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});
const post = (url: string, c: Claims, payload?: unknown, key?: string) => apiAs(sys).post(url, c, payload, key);
const get = (url: string, c: Claims) => apiAs(sys).get(url, c);
const requestReport = (id: string, c: Claims = subjectOf(id), key?: string) => post(`/v1/subjects/${id}/reports`, c, undefined, key);
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const year = () => Number(shanghaiDate(new Date()).slice(0, 4));

async function supply(overrides: Record<string, unknown> = {}) {
  const res = await post('/v1/records', OFFICER, recordBody(overrides));
  expect(res.statusCode).toBe(201);
  return res.json();
}

type ReportRecord = { id: string; underObjection: boolean };
const idsIn = (fields: { records: Record<string, ReportRecord[]> }) =>
  Object.values(fields.records)
    .flat()
    .map((r) => r.id)
    .sort();

describe('credit reports', () => {
  it('disclose what is published today, marked records and listings with their measures; two free a year, the third refused saying when the quota resets', async () => {
    const company = randomUscc();
    const subject = { kind: 'legal_person', id: company, name: '张掖市某某报告有限公司' };
    const self = subjectOf(company);
    const published = await supply({ subject });
    const basic = await supply({
      subject,
      category: 'basic',
      type: 'registration',
      content: '企业登记信息。',
      severity: undefined,
    });
    const marked = await supply({ subject, content: '因虚假宣传被处罚款一万元。' });
    const ended = await supply({ subject, severity: 'minor', decidedOn: '2025-01-10' });
    const deleted = await supply({ subject, content: '已删除的信息。' });
    // Awaiting its department's review (Art 36): not disclosed, so not reported.
    const pending = await supply({ subject, content: '待审核的信息。', reviewedBy: undefined });
    await sys.db.creditRecord.update({
      where: { id: deleted.id },
      data: { status: 'deleted', endedAt: new Date(), endReason: 'test' },
    });
    const objection = await post('/v1/cases', self, {
      procedure: 'objection',
      recordId: marked.id,
      grounds: 'error_or_omission',
      statement: '罚款金额记载错误。',
      evidence: [{ title: '缴款凭证', description: '五千元' }],
    });
    expect(objection.statusCode).toBe(201);

    // A listing decided before go-live, imported as listed from its original dates: it brings its own record.
    const { procedure: _p, proposedMeasures: _m, ...rest } = listingBody({ subject });
    const decision = decisionServedDaysAgo(400);
    const imported = await post('/v1/imports/listings', SUPERVISOR, {
      ...rest,
      measures: ['N-01'],
      department: 'ZY-SAMR',
      decisionDocument: { number: '张市监认〔2025〕9号', issuedOn: decision.issuedOn },
      decisionServedAt: decision.decisionServedAt,
    });
    expect(imported.statusCode).toBe(201);
    const listingId = imported.json().id as string;
    const listingRecord = await until('the listing record', () =>
      sys.db.creditRecord.findFirst({ where: { listingCaseId: listingId, subjectId: company } }),
    );
    // Written by the listing procedure itself, not supplied by an officer: released, no review (Art 36 concerns what officers supply).
    expect(listingRecord).toMatchObject({ status: 'active', type: 'serious_dishonesty_listing' });
    await until('the published listing', () => sys.db.publicListing.findFirst({ where: { caseId: listingId, status: 'listed' } }));

    const first = await requestReport(company);
    expect(first.statusCode).toBe(201);
    const r1 = first.json();
    const y = year();
    expect(r1).toMatchObject({
      id: expect.stringMatching(/^RPT-\d{8}-[0-9A-Z]{10}$/),
      subjectId: company,
      year: y,
      sequence: 1,
      free: true,
      quota: { used: 1, of: 2, resetsOn: `${y + 1}-01-01` },
      asOf: shanghaiDate(new Date()),
      document: { kind: 'credit_report', title: '信用报告' },
    });
    expect(first.headers.location).toBe(`/v1/subjects/${company}/reports/${r1.id}`);
    expect(r1.sha256).toBe(sha256(r1.document.html));

    const fields = r1.document.fields;
    expect(fields).toMatchObject({
      reportNumber: r1.id,
      freeOfCharge: true,
      quota: { used: 1, of: 2, year: y },
      department: { code: 'ZY-DRC' },
    });
    expect(idsIn(fields)).toEqual([published.id, basic.id, marked.id, listingRecord.id].sort());
    expect(idsIn(fields)).not.toContain(ended.id);
    expect(idsIn(fields)).not.toContain(deleted.id);
    expect(idsIn(fields)).not.toContain(pending.id);
    expect(r1.document.html).not.toContain('待审核的信息。');
    const dishonesty: ReportRecord[] = fields.records.dishonesty;
    expect(dishonesty.find((r) => r.id === marked.id)).toMatchObject({
      underObjection: true,
      supplyingDepartment: { code: 'ZY-SAMR', name: expect.any(String) },
    });
    expect(dishonesty.find((r) => r.id === published.id)).toMatchObject({ underObjection: false, severity: 'general' });
    expect(fields.listings).toEqual([
      expect.objectContaining({
        caseId: listingId,
        listedFrom: decision.listedFrom,
        listedUntil: decision.listedUntil,
        measures: [{ code: 'N-01', title: expect.any(String) }],
        department: expect.objectContaining({ code: 'ZY-SAMR' }),
      }),
    ]);
    expect(r1.document.html).toContain(OBJECTION_MARK);
    expect(r1.document.html).toContain(company); // an organisation's code is public
    expect(r1.document.html).toContain(listingId);
    expect(r1.document.html).not.toContain(ended.id);

    // Who disclosed each record, and in which report, shows in its history; the audit log has the report.
    const history = (await get(`/v1/subjects/${company}/records/${marked.id}/history`, self)).json().items;
    expect(history.map((e: { action: string }) => e.action)).toEqual(['supplied', 'released', 'objection_marked', 'disclosed']);
    expect(history[3]).toMatchObject({ actor: self.sub, department: 'ZY-DRC', detail: { reportId: r1.id } });
    const endedHistory = (await get(`/v1/subjects/${company}/records/${ended.id}/history`, self)).json().items;
    expect(endedHistory.map((e: { action: string }) => e.action)).toEqual(['supplied', 'released', 'publicity_ended']);
    const created = await sys.db.auditEntry.findMany({ where: { target: `report:${r1.id}`, action: 'report.create' } });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      subjectId: company,
      actor: self.sub,
      detail: expect.objectContaining({ year: y, sequence: 1 }),
    });
    expect((created[0]!.detail as { records: string[] }).records.sort()).toEqual(idsIn(fields));

    const second = await requestReport(company);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({
      sequence: 2,
      quota: { used: 2, of: 2 },
      document: { fields: { quota: { used: 2 } } },
    });

    const third = await requestReport(company);
    expect(third.statusCode).toBe(409);
    expect(third.headers['content-type']).toMatch(/problem\+json/);
    expect(third.json()).toMatchObject({ status: 409, quota: 2, used: 2, resetsOn: `${y + 1}-01-01` });
    expect(third.json().detail).toMatch(
      new RegExp(`quota of 2 free credit reports for ${y} is used.*resets on ${y + 1}-01-01 \\(Asia/Shanghai\\)`),
    );
    expect(await sys.db.creditReport.count({ where: { subjectId: company } })).toBe(2);
    expect(await sys.db.auditEntry.count({ where: { subjectId: company, action: 'report.create' } })).toBe(2);

    const list = (await get(`/v1/subjects/${company}/reports`, self)).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([second.json().id, r1.id]);
    expect(list.items[0]).not.toHaveProperty('document');
    expect(list.items[1]).toMatchObject({
      sequence: 1,
      sha256: r1.sha256,
      recordIds: expect.arrayContaining([marked.id]),
    });
    expect(list.quota).toEqual({ year: y, used: 2, of: 2, remaining: 0, resetsOn: `${y + 1}-01-01` });
    const page1 = (await get(`/v1/subjects/${company}/reports?limit=1`, self)).json();
    expect(page1.items.map((i: { id: string }) => i.id)).toEqual([second.json().id]);
    const page2 = (await get(`/v1/subjects/${company}/reports?limit=1&cursor=${page1.nextCursor}`, self)).json();
    expect(page2).toMatchObject({ items: [{ id: r1.id }], nextCursor: null });

    const stored = await get(`/v1/subjects/${company}/reports/${r1.id}`, self);
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toEqual(r1);
    expect(await sys.db.auditEntry.count({ where: { target: `report:${r1.id}`, action: 'report.read' } })).toBe(1);
  });

  it('mask a natural person’s ID number as printed, and a retry with the same Idempotency-Key returns the same report without using the quota', async () => {
    const person = randomResidentId();
    const self = subjectOf(person);
    const record = await supply({ subject: { kind: 'natural_person', id: person, name: '赵某' } });

    const first = await requestReport(person, self, 'report-once');
    expect(first.statusCode).toBe(201);
    const again = await requestReport(person, self, 'report-once');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await sys.db.creditReport.count({ where: { subjectId: person } })).toBe(1);
    expect(await sys.db.recordEvent.count({ where: { recordId: record.id, action: 'disclosed' } })).toBe(1);

    const r = first.json();
    expect(r.subjectId).toBe(person);
    expect(r.document.fields.subject).toEqual(
      expect.objectContaining({ kind: 'natural_person', name: '赵某', id: maskResidentId(person) }),
    );
    expect(r.document.html).toContain(maskResidentId(person));
    expect(r.document.html).not.toContain(person);
    expect(r.document.fields.notes.join('')).toContain('公民身份号码已作部分隐藏处理');

    const second = await requestReport(person, self);
    expect(second.json()).toMatchObject({ sequence: 2, quota: { used: 2 } });
    // A key already answered still replays, even with the quota used up; a new request does not.
    expect((await requestReport(person, self, 'report-once')).json().id).toBe(r.id);
    expect((await requestReport(person, self, 'report-thrice')).statusCode).toBe(409);
  });

  it('are the subject’s own: 403 for officials, 404 for another subject, 401 without a token; a refusal changes nothing', async () => {
    const company = randomUscc();
    const self = subjectOf(company);
    await supply({ subject: { kind: 'legal_person', id: company, name: '张掖市某某拒绝有限公司' } });
    const own = (await requestReport(company)).json();

    for (const official of [OFFICER, AGENCY_OFFICER, SUPERVISOR]) {
      const res = await requestReport(company, official);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().detail).toMatch(/subject themselves \(Art 50\)/);
      expect((await get(`/v1/subjects/${company}/reports`, official)).statusCode).toBe(403);
      expect((await get(`/v1/subjects/${company}/reports/${own.id}`, official)).statusCode).toBe(403);
    }
    const other = subjectOf(randomUscc());
    expect((await requestReport(company, other)).statusCode).toBe(404);
    expect((await get(`/v1/subjects/${company}/reports`, other)).statusCode).toBe(404);
    expect((await get(`/v1/subjects/${company}/reports/${own.id}`, other)).statusCode).toBe(404);
    // Their own subject id does not open someone else's report either.
    expect((await get(`/v1/subjects/${other.subjectId}/reports/${own.id}`, other)).statusCode).toBe(404);
    expect((await get(`/v1/subjects/${company}/reports/RPT-20260101-0000000000`, self)).statusCode).toBe(404);
    expect((await get(`/v1/subjects/${company}/reports/nope`, self)).statusCode).toBe(400);
    expect((await sys.app.inject({ method: 'POST', url: `/v1/subjects/${company}/reports` })).statusCode).toBe(401);

    expect(await sys.db.creditReport.count({ where: { subjectId: company } })).toBe(1);
    expect(await sys.db.creditReport.count({ where: { subjectId: other.subjectId } })).toBe(0);
    expect(await sys.db.auditEntry.count({ where: { subjectId: company, action: 'report.create' } })).toBe(1);
  });

  it('never exceed the quota: twelve requests at once for one subject give exactly two reports', async () => {
    const company = randomUscc();
    const self = subjectOf(company);
    await supply({ subject: { kind: 'legal_person', id: company, name: '张掖市某某并发有限公司' } });

    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => requestReport(company, self, i % 2 === 0 ? `burst-${i}` : undefined)),
    );
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 201, ...Array(10).fill(409)]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json()).toMatchObject({ quota: 2, used: 2 });
    const rows = await sys.db.creditReport.findMany({ where: { subjectId: company }, orderBy: { sequence: 'asc' } });
    expect(rows.map((r) => r.sequence)).toEqual([1, 2]);
    expect(
      results
        .filter((x) => x.statusCode === 201)
        .map((x) => x.json().id)
        .sort(),
    ).toEqual(rows.map((r) => r.id).sort());
    expect(await sys.db.auditEntry.count({ where: { subjectId: company, action: 'report.create' } })).toBe(2);
  });
});

describe('credit_reports table', () => {
  it('is append-only: UPDATE and DELETE are refused', async () => {
    const company = randomUscc();
    await supply({ subject: { kind: 'legal_person', id: company, name: '张掖市某某留存有限公司' } });
    const id = (await requestReport(company)).json().id as string;
    await expect(sys.db.$executeRaw`UPDATE credit_reports SET html = '' WHERE id = ${id}`).rejects.toThrow(/append-only/);
    await expect(sys.db.$executeRaw`DELETE FROM credit_reports WHERE id = ${id}`).rejects.toThrow(/append-only/);
    expect(await sys.db.creditReport.count({ where: { id } })).toBe(1);
  });
});

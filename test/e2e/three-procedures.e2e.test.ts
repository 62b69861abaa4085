import assert from 'node:assert';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app';
import { mintToken } from '../../api/dev-tokens';
import { getCaseQuery } from '../../workflows/common/definitions';
import type { CaseView } from '../../workflows/common/case-types';
import { AGENCY_OFFICER, OFFICER, SUPERVISOR, listingBody, randomUscc } from '../support/fixtures';
import { DAY, useTimeSkipping } from '../support/time-skipping';

/**
 * One company through all three procedures, through the API, on Temporal's time-skipping server with the
 * real worker and Postgres: it is listed, objects to a wrong penalty record (corrected), repairs the listing
 * once it has been listed for the minimum time, and its public listing and credit reports follow each step.
 * The API runs on the test server's clock, so it and the workflows agree on what day it is.
 */
const ts = useTimeSkipping({ historyName: 'e2e', maxHistoryEvents: 400 });
const SECRET = 'e2e-secret-e2e-secret-e2e-secret-0123456789';
type Claims = Parameters<typeof mintToken>[0];

it('lists a company, corrects a wrong record on objection, repairs the listing after a year, and its public entry and reports follow', async () => {
  await ts.withWorker(async (_start, taskQueue) => {
    let serverNow = await ts.now();
    const tick = async () => (serverNow = await ts.now());
    const app: FastifyInstance = await buildApp(
      { db: ts.db, temporal: ts.env.client, taskQueue, jwtSecret: SECRET, clock: () => new Date(serverNow) },
      pino({ level: 'silent' }),
    );
    await app.ready();
    const auth = (c: Claims) => ({ authorization: `Bearer ${mintToken(c, SECRET)}` });
    const call = async (method: 'GET' | 'POST', url: string, c: Claims | null, payload?: unknown) => {
      await tick();
      const res = await app.inject({
        method,
        url,
        headers: c ? auth(c) : {},
        ...(payload ? { payload } : {}),
      });
      return { status: res.statusCode, body: res.json() };
    };
    const ok = async (method: 'GET' | 'POST', url: string, c: Claims | null, payload?: unknown) => {
      const status = method === 'POST' ? [200, 201] : [200];
      const r = await call(method, url, c, payload);
      if (!status.includes(r.status)) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const handle = (id: string) => ts.env.client.workflow.getHandle(id);
    const iso = () => new Date(serverNow).toISOString();

    try {
      const body = listingBody({ subject: { kind: 'legal_person', id: randomUscc(), name: '张掖市某某乳业有限公司' } });
      const companyId = body.subject.id;
      const company: Claims = { role: 'subject', sub: 'company-user', subjectId: companyId };
      const publicEntry = async () =>
        (await ok('GET', `/v1/public/listings?q=${encodeURIComponent('某某乳业')}`, null)).items.filter(
          (i: { subject: { id: string } }) => i.subject.id === companyId,
        );

      // 1. Listed: notice, unused statement window, four-eyes decision, service.
      const listing = (await ok('POST', '/v1/cases', OFFICER, body)) as CaseView;
      const served = (await ok('POST', `/v1/cases/${listing.id}/actions/serve_notice`, OFFICER, {
        servedAt: iso(),
        method: 'in_person',
      })) as CaseView;
      const window = served.deadlines.find((d) => d.kind === 'statement_window')!;
      await ts.passDue(handle(listing.id), window.dueAt, (v) => v.state === 'under_review');
      await ok('POST', `/v1/cases/${listing.id}/actions/propose_decision`, OFFICER, {
        outcome: 'list',
        reasons: '情节严重',
      });
      await ok('POST', `/v1/cases/${listing.id}/actions/approve_decision`, SUPERVISOR, { comment: '同意' });
      const listed = (await ok('POST', `/v1/cases/${listing.id}/actions/serve_decision`, OFFICER, {
        servedAt: iso(),
        method: 'in_person',
      })) as CaseView;
      expect(listed.state).toBe('listed');
      await ts.settled(listing.id, 'listed');
      expect(await publicEntry()).toHaveLength(1);

      // 2. A wrong penalty record, objected to and corrected by the agency; the report shows the mark, then the correction.
      const wrong = await ok('POST', '/v1/records', OFFICER, {
        subject: body.subject,
        category: 'dishonesty',
        type: 'administrative_penalty',
        content: '因虚假宣传被处罚款二十万元。',
        documentNumber: '张市监罚〔2026〕33号',
        decidedOn: new Date(serverNow + 8 * 3_600_000).toISOString().slice(0, 10),
        severity: 'serious',
        issuedBy: '张掖市市场监督管理局',
        penalty: { procedure: 'general', minor: false, remedied: false },
        reviewedBy: 'officer-samr-2',
      });
      const objection = (await ok('POST', '/v1/cases', company, {
        procedure: 'objection',
        recordId: wrong.id,
        grounds: 'error_or_omission',
        statement: '罚款金额应为二万元',
        evidence: [{ title: '处罚决定书', description: '载明二万元' }],
      })) as CaseView;
      await ts.settled(objection.id, 'submitted');
      const first = await ok('POST', `/v1/subjects/${companyId}/reports`, company);
      expect(first.document.html).toContain('该信息正在异议处理中');
      const decisionNumber = (listed as { details: { decision?: { number?: string } } }).details.decision?.number;
      expect(decisionNumber).toMatch(/\S/);
      expect(first.document.html).toContain(decisionNumber);
      await ok('POST', `/v1/cases/${objection.id}/actions/accept`, AGENCY_OFFICER, {});
      await ok('POST', `/v1/cases/${objection.id}/actions/decide`, AGENCY_OFFICER, {
        outcome: 'correct',
        reasons: '金额记载错误',
        correctedContent: '因虚假宣传被处罚款二万元。',
      });
      await ts.completed(handle(objection.id));
      await ts.settled(objection.id, 'decided');
      // The correction is disclosed once a second officer of the agency releases it (Art 36).
      await ok('POST', `/v1/records/${wrong.id}/release`, { role: 'officer', sub: 'officer-drc-2', dept: 'ZY-DRC' }, undefined);
      const second = await ok('POST', `/v1/subjects/${companyId}/reports`, company);
      expect(second.document.html).toContain('因虚假宣传被处罚款二万元。');
      expect(second.document.html).not.toContain('该信息正在异议处理中');
      expect((await call('POST', `/v1/subjects/${companyId}/reports`, company)).status).toBe(409);

      // 3. Too early to repair: declined at once with the date from which it may be asked.
      const early = (await ok('POST', '/v1/cases', company, {
        procedure: 'repair',
        target: { listingCaseId: listing.id },
        statement: '已整改',
        evidence: [{ title: '整改报告', description: '已完成' }],
        commitment: { text: '守法诚信经营', signedOn: iso().slice(0, 10) },
      })) as CaseView;
      await ts.completed(handle(early.id));
      const declined = await handle(early.id).query(getCaseQuery);
      expect(declined).toMatchObject({ state: 'declined', details: { eligibility: { eligible: false } } });
      await ts.settled(early.id, 'declined');

      // 4. A year on the list (the remedy windows lapse on the way), then the repair is approved and the listing ends.
      const term = listed.deadlines;
      for (const kind of ['reconsideration_window', 'litigation_window']) {
        const d = term.find((x) => x.kind === kind)!;
        await ts.passDue(handle(listing.id), d.dueAt, (v) => v.deadlines.find((x) => x.kind === kind)?.status === 'lapsed');
      }
      assert(declined.procedure === 'repair');
      const earliest = declined.details.eligibility?.earliest;
      assert(earliest);
      await ts.nudged(handle(listing.id), ts.env.sleep(Date.parse(`${earliest}T00:00:00+08:00`) - (await ts.now()) + DAY));
      await ts.settled(listing.id, 'listed');
      const repair = (await ok('POST', '/v1/cases', company, {
        procedure: 'repair',
        target: { listingCaseId: listing.id },
        statement: '已履行全部义务',
        evidence: [{ title: '履行证明', description: '判决已履行完毕' }],
        commitment: { text: '守法诚信经营', signedOn: iso().slice(0, 10) },
      })) as CaseView;
      expect(repair.state).toBe('submitted');
      await ts.settled(repair.id, 'submitted');
      await ok('POST', `/v1/cases/${repair.id}/actions/accept`, AGENCY_OFFICER, {});
      await ok('POST', `/v1/cases/${repair.id}/actions/decide`, OFFICER, {
        outcome: 'approve',
        reasons: '已履行义务并作出信用承诺',
      });
      await ts.completed(handle(repair.id));
      await ts.completed(handle(listing.id));
      await ts.settled(listing.id, 'removed');
      await ts.settled(repair.id, 'approved');
      expect(await handle(listing.id).query(getCaseQuery)).toMatchObject({ state: 'removed', outcome: 'repaired' });
      expect(await publicEntry()).toHaveLength(0);

      // A new calendar year: a fresh quota, and a report without the listing but with the corrected record.
      const third = await ok('POST', `/v1/subjects/${companyId}/reports`, company);
      expect(third.document.html).toContain('因虚假宣传被处罚款二万元。');
      expect(third.document.html).not.toContain((listed.details.decision as { number: string }).number);
      const records = await ok('GET', `/v1/subjects/${companyId}/records`, company);
      expect(records.listings).toEqual([]);
      expect(records.items.map((r: { type: string; disclosure: string }) => [r.type, r.disclosure]).sort()).toEqual([
        ['administrative_penalty', 'published'],
        ['serious_dishonesty_listing', 'publicity_ended'],
      ]);
    } finally {
      await app.close();
    }
  });
}, 180_000);

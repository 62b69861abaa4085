// The objection and repair procedures as the benchmarks drive them through the API, each to its end.
import { shanghaiDate } from '../../workflows/common/dates';
import type { Client } from '@temporalio/client';
import type { TokenClaims } from '../../api/dev-tokens';
import { getCaseQuery } from '../../workflows/common/definitions';
import type { CaseView } from '../../workflows/common/case-types';
import type { ApiClient } from './http';
import { OFFICER, SUPERVISOR, listingBody, randomUscc, subjectClaims } from './listing';

/** The credit agency's officer: handles objections and repairs (Art 5, 31). */
export const AGENCY_OFFICER = {
  role: 'officer',
  sub: 'bench-officer-drc',
  dept: 'ZY-DRC',
} as const satisfies TokenClaims;

async function act(
  api: ApiClient,
  token: (c: TokenClaims) => string,
  { caseId, action, by, body }: { caseId: string; action: string; by: TokenClaims; body: unknown },
): Promise<CaseView> {
  return (await api.json('POST', `/v1/cases/${caseId}/actions/${action}`, { token: token(by), body, expect: [200] })).value as CaseView;
}

/** Waits until the case's workflow has completed (every change is then in Postgres). */
export async function untilCompleted(client: Client, caseId: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const d = await client.workflow.getHandle(caseId).describe();
    if (d.status.name === 'COMPLETED') return;
    if (d.status.name !== 'RUNNING' || Date.now() > until) throw new Error(`case ${caseId} is ${d.status.name}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the case's workflow holds the given state (the API answers before the projection catches up). */
async function inState(client: Client, caseId: string, state: string): Promise<void> {
  const until = Date.now() + 30_000;
  while ((await client.workflow.getHandle(caseId).query(getCaseQuery)).state !== state) {
    if (Date.now() > until) throw new Error(`case ${caseId} never reached ${state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A wrong penalty record objected to by its subject: file (the record is marked) → accept → forward to the
 * supplying department → decide `correct` (the record is corrected, the mark lifted, the subject told).
 */
export async function objectionLifecycle(api: ApiClient, token: (c: TokenClaims) => string, client: Client): Promise<string> {
  const subject = { kind: 'legal_person', id: randomUscc(), name: '张掖市某某商贸有限公司' };
  const record = (
    await api.json('POST', '/v1/records', {
      token: token(OFFICER),
      body: {
        subject,
        category: 'dishonesty',
        type: 'administrative_penalty',
        content: '因销售过期食品被处罚款五万元。',
        documentNumber: '张市监罚〔2026〕7号',
        decidedOn: shanghaiDate(new Date()),
        severity: 'general',
        issuedBy: '张掖市市场监督管理局',
        penalty: { procedure: 'general', minor: false, remedied: false },
        reviewedBy: 'officer-samr-2',
      },
      expect: [201],
    })
  ).value as { id: string };
  const filed = (
    await api.json('POST', '/v1/cases', {
      token: token(subjectClaims(subject.id)),
      body: {
        procedure: 'objection',
        recordId: record.id,
        grounds: 'error_or_omission',
        statement: '罚款金额记载错误',
        evidence: [{ title: '缴款凭证', description: '五千元' }],
      },
      expect: [201],
    })
  ).value as CaseView;
  await act(api, token, { caseId: filed.id, action: 'accept', by: AGENCY_OFFICER, body: {} });
  await act(api, token, { caseId: filed.id, action: 'forward', by: AGENCY_OFFICER, body: { department: OFFICER.dept } });
  const decided = await act(api, token, {
    caseId: filed.id,
    action: 'decide',
    by: OFFICER,
    body: {
      outcome: 'correct',
      reasons: '经核实金额记载错误',
      correctedContent: '因销售过期食品被处罚款五千元。',
    },
  });
  if (decided.state !== 'decided') throw new Error(`objection ${filed.id} is ${decided.state}`);
  await untilCompleted(client, filed.id);
  return filed.id;
}

/**
 * A listing imported as served 400 days ago (past the one-year minimum) repaired by its subject: apply →
 * accept → approve; the listing is removed early through its own workflow, the platform is told.
 */
export async function repairLifecycle(api: ApiClient, token: (c: TokenClaims) => string, client: Client): Promise<string> {
  const { procedure: _p, proposedMeasures, ...rest } = listingBody();
  const served = Date.now() - 400 * 86_400_000;
  const listing = (
    await api.json('POST', '/v1/imports/listings', {
      token: token(SUPERVISOR),
      body: {
        ...rest,
        measures: proposedMeasures,
        department: OFFICER.dept,
        decisionDocument: { number: '张市监认〔2025〕8号', issuedOn: shanghaiDate(new Date(served - 5 * 86_400_000)) },
        decisionServedAt: new Date(served).toISOString(),
      },
      expect: [201],
    })
  ).value as CaseView;
  // The repair checks the listing in Postgres: wait for the import to be recorded there.
  const until = Date.now() + 30_000;
  for (;;) {
    const r = await api.request('GET', `/v1/cases/${listing.id}`, { token: token(SUPERVISOR) });
    if (r.status === 200 && (JSON.parse(r.body) as CaseView).state === 'listed') break;
    if (Date.now() > until) throw new Error(`listing ${listing.id} was not recorded`);
    await new Promise((x) => setTimeout(x, 50));
  }
  await new Promise((x) => setTimeout(x, 500));
  const applied = (
    await api.json('POST', '/v1/cases', {
      token: token(subjectClaims(listing.subject.id)),
      body: {
        procedure: 'repair',
        target: { listingCaseId: listing.id },
        statement: '已履行全部义务',
        evidence: [{ title: '履行证明', description: '判决已履行完毕' }],
        commitment: { text: '守法诚信经营', signedOn: shanghaiDate(new Date()) },
      },
      expect: [201],
    })
  ).value as CaseView;
  await inState(client, applied.id, 'submitted');
  await act(api, token, { caseId: applied.id, action: 'accept', by: AGENCY_OFFICER, body: {} });
  await act(api, token, {
    caseId: applied.id,
    action: 'decide',
    by: AGENCY_OFFICER,
    body: {
      outcome: 'approve',
      reasons: '列入满一年，已履行义务',
    },
  });
  await untilCompleted(client, applied.id);
  const listingView = await client.workflow.getHandle(listing.id).query(getCaseQuery);
  if (listingView.outcome !== 'repaired')
    throw new Error(`listing ${listing.id} is ${listingView.state}/${listingView.outcome} after the repair`);
  return applied.id;
}

// The listing procedure as the benchmarks drive it: request bodies (as test/support/fixtures.ts makes
// them), callers' tokens, the actions through the API, and, for the fill of open cases, the same
// workflow started through the SDK client directly (the API's share is measured by bench:throughput).
import type { Client } from '@temporalio/client';
import { startCaseWorkflow } from '../../api/case-start';
import { newCaseId } from '../../api/case-ids';
import { policyFor } from '../../db/policy-store';
import type { Db } from '../../db/client';
import { policyTerms, type Policy } from '../../domain/calendar';
import type { CaseView } from '../../workflows/common/case-types';
import { actUpdate, LISTING_POLICY_TERMS, type ListingAction, type ListingInput } from '../../workflows/listing/definitions';
import type { ApiClient } from './http';
import { runOverItems } from './load';
import type { TokenClaims } from '../../api/dev-tokens';

export const OFFICER = { role: 'officer', sub: 'bench-officer-samr', dept: 'ZY-SAMR' } as const satisfies TokenClaims;
/** Approves: a different person from the proposing officer (four eyes). */
export const SUPERVISOR = {
  role: 'supervisor',
  sub: 'bench-supervisor-drc',
  dept: 'ZY-DRC',
} as const satisfies TokenClaims;
export const subjectClaims = (subjectId: string): TokenClaims => ({
  role: 'subject',
  sub: `bench-subject-${subjectId}`,
  subjectId,
});

// The same valid identifiers the tests make (GB 32100 codes, GB 11643 ID numbers).
import { randomUscc, randomResidentId } from '../../test/support/fixtures';
export { randomUscc, randomResidentId };

/** The body of POST /v1/cases for a listing of an organisation with its legal representative (README's example). */
export function listingBody() {
  return {
    procedure: 'listing' as const,
    subject: { kind: 'legal_person' as const, id: randomUscc(), name: '张掖市某某食品有限公司' },
    category: 'health_safety' as const,
    facts: '经查，该公司在2026年生产销售不符合食品安全标准的食品，情节严重。',
    basisDocuments: [{ title: '行政处罚决定书', number: '张市监罚〔2026〕18号', issuedOn: '2026-03-02' }],
    proposedMeasures: ['N-01', 'N-03'],
    responsiblePersons: [{ role: 'legal_representative' as const, name: '王某', idNumber: randomResidentId() }],
  };
}

/** Action bodies as API.md gives them; instants are taken when the body is made. */
export const actionBodies = {
  serve_notice: () => ({ servedAt: new Date().toISOString(), method: 'in_person' }),
  submit_statement: () => ({ text: '我公司已按要求全部整改，请求从轻处理。', requestHearing: false }),
  propose_decision: () => ({
    outcome: 'list',
    reasons: '情节严重，符合严重失信主体名单认定条件。',
    measures: ['N-01'],
  }),
  propose_dismissal: () => ({ outcome: 'dismiss', reasons: '当事人已整改，不予列入。' }),
  approve_decision: () => ({ comment: '同意' }),
  serve_decision: () => ({ servedAt: new Date().toISOString(), method: 'in_person' }),
  revoke: () => ({ reason: '行政处罚决定已被撤销', basis: '张市监撤〔2026〕1号' }),
} as const;

/** Calls the API as the officer, the supervisor or a case's subject. */
export class ListingDriver {
  constructor(
    readonly api: ApiClient,
    readonly token: (claims: TokenClaims) => string,
  ) {}

  readonly officerToken = (): string => this.token(OFFICER);

  async open(body = listingBody()): Promise<{ view: CaseView; ms: number }> {
    const r = await this.api.json('POST', '/v1/cases', { token: this.token(OFFICER), body, expect: [201] });
    return { view: r.value as CaseView, ms: r.ms };
  }

  /**
   * Opens `count` listings, `clients` at a time (not timed); their cases in the order they were answered, which with
   * one client is the order they were opened (and cached by the worker). Throws when any opening failed.
   */
  async openMany(count: number, clients: number): Promise<CaseView[]> {
    const views: CaseView[] = [];
    const r = await runOverItems(
      clients,
      Array.from({ length: count }, (_, i) => i),
      async () => {
        views.push((await this.open()).view);
      },
    );
    if (r.errors) throw new Error(`opening the cases failed: ${r.errorSamples.join('; ')}`);
    return views;
  }

  /** One action, by whoever may take it (officer, supervisor, or the case's subject). */
  async act(
    c: Pick<CaseView, 'id' | 'subject'>,
    action: ListingAction,
    body: Record<string, unknown>,
  ): Promise<{ view: CaseView; ms: number }> {
    const claims =
      action === 'submit_statement'
        ? subjectClaims(c.subject.id)
        : action === 'approve_decision' || action === 'reject_decision'
          ? SUPERVISOR
          : OFFICER;
    const r = await this.api.json('POST', `/v1/cases/${c.id}/actions/${action}`, {
      token: this.token(claims),
      body,
      expect: [200],
    });
    return { view: r.value as CaseView, ms: r.ms };
  }

  /** open → serve_notice → submit_statement → propose_decision → approve_decision → serve_decision: listed. */
  async toListed(c: CaseView): Promise<CaseView> {
    let v = c;
    if (v.state === 'opened') v = (await this.act(v, 'serve_notice', actionBodies.serve_notice())).view;
    if (v.state === 'notice_served') v = (await this.act(v, 'submit_statement', actionBodies.submit_statement())).view;
    if (v.state === 'under_review') v = (await this.act(v, 'propose_decision', actionBodies.propose_decision())).view;
    if (v.state === 'awaiting_approval') v = (await this.act(v, 'approve_decision', actionBodies.approve_decision())).view;
    if (v.state === 'decided') v = (await this.act(v, 'serve_decision', actionBodies.serve_decision())).view;
    if (v.state !== 'listed') throw new Error(`case ${v.id} ended in ${v.state}, not listed`);
    return v;
  }
}

/**
 * Starts listing cases through the SDK client, with the input the API would build for the officer
 * (same policy lookup, same case id scheme), and takes actions through the `act` Update: the workflow writes its own
 * changes and takes every step itself, so the worker's cost per case measured with this is the cost without an API
 * that writes the changes and works steps out ahead (api/action-changes.ts, api/action-quotes.ts).
 */
export class SdkListing {
  private policy: Policy | undefined;
  constructor(
    readonly client: Client,
    readonly db: Db,
    readonly taskQueue: string,
  ) {}

  async input(now = new Date()): Promise<ListingInput> {
    this.policy ??= await policyFor(this.db, { procedure: 'listing', department: OFFICER.dept });
    const body = listingBody();
    const p = this.policy.listing_period;
    return {
      caseId: newCaseId('listing', now),
      subject: body.subject,
      category: body.category,
      facts: body.facts,
      basisDocuments: body.basisDocuments,
      proposedMeasures: body.proposedMeasures,
      responsiblePersons: body.responsiblePersons,
      listingPeriod: p.unit === 'months' ? { months: p.amount } : { years: p.unit === 'years' ? p.amount : 3 },
      department: OFFICER.dept,
      openedBy: { id: OFFICER.sub, role: 'officer', department: OFFICER.dept },
      openedAt: now.toISOString(),
      policy: policyTerms(this.policy, LISTING_POLICY_TERMS),
    };
  }

  /** Starts the case with one Update-with-Start, answered once the workflow has recorded (and itself written) its opening. */
  open(input: ListingInput): Promise<CaseView> {
    return startCaseWorkflow(this.client, this.taskQueue, 'listingWorkflow', input);
  }

  async act(caseId: string, action: ListingAction, body: Record<string, unknown>, subjectId?: string): Promise<CaseView> {
    const actor =
      action === 'submit_statement'
        ? { id: `bench-subject-${subjectId}`, role: 'subject' as const }
        : { id: OFFICER.sub, role: 'officer' as const, department: OFFICER.dept };
    return this.client.workflow.getHandle(caseId).executeUpdate(actUpdate, {
      args: [{ action, actor, body, receivedAt: new Date().toISOString() }],
    });
  }
}

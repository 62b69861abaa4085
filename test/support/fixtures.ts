import { randomInt } from 'node:crypto';
import { isValidUscc, makeResidentId, makeUscc } from '../../domain/identity';
import { defaultPolicy, policyTerms } from '../../domain/calendar';
import { LISTING_POLICY_TERMS, type ListingInput } from '../../workflows/listing/definitions';
import type { Actor } from '../../workflows/common/case-types';
import { shanghaiToday } from './test-calendar';

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A fresh, valid unified social credit code (GB 32100) in Zhangye's division 620700. */
export function randomUscc(): string {
  let body = '';
  for (let i = 0; i < 9; i++) body += USCC_CHARS.charAt(randomInt(USCC_CHARS.length));
  return makeUscc(`91620700${body}`);
}

/** A fresh, valid resident ID number (GB 11643). */
export function randomResidentId(): string {
  const year = 1960 + randomInt(40);
  const month = String(1 + randomInt(12)).padStart(2, '0');
  const day = String(1 + randomInt(28)).padStart(2, '0');
  return makeResidentId('620702', `${year}${month}${day}`, String(randomInt(1000)).padStart(3, '0'));
}

/**
 * A resident ID number that is not also a valid unified social credit code: both are 18 characters with a
 * check character, and about one random resident ID in 31 passes the other checksum too.
 */
export function residentIdThatIsNoUscc(): string {
  for (;;) {
    const id = randomResidentId();
    if (!isValidUscc(id)) return id;
  }
}

export function listingBody(overrides: Record<string, unknown> = {}) {
  return {
    procedure: 'listing',
    subject: { kind: 'legal_person', id: randomUscc(), name: '张掖市某某食品有限公司' },
    category: 'health_safety',
    facts: '经查，该公司在2026年生产销售不符合食品安全标准的食品，情节严重。',
    basisDocuments: [{ title: '行政处罚决定书', number: '张市监罚〔2026〕18号', issuedOn: '2026-03-02' }],
    proposedMeasures: ['N-01', 'N-03'],
    responsiblePersons: [{ role: 'legal_representative', name: '王某', idNumber: randomResidentId() }],
    ...overrides,
  };
}

export const OFFICER = { role: 'officer', sub: 'officer-samr-1', dept: 'ZY-SAMR' } as const;
export const OTHER_OFFICER = { role: 'officer', sub: 'officer-housing-1', dept: 'ZY-HOUSING' } as const;
export const SUPERVISOR = { role: 'supervisor', sub: 'supervisor-drc-1', dept: 'ZY-DRC' } as const;
/** The second pair of eyes: approves what SUPERVISOR proposes (the city's legal settings, decisions). */
export const SECOND_SUPERVISOR = { role: 'supervisor', sub: 'supervisor-drc-2', dept: 'ZY-DRC' } as const;
/** An officer of the city's credit agency, which handles objections and repairs first (Art 5, 31). */
export const AGENCY_OFFICER = { role: 'officer', sub: 'officer-drc-1', dept: 'ZY-DRC' } as const;

/** A second officer of the market regulator, who reviews what OFFICER supplies (Art 36). */
export const REVIEWER = { role: 'officer', sub: 'officer-samr-2', dept: 'ZY-SAMR' } as const;

/**
 * A record as a department's own system supplies it: reviewed there by a second officer (`reviewedBy`), so it is
 * released, and disclosed, at once; pass `reviewedBy: undefined` for one that awaits review here. A penalty of
 * general procedure, neither minor nor remedied, goes with the `administrative_penalty` type only.
 */
export function recordBody(overrides: Record<string, unknown> = {}) {
  const type = 'type' in overrides ? overrides.type : 'administrative_penalty';
  return {
    subject: { kind: 'legal_person', id: randomUscc(), name: '张掖市某某商贸有限公司' },
    category: 'dishonesty',
    type: 'administrative_penalty',
    content: '因销售过期食品被处罚款五万元。',
    documentNumber: '张市监罚〔2026〕7号',
    // A month ago: a general record is disclosed for a year from its decision, so it is disclosed on any day the suite runs.
    decidedOn: shanghaiToday(-30),
    severity: 'general',
    issuedBy: '张掖市市场监督管理局',
    ...(type === 'administrative_penalty' ? { penalty: { procedure: 'general', minor: false, remedied: false } } : {}),
    reviewedBy: REVIEWER.sub,
    ...overrides,
  };
}

/** The input of a listing workflow as the API would start it, for the workflow tests. */
export function listingWorkflowInput(caseId: string, openedAt: string, openedBy: Actor, extra: Partial<ListingInput> = {}): ListingInput {
  return {
    caseId,
    subject: { kind: 'legal_person', id: randomUscc(), name: '张掖市某某建材有限公司' },
    category: 'market_order',
    facts: '拒不履行生效判决确定的义务。',
    basisDocuments: [{ title: '判决书', number: '(2026)甘07民初1号', issuedOn: '2026-01-05' }],
    proposedMeasures: ['N-01', 'N-04'],
    responsiblePersons: [{ role: 'legal_representative', name: '赵某', idNumber: randomResidentId() }],
    listingPeriod: { years: 3 },
    department: 'ZY-SAMR',
    openedBy,
    openedAt,
    policy: policyTerms(defaultPolicy(), LISTING_POLICY_TERMS),
    ...extra,
  };
}

/**
 * A listing imported from the department's own system (no notice served here): decided by `decision`, served at
 * `decision.servedAt`, with the one measure N-01.
 */
export function importedListingInput({
  caseId,
  openedAt,
  openedBy,
  decision,
  extra = {},
}: {
  caseId: string;
  openedAt: string;
  openedBy: Actor;
  decision: { number: string; issuedOn: string; servedAt: string };
  extra?: Partial<ListingInput>;
}): ListingInput {
  return listingWorkflowInput(caseId, openedAt, openedBy, {
    proposedMeasures: ['N-01'],
    imported: {
      decisionDocument: { number: decision.number, issuedOn: decision.issuedOn },
      decisionServedAt: decision.servedAt,
      measures: ['N-01'],
    },
    ...extra,
  });
}

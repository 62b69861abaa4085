import type { ListingDetails } from '../../workflows/listing/details';
import type { ObjectionDetails } from '../../workflows/objection/details';

/** A listing case's details just after opening, with `more` laid over them. */
export function listingDetailsFixture(more: Partial<ListingDetails> = {}): ListingDetails {
  return {
    category: 'health_safety',
    facts: '生产销售不符合食品安全标准的食品。',
    basisDocuments: [],
    proposedMeasures: ['N-01'],
    responsiblePersons: [],
    listingPeriod: { years: 3 },
    rejections: [],
    remedies: [],
    ...more,
  };
}

/** Who and when of an objection fixture: the supplier of the contested record, the agency, and its dates. */
export interface ObjectionFixtureParties {
  supplier: string;
  agency: string;
  decidedOn: string;
  markedAt: string;
}

/** An objection case's details as filed against a penalty record, with `more` laid over them. */
export function objectionDetailsFixture(parties: ObjectionFixtureParties, more: Partial<ObjectionDetails> = {}): ObjectionDetails {
  return {
    record: {
      id: 'R-1',
      category: 'dishonesty',
      type: 'administrative_penalty',
      content: '因销售过期食品被处罚款一万元。',
      documentNumber: '张市监罚〔2026〕18号',
      decidedOn: parties.decidedOn,
      department: parties.supplier,
      listingCaseId: null,
    },
    grounds: 'error_or_omission',
    statement: '罚款金额记载错误。',
    evidence: [],
    markedAt: parties.markedAt,
    decidingDepartment: parties.agency,
    ...more,
  };
}

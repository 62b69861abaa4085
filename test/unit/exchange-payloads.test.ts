import { listingEndKind } from '../../exchange/sources';
import { recordPayload } from '../../exchange/payloads';
import { randomResidentId } from '../support/fixtures';

const head = { entryId: 'REC-1:record_supplied', kind: 'record_supplied' as const, occurredAt: '2026-12-05T01:00:00.000Z' };
const record = {
  id: 'REC-1',
  subjectKind: 'natural_person',
  subjectId: randomResidentId(),
  subjectName: '张某',
  category: 'dishonesty',
  type: 'administrative_penalty',
  typeTitle: null,
  content: '罚款二千元。',
  documentNumber: '张市监罚〔2026〕9号',
  decidedOn: '2026-11-01',
  issuedBy: null,
  article: null,
  penalty: null,
  severity: null,
  publicUntil: null,
  department: 'ZY-SAMR',
  departmentName: '张掖市市场监督管理局',
  openObjectionId: null,
  listingCaseId: null,
};

describe('exchange payloads', () => {
  it('names a person by 证件类型 and 证件号码, never a credit code, and leaves out what the record does not hold', () => {
    const p = recordPayload(head, record);
    expect(p).toMatchObject({
      subjectCategory: '自然人',
      idType: '身份证',
      idNumber: record.subjectId,
      dataSource: '张掖市市场监督管理局',
    });
    for (const absent of ['unifiedSocialCreditCode', 'decidingAuthority', 'publicityUntil', 'supersedes', 'reason', 'catalogueItemTitle']) {
      expect(p).not.toHaveProperty(absent);
    }
  });

  it('tells a listing that ran its term as removed, a revocation and a repair as themselves', () => {
    expect(['expired', 'revoked', 'repaired'].map(listingEndKind)).toEqual(['listing_removed', 'listing_revoked', 'listing_repaired']);
  });
});

/**
 * 相关责任人员失信信息记入告知书 (DOMAIN.md procedure 1 step 8; Arts 48-52): the notice an Art 48 person of a
 * listed organisation is served. Pure renderer: no servers needed.
 */
import { createHash } from 'node:crypto';
import { renderResponsiblePersonNotice, RESPONSIBLE_PERSON_NOTICE_TITLE, type ResponsiblePersonNoticeInput } from '../../domain/documents';
import { makeUscc } from '../../domain/identity';

const PERSON_ID = '11010519491231002X';
const MASKED_PERSON_ID = '110105********002X';
const ORG_ID = makeUscc('91620702MA7111110');
const SAMR = { code: 'ZY-SAMR', name: '张掖市市场监督管理局' };
const DRC = { code: 'ZY-DRC', name: '张掖市发展和改革委员会' };
const EVIL = '<script>alert("x")</script>';

function input(over: Partial<ResponsiblePersonNoticeInput> = {}): ResponsiblePersonNoticeInput {
  return {
    documentId: 'LST-20261201-ABCDEFGHJK-D3-P1',
    caseId: 'LST-20261201-ABCDEFGHJK',
    issuedAt: '2026-12-03T02:00:00Z',
    department: SAMR,
    subject: { kind: 'natural_person', id: PERSON_ID, name: '王某' },
    organisation: { kind: 'legal_person', id: ORG_ID, name: '张掖市某某食品有限公司' },
    role: 'legal_representative',
    listing: {
      caseId: 'LST-20261201-ABCDEFGHJK',
      decisionNumber: 'ZY-SAMR-认定-20261201-ABCDEFGHJK',
      category: 'health_safety',
      listedFrom: '2026-12-03',
      listedUntil: '2029-12-03',
    },
    record: { id: 'REC-20261203-0123456789', content: '作为张掖市某某食品有限公司的法定代表人记入。' },
    measures: [
      {
        code: 'N-01',
        title: '限制高消费及非生活和工作必需的消费',
        level: 'serious',
        basis: '《全国失信惩戒措施基础清单（2022年版）》',
      },
      {
        code: 'N-07',
        title: '限制担任公司董事、监事、高级管理人员',
        level: 'serious',
        basis: '《中华人民共和国公司法》第一百七十八条',
      },
    ],
    agency: DRC,
    repair: { earliestAfter: { years: 1 } },
    remedies: {
      reconsiderationDays: 60,
      reconsiderationBody: '张掖市人民政府',
      litigationMonths: 6,
      court: '张掖市甘州区人民法院',
    },
    ...over,
  };
}

describe('responsible person notice', () => {
  it('names the listing, the role, the record, the measures and every right of a credit subject', () => {
    const doc = renderResponsiblePersonNotice(input());
    expect(doc.kind).toBe('responsible_person_notice');
    expect(doc.title).toBe(RESPONSIBLE_PERSON_NOTICE_TITLE);
    expect(doc.id).toBe('LST-20261201-ABCDEFGHJK-D3-P1');
    expect(doc.sha256).toBe(createHash('sha256').update(doc.html, 'utf8').digest('hex'));
    for (const text of [
      '张掖市某某食品有限公司',
      'ZY-SAMR-认定-20261201-ABCDEFGHJK',
      'LST-20261201-ABCDEFGHJK',
      '法定代表人',
      'REC-20261203-0123456789',
      '限制高消费及非生活和工作必需的消费',
      'N-07',
      '第四十八条',
      '第五十一条',
      '第五十二条',
      '张掖市发展和改革委员会',
      '60日内向张掖市人民政府申请行政复议',
      '6个月内依法向张掖市甘州区人民法院提起行政诉讼',
      '2029年12月3日',
      '满1年',
    ]) {
      expect(doc.html).toContain(text);
    }
    // The person's ID number is printed masked, the organisation's code in full.
    expect(doc.html).toContain(MASKED_PERSON_ID);
    expect(doc.html).not.toContain(PERSON_ID);
    expect(doc.html).toContain(ORG_ID);
    const f = doc.fields as Record<string, any>;
    expect(f.role).toEqual({ code: 'legal_representative', label: '法定代表人' });
    expect(f.listing).toMatchObject({
      caseId: 'LST-20261201-ABCDEFGHJK',
      listedFrom: '2026-12-03',
      listedUntil: '2029-12-03',
      category: 'health_safety',
    });
    expect(f.record.id).toBe('REC-20261203-0123456789');
    expect(f.measures.items.map((m: { code: string }) => m.code)).toEqual(['N-01', 'N-07']);
    expect(f.rights.items).toHaveLength(4);
    expect(f.remedies.reconsideration).toEqual({ days: 60, body: '张掖市人民政府' });
    expect(f.subject.id).toBe(MASKED_PERSON_ID);
  });

  it('is byte-identical for the same input and escapes what it prints', () => {
    expect(renderResponsiblePersonNotice(input()).html).toBe(renderResponsiblePersonNotice(input()).html);
    const doc = renderResponsiblePersonNotice(input({ record: { id: 'REC-20261203-0123456789', content: EVIL } }));
    expect(doc.html).not.toContain('<script>');
    expect(doc.html).toContain('&lt;script&gt;');
  });

  it('words each role', () => {
    expect(renderResponsiblePersonNotice(input({ role: 'actual_controller' })).html).toContain('实际控制人');
    expect(renderResponsiblePersonNotice(input({ role: 'directly_responsible' })).html).toContain('其他直接责任人');
  });

  it('refuses what cannot be such a notice', () => {
    expect(() => renderResponsiblePersonNotice(input({ subject: { kind: 'legal_person', id: ORG_ID, name: 'x' } }))).toThrow(RangeError);
    expect(() => renderResponsiblePersonNotice(input({ organisation: { kind: 'natural_person', id: PERSON_ID, name: 'x' } }))).toThrow(
      RangeError,
    );
    expect(() => renderResponsiblePersonNotice(input({ role: 'owner' as never }))).toThrow(RangeError);
    expect(() => renderResponsiblePersonNotice(input({ measures: [] }))).toThrow(RangeError);
    expect(() => renderResponsiblePersonNotice(input({ listing: { ...input().listing, listedUntil: '2026-01-01' } }))).toThrow(RangeError);
    expect(() => renderResponsiblePersonNotice(input({ record: { id: '', content: 'x' } }))).toThrow(RangeError);
  });
});

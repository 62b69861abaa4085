import { makeUscc } from '../../domain/identity';
import { renderWindowReopenedNotice, sha256Hex } from '../../domain/documents';

/** 陈述申辩期限重新计算告知书: what the subject is told when a later official schedule reopens a lapsed window. */
const ORG = { kind: 'legal_person' as const, id: makeUscc('91620702MA7111110'), name: '张掖某某商贸有限公司' };
const base = {
  documentId: 'LST-20261228-ABCDEFGHJK-D2',
  caseId: 'LST-20261228-ABCDEFGHJK',
  issuedAt: '2027-01-06T02:00:00.000Z',
  department: { code: 'ZY-SAMR', name: '张掖市市场监督管理局' },
  subject: ORG,
  notice: { number: 'LST-20261228-ABCDEFGHJK-D1', servedAt: '2026-12-28T02:00:00.000Z' },
  previousDueDate: '2027-01-05',
  statementDueDate: '2027-01-06',
  hearingNoticeWorkingDays: 7,
};
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('the window-reopened notice', () => {
  it('says why the window reopened, until when, and that a pending decision waits', () => {
    const doc = renderWindowReopenedNotice({ ...base, decisionWaiting: true });
    expect(doc).toMatchObject({
      kind: 'window_reopened_notice',
      title: '陈述申辩期限重新计算告知书',
      sha256: sha256Hex(doc.html),
    });
    const t = text(doc.html);
    expect(t).toContain('本机关于2026年12月28日向你单位送达《拟列入严重失信主体名单告知书》（LST-20261228-ABCDEFGHJK-D1）');
    expect(t).toContain('截至2027年1月5日24时');
    expect(t).toContain('你单位可以在2027年1月6日24时前，向本机关提出陈述、申辩，并可以要求举行听证');
    expect(t).toContain('7个工作日前通知');
    expect(t).toContain('不作出或送达认定决定');
    expect(doc.fields).toMatchObject({
      statementWindow: { previousDueDate: '2027-01-05', dueDate: '2027-01-06' },
      decisionWaiting: true,
    });
    expect(text(renderWindowReopenedNotice({ ...base, decisionWaiting: false }).html)).not.toContain('拟定处理意见');
  });

  it('refuses a reopened date that is not later than the one told', () => {
    expect(() => renderWindowReopenedNotice({ ...base, statementDueDate: '2027-01-05', decisionWaiting: false })).toThrow(
      /later than previousDueDate/,
    );
  });
});

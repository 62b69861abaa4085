import { createHash } from 'node:crypto';
import {
  documentTermsFromPolicy,
  escapeHtml,
  formatDate,
  formatPeriod,
  renderDismissalNotice,
  renderPreListingNotice,
  renderRecognitionDocument,
  renderRemovalNotice,
  shanghaiDate,
  type DismissalNoticeInput,
  type IssuedDocument,
  type PreListingNoticeInput,
  type RecognitionDocumentInput,
  type RemovalNoticeInput,
} from '../../domain/documents';
import { defaultPolicy } from '../../domain/calendar';
import { ConfigurationFault } from '../../domain/faults';
import { repealedCitations } from '../../domain/legal-sources';
import { makeResidentId, makeUscc, maskResidentId } from '../../domain/identity';
import { findMeasure, type Measure } from '../../domain/reference-data';

function measure(code: string): Measure {
  const m = findMeasure(code);
  if (!m) throw new Error(`no measure ${code}`);
  return m;
}

const ORG_ID = makeUscc('91620702MA7111110');
const PERSON_ID = makeResidentId('620702', '19850612', '031');
const REP_ID = makeResidentId('620702', '19800101', '123');
const CONTROLLER_ID = makeResidentId('620721', '19751120', '456');
const DEPARTMENT = { code: 'ZY-SAMR', name: '张掖市市场监督管理局' };
const ORG = { kind: 'legal_person' as const, id: ORG_ID, name: '张掖某某商贸有限公司' };
const PERSON = { kind: 'natural_person' as const, id: PERSON_ID, name: '李某' };
const FACTS = '2026年3月至5月，当事人在销售食用油过程中虚构产地、伪造检验报告，涉案金额120万元。';
const BASIS = [
  { title: '行政处罚决定书', number: '张市监处罚〔2026〕12号', issuedOn: '2026-06-01' },
  { title: '《行政复议决定书》', number: '张政复决字〔2026〕8号', issuedOn: '2026-08-20T10:00:00+08:00' },
];
const PERSONS = [
  { role: 'legal_representative' as const, name: '王某', idNumber: REP_ID },
  { role: 'actual_controller' as const, name: '赵某', idNumber: CONTROLLER_ID },
];

function notice(over: Partial<PreListingNoticeInput> = {}): PreListingNoticeInput {
  return {
    documentId: 'doc-notice-1',
    caseId: 'LST-2026-0001',
    documentNumber: '张市监信告〔2026〕5号',
    issuedAt: '2026-11-29T02:00:00Z',
    department: DEPARTMENT,
    subject: ORG,
    category: 'health_safety',
    facts: FACTS,
    basisDocuments: BASIS,
    proposedMeasures: [measure('N-04'), measure('N-09'), measure('C-02')],
    listingPeriod: { years: 3 },
    statementWindow: { workingDays: 5, dueDate: '2026-12-07' },
    hearingRight: true,
    hearingNoticeWorkingDays: 7,
    serviceMethod: 'mail',
    responsiblePersons: PERSONS,
    contact: { person: '张科长', phone: '0936-1234567', address: '张掖市甘州区某某路1号' },
    ...over,
  };
}

function recognition(over: Partial<RecognitionDocumentInput> = {}): RecognitionDocumentInput {
  return {
    documentId: 'doc-rec-1',
    caseId: 'LST-2026-0001',
    issuedAt: '2026-12-15T01:30:00Z',
    department: DEPARTMENT,
    subject: ORG,
    category: 'health_safety',
    facts: FACTS,
    basisDocuments: BASIS,
    decision: {
      number: '张市监信认〔2026〕3号',
      decidedAt: '2026-12-15T01:00:00Z',
      approvedBy: 'supervisor-7',
      reasons: '当事人违法行为持续时间长、涉案金额大，危及不特定消费者健康，情节严重。',
    },
    measures: [measure('N-04'), measure('N-09')],
    listingPeriod: { years: 3 },
    removal: { earliestRepairAfter: { years: 1 }, revokeWithinWorkingDays: 3 },
    remedies: {
      reconsiderationDays: 60,
      reconsiderationBody: '张掖市人民政府',
      litigationMonths: 6,
      court: '张掖市甘州区人民法院',
    },
    responsiblePersons: PERSONS,
    priorProcedure: { noticeNumber: '张市监信告〔2026〕5号', noticeServedAt: '2026-11-30', statementSubmitted: false },
    ...over,
  };
}

function dismissal(over: Partial<DismissalNoticeInput> = {}): DismissalNoticeInput {
  return {
    documentId: 'doc-dis-1',
    caseId: 'LST-2026-0002',
    issuedAt: '2026-12-10T03:00:00Z',
    department: DEPARTMENT,
    subject: PERSON,
    category: 'market_order',
    notice: { number: '张市监信告〔2026〕6号', servedAt: '2026-11-20' },
    decision: {
      number: '张市监信不〔2026〕1号',
      decidedAt: '2026-12-10T02:00:00Z',
      approvedBy: 'supervisor-7',
      reasons: '当事人已全额退赔，违法情节不属于严重失信行为。',
    },
    ...over,
  };
}

function removal(over: Partial<RemovalNoticeInput> = {}): RemovalNoticeInput {
  return {
    documentId: 'doc-rem-1',
    caseId: 'LST-2026-0001',
    documentNumber: '张市监信移〔2029〕2号',
    issuedAt: '2029-12-17T01:00:00Z',
    department: DEPARTMENT,
    subject: ORG,
    listing: {
      decisionNumber: '张市监信认〔2026〕3号',
      category: 'health_safety',
      listedFrom: '2026-12-17',
      listedUntil: '2029-12-16',
    },
    outcome: 'expired',
    removedOn: '2029-12-17',
    reason: '列入期限届满，期间未发现新的严重失信行为。',
    responsiblePersons: PERSONS,
    ...over,
  };
}

/** Headings are numbered 一、二、…; match the text after the numeral. */
function headings(doc: IssuedDocument): string[] {
  return [...doc.html.matchAll(/<h2>[一二三四五六七八九十]+、(.*?)<\/h2>/g)].map((m) => m[1]!);
}

describe('pre-listing notice (拟列入严重失信主体名单告知书)', () => {
  const doc = renderPreListingNotice(notice());

  test('document envelope', () => {
    expect(doc).toMatchObject({
      id: 'doc-notice-1',
      kind: 'pre_listing_notice',
      title: '拟列入严重失信主体名单告知书',
      issuedAt: '2026-11-29T02:00:00Z',
    });
    expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('has the sections of procedure 1 step 3 in order', () => {
    expect(headings(doc)).toEqual([
      '事实',
      '理由',
      '依据',
      '拟采取的失信惩戒措施',
      '陈述、申辩和听证权利',
      '逾期不行使权利的后果',
      '送达方式及联系部门',
    ]);
  });

  test('states facts, reasons, basis, measures, window and contact', () => {
    const h = doc.html;
    expect(h).toContain(FACTS);
    expect(h).toContain('严重危害人民群众身体健康和生命安全的行为'); // Art 45 (1)
    expect(h).toContain('第四十五条第一款第（一）项');
    expect(h).toContain('《行政处罚决定书》（张市监处罚〔2026〕12号，2026年6月1日）');
    expect(h).toContain('《行政复议决定书》（张政复决字〔2026〕8号，2026年8月20日）');
    for (const code of ['N-04', 'N-09', 'C-02']) {
      const m = measure(code);
      expect(h).toContain(escapeHtml(m.title));
      expect(h).toContain(escapeHtml(m.basis));
    }
    expect(h).toContain('列入期限为3年');
    expect(h).toContain('陈述和申辩');
    expect(h).toContain('要求举行听证');
    expect(h).toContain('5个工作日内，即于2026年12月7日24时前');
    expect(h).toContain('7个工作日前');
    expect(h).toContain('视为放弃');
    expect(h).toContain('邮寄送达');
    expect(h).toContain('联系部门：张掖市市场监督管理局');
    expect(h).toContain('0936-1234567');
    expect(h).toContain('张市监信告〔2026〕5号');
  });

  test('structured fields carry the same values', () => {
    expect(doc.fields).toMatchObject({
      documentNumber: '张市监信告〔2026〕5号',
      facts: FACTS,
      reasons: { category: 'health_safety', article: '第四十五条第一款第（一）项' },
      statementWindow: { workingDays: 5, dueDate: '2026-12-07' },
      hearingRight: true,
      listingPeriod: { years: 3, text: '3年' },
      serviceMethod: { code: 'mail', label: '邮寄送达' },
    });
    expect((doc.fields.proposedMeasures as { code: string }[]).map((m) => m.code)).toEqual(['N-04', 'N-09', 'C-02']);
  });

  test('without a hearing right only statement and defence are offered', () => {
    const d = renderPreListingNotice(notice({ hearingRight: false }));
    expect(headings(d)).toContain('陈述、申辩权利');
    expect(d.html).not.toContain('听证');
    expect(d.html).toContain('视为放弃');
  });

  test('a provisional statement window states the rule and the date as provisional', () => {
    const d = renderPreListingNotice(notice({ statementWindow: { workingDays: 5, dueDate: '2027-01-05', provisional: true } }));
    const text = d.html.replace(/<[^>]+>/g, '');
    expect(text).toContain('应当自本告知书送达之日起5个工作日内（暂按法定节假日计算，截至2027年1月5日24时；');
    expect(text).not.toContain('即于2027年1月5日24时前');
    expect(d.fields.statementWindow).toEqual({
      workingDays: 5,
      dueDate: '2027-01-05',
      provisional: true,
      text: '自本告知书送达之日起5个工作日内（暂按法定节假日计算，截至2027年1月5日24时）',
    });
    expect(doc.html).not.toContain('暂按');
  });

  test('public announcement says when the window starts', () => {
    expect(renderPreListingNotice(notice({ serviceMethod: 'public_announcement' })).html).toContain('视为送达之日起计算');
  });

  test('refuses inputs the procedure does not allow', () => {
    expect(() => renderPreListingNotice(notice({ basisDocuments: [] }))).toThrow(/Art 34/);
    expect(() => renderPreListingNotice(notice({ proposedMeasures: [] }))).toThrow(RangeError);
    expect(() => renderPreListingNotice(notice({ statementWindow: { workingDays: 0, dueDate: '2026-12-07' } }))).toThrow(RangeError);
    expect(() => renderPreListingNotice(notice({ statementWindow: { workingDays: 5, dueDate: '2026-02-30' } }))).toThrow(RangeError);
    expect(() => renderPreListingNotice(notice({ listingPeriod: {} }))).toThrow(RangeError);
  });
});

describe('recognition document (严重失信主体认定决定书, Art 47)', () => {
  const doc = renderRecognitionDocument(recognition());

  test('has every Art 47 section, and the Art 48 persons for an organisation', () => {
    expect(doc.kind).toBe('recognition_document');
    expect(doc.title).toBe('严重失信主体认定决定书');
    expect(headings(doc)).toEqual([
      '认定事由',
      '认定依据',
      '认定结论及列入期限',
      '失信惩戒措施提示',
      '相关责任人员',
      '移出条件和程序',
      '救济途径',
    ]);
  });

  test('states grounds, basis and measures with their basis', () => {
    const h = doc.html;
    expect(h).toContain('张市监信认〔2026〕3号');
    expect(h).toContain(FACTS);
    expect(h).toContain('情节严重。');
    expect(h).toContain('未提出陈述、申辩或者听证要求');
    expect(h).toContain('2026年11月30日向你单位送达');
    expect(h).toContain('严重危害人民群众身体健康和生命安全的行为');
    expect(h).toContain('张市监处罚〔2026〕12号');
    for (const code of ['N-04', 'N-09']) {
      expect(h).toContain(escapeHtml(measure(code).title));
      expect(h).toContain(escapeHtml(measure(code).basis));
    }
    expect(h).not.toContain('supervisor-7'); // internal approver: fields only
    expect(doc.fields).toMatchObject({ decision: { approvedBy: 'supervisor-7', decidedOn: '2026-12-15' } });
  });

  test('listing period: from service when the dates are not known yet', () => {
    expect(doc.html).toContain('列入期限为自本决定书送达之日起3年');
    const dated = renderRecognitionDocument(recognition({ listedFrom: '2026-12-17', listedUntil: '2029-12-16' }));
    expect(dated.html).toContain('列入期限为3年，自2026年12月17日起至2029年12月16日止');
    expect(dated.html).toContain('列入期限至2029年12月16日届满');
    expect(dated.fields).toMatchObject({
      listingPeriod: { years: 3, listedFrom: '2026-12-17', listedUntil: '2029-12-16' },
    });
    expect(() => renderRecognitionDocument(recognition({ listedUntil: '2029-12-16' }))).toThrow(/listedFrom/);
    expect(() => renderRecognitionDocument(recognition({ listedFrom: '2029-12-17', listedUntil: '2026-12-16' }))).toThrow(RangeError);
  });

  test('removal conditions and procedure: expiry, repair after the minimum time, revocation', () => {
    const h = doc.html;
    expect(h).toContain('期满移出');
    expect(h).toContain('信用修复提前移出');
    expect(h).toContain('自列入严重失信主体名单之日起满1年');
    expect(h).toContain('信用承诺书');
    expect(h).toContain('撤销移出');
    expect(h).toContain('3个工作日内撤销列入决定');
    expect(h).toContain('停止公示');
    const longer = renderRecognitionDocument(
      recognition({
        removal: {
          earliestRepairAfter: { years: 1, months: 6 },
          earliestRepairOn: '2028-06-17',
          repairBody: '张掖市发展和改革委员会',
        },
      }),
    );
    expect(longer.html).toContain('满1年6个月（即2028年6月17日起）');
    expect(longer.html).toContain('向张掖市发展和改革委员会提出信用修复申请');
  });

  test('remedies: reconsideration body and days, court and months', () => {
    expect(doc.html).toContain('自收到本决定书之日起60日内向张掖市人民政府申请行政复议');
    expect(doc.html).toContain('6个月内依法向张掖市甘州区人民法院提起行政诉讼');
    expect(doc.fields).toMatchObject({
      remedies: {
        reconsideration: { days: 60, body: '张掖市人民政府' },
        litigation: { months: 6, court: '张掖市甘州区人民法院' },
      },
    });
  });

  test('responsible persons: role, name and masked ID number', () => {
    const h = doc.html;
    for (const p of PERSONS) {
      expect(h).not.toContain(p.idNumber);
      expect(h).toContain(maskResidentId(p.idNumber));
      expect(h).toContain(p.name);
      expect(JSON.stringify(doc.fields)).not.toContain(p.idNumber);
    }
    expect(h).toContain(`<td>法定代表人</td><td>王某</td><td>620702********${REP_ID.slice(-4)}</td>`);
    expect(h).toContain('实际控制人');
    expect(h).toContain('个人信用记录');
    expect(doc.fields.responsiblePersons).toEqual([
      { role: 'legal_representative', roleLabel: '法定代表人', name: '王某', idNumber: maskResidentId(REP_ID) },
      { role: 'actual_controller', roleLabel: '实际控制人', name: '赵某', idNumber: maskResidentId(CONTROLLER_ID) },
    ]);
    // The organisation's own code is public registration data and printed in full.
    expect(h).toContain(`统一社会信用代码：${ORG_ID}`);
  });

  test('an organisation needs its responsible persons (Art 48)', () => {
    expect(() => renderRecognitionDocument(recognition({ responsiblePersons: [] }))).toThrow(/Art 48/);
  });

  test('a natural person: no responsible persons section, own ID number masked', () => {
    const d = renderRecognitionDocument(recognition({ subject: PERSON, responsiblePersons: [] }));
    expect(headings(d)).toEqual(['认定事由', '认定依据', '认定结论及列入期限', '失信惩戒措施提示', '移出条件和程序', '救济途径']);
    expect(d.html).toContain('李某：');
    expect(d.html).toContain('你存在下列行为');
    expect(d.html).not.toContain(PERSON_ID);
    expect(d.html).toContain(`公民身份号码：${maskResidentId(PERSON_ID)}`);
    expect(d.fields).toMatchObject({ subject: { id: maskResidentId(PERSON_ID) } });
  });
});

describe('dismissal notice (不予列入)', () => {
  const doc = renderDismissalNotice(dismissal());

  test('states review, reasons and the decision not to list', () => {
    expect(doc).toMatchObject({
      kind: 'dismissal_notice',
      title: '不予列入严重失信主体名单决定告知书',
      id: 'doc-dis-1',
    });
    expect(headings(doc)).toEqual(['审查情况', '不予列入的理由', '决定']);
    expect(doc.html).toContain('张市监信不〔2026〕1号');
    expect(doc.html).toContain('2026年11月20日向你送达');
    expect(doc.html).toContain('当事人已全额退赔');
    expect(doc.html).toContain('决定不将你列入严重失信主体名单');
    expect(doc.html).toContain('不予实施');
    expect(doc.html).not.toContain(PERSON_ID);
    expect(doc.fields).toMatchObject({ outcome: { code: 'dismissed' }, decision: { decidedOn: '2026-12-10' } });
  });
});

describe('removal notice (移出严重失信主体名单告知书)', () => {
  test.each([
    ['expired', '列入期限届满', '列入期限已届满'],
    ['repaired', '信用修复', '信用修复申请经本机关审核同意'],
    ['revoked', '撤销列入决定', '不再作为对你单位采取失信惩戒措施的依据'],
  ] as const)('%s', (outcome, label, text) => {
    const doc = renderRemovalNotice(removal({ outcome, basis: outcome === 'expired' ? undefined : '张市发改信修〔2028〕9号' }));
    expect(doc).toMatchObject({ kind: 'removal_notice', title: '移出严重失信主体名单告知书' });
    expect(headings(doc)).toEqual(['原列入情况', '移出原因', '移出日期及效力']);
    expect(doc.html).toContain(`移出方式：${label}。`);
    expect(doc.html).toContain(text);
    expect(doc.html).toContain('张市监信认〔2026〕3号');
    expect(doc.html).toContain('自2029年12月17日起，你单位移出严重失信主体名单，本机关停止公示');
    expect(doc.html).toContain('失信惩戒措施同时停止实施');
    expect(doc.html).toContain('一并停止公示');
    expect(doc.html).not.toContain(REP_ID);
    expect(doc.html).toContain(maskResidentId(REP_ID));
    expect(doc.fields).toMatchObject({ outcome: { code: outcome, label }, removedOn: '2029-12-17' });
  });
});

describe('HTML', () => {
  const all = (): IssuedDocument[] => [
    renderPreListingNotice(notice()),
    renderRecognitionDocument(recognition()),
    renderDismissalNotice(dismissal()),
    renderRemovalNotice(removal()),
  ];

  test('a complete printable A4 page with no external resources', () => {
    for (const d of all()) {
      expect(d.html.startsWith('<!doctype html>\n<html lang="zh-CN">')).toBe(true);
      expect(d.html).toContain('<meta charset="utf-8">');
      expect(d.html).toContain(`<title>${d.title}</title>`);
      expect(d.html).toContain(`<h1>${d.title}</h1>`);
      expect(d.html).toContain('size:A4');
      expect(d.html).toMatch(/font-family:[^;]*"Noto Serif CJK SC"[^;]*serif/);
      expect(d.html).toContain('<p class="issuer">张掖市市场监督管理局</p>');
      expect(d.html).toContain('（盖章）');
      expect(d.html.trimEnd().endsWith('</html>')).toBe(true);
      expect(d.html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import|https?:/i);
    }
  });

  test('escapes every interpolated value', () => {
    const evil = '<script>alert("x")</script> & \'q\'';
    const d = renderPreListingNotice(
      notice({
        facts: evil,
        department: { code: 'ZY-SAMR', name: '<b>部门</b>' },
        subject: { ...ORG, name: '"><img src=x onerror=alert(1)>' },
        basisDocuments: [{ title: '<i>决定书</i>', number: '1&2', issuedOn: '2026-06-01' }],
        documentNumber: '</title><script>',
        contact: { phone: '<a href="javascript:x">' },
      }),
    );
    expect(d.html).not.toMatch(/<script|<img|<b>|<i>|<a /);
    expect(d.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(d.html).toContain('&lt;b&gt;部门&lt;/b&gt;');
    expect(d.html).toContain('1&amp;2');
    expect(d.fields.facts).toBe(evil); // fields are data, not markup
    const r = renderRecognitionDocument(recognition({ facts: evil, decision: { ...recognition().decision, reasons: '<script>' } }));
    expect(r.html).not.toContain('<script');
    expect(r.html).toContain('&lt;script&gt;alert(&quot;x&quot;)');
  });

  test('escapeHtml', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  test('deterministic: same input, same bytes and hash; changed input, different hash', () => {
    const a = all();
    const b = all();
    for (let i = 0; i < a.length; i++) {
      expect(b[i]!.html).toBe(a[i]!.html);
      expect(b[i]!.sha256).toBe(a[i]!.sha256);
      expect(a[i]!.sha256).toBe(createHash('sha256').update(Buffer.from(a[i]!.html, 'utf8')).digest('hex'));
    }
    expect(renderPreListingNotice(notice({ facts: `${FACTS}。` })).sha256).not.toBe(a[0]!.sha256);
    expect(renderRecognitionDocument(recognition({ remedies: { ...recognition().remedies, reconsiderationDays: 90 } })).sha256).not.toBe(
      a[1]!.sha256,
    );
    expect(renderRemovalNotice(removal({ outcome: 'repaired' })).sha256).not.toBe(a[3]!.sha256);
  });
});

describe('dates in Asia/Shanghai', () => {
  test('an instant at 17:00 UTC is the next day in Shanghai', () => {
    const d = renderPreListingNotice(notice({ issuedAt: '2026-11-29T17:00:00Z' }));
    expect(d.html).toContain('<p class="date">2026年11月30日</p>');
    expect(d.fields.issuedOn).toBe('2026-11-30');
    expect(d.issuedAt).toBe('2026-11-29T17:00:00Z');
    expect(renderPreListingNotice(notice({ issuedAt: '2026-11-29T15:59:59Z' })).html).toContain('<p class="date">2026年11月29日</p>');
  });

  test('independent of the host timezone', () => {
    const before = renderRecognitionDocument(recognition({ issuedAt: '2026-11-29T17:00:00Z' }));
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
        process.env.TZ = tz;
        const d = renderRecognitionDocument(recognition({ issuedAt: '2026-11-29T17:00:00Z' }));
        expect(d.sha256).toBe(before.sha256);
        expect(d.html).toContain('2026年11月30日');
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  test('formatDate, shanghaiDate', () => {
    expect(formatDate('2026-11-29')).toBe('2026年11月29日');
    expect(formatDate('2026-01-05')).toBe('2026年1月5日');
    expect(formatDate('2026-11-29T17:00:00Z')).toBe('2026年11月30日');
    expect(formatDate('2026-11-30T00:30:00+08:00')).toBe('2026年11月30日');
    expect(formatDate('2026-12-31T20:00:00-05:00')).toBe('2027年1月1日');
    expect(shanghaiDate('2026-11-29T16:00:00.000Z')).toBe('2026-11-30');
    // A bare local time would depend on the host's timezone: refused.
    expect(() => shanghaiDate('2026-11-29T17:00:00')).toThrow(RangeError);
    expect(() => shanghaiDate('2026-13-01')).toThrow(RangeError);
    expect(() => shanghaiDate('yesterday')).toThrow(RangeError);
  });

  test('formatPeriod', () => {
    expect(formatPeriod({ years: 3 })).toBe('3年');
    expect(formatPeriod({ months: 6 })).toBe('6个月');
    expect(formatPeriod({ years: 1, months: 6 })).toBe('1年6个月');
    expect(() => formatPeriod({ years: 0 })).toThrow(RangeError);
    expect(() => formatPeriod({ years: 1.5 })).toThrow(RangeError);
  });
});

describe('documentTermsFromPolicy', () => {
  test('the DOMAIN.md defaults', () => {
    expect(documentTermsFromPolicy(defaultPolicy())).toEqual({
      statementWorkingDays: 5,
      hearingNoticeWorkingDays: 7,
      listingPeriod: { years: 3 },
      earliestRepairAfter: { years: 1 },
      revokeWithinWorkingDays: 3,
      reconsiderationDays: 60,
      litigationMonths: 6,
    });
  });

  test('an entry in a unit the wording cannot print is a configuration fault, never retried', () => {
    const policy = defaultPolicy();
    const bad = { ...policy, statement_window: { ...policy.statement_window, unit: 'days' as const } };
    expect(() => documentTermsFromPolicy(bad)).toThrow(ConfigurationFault);
    expect(() => documentTermsFromPolicy(bad)).toThrow('policy statement_window is in days; the documents print it in working_days');
  });
});

describe('the repair rules a listing document cites are those in force on its date', () => {
  it('cites 国办发〔2025〕22号 and Order 36, never the repealed Order 58, after 2026-04-01, and says who decides', () => {
    for (const doc of [renderRecognitionDocument(recognition()), renderRemovalNotice(removal({ outcome: 'repaired' }))]) {
      expect(repealedCitations(doc.html, '2026-12-15')).toEqual([]);
      expect(doc.html).toContain('《信用修复管理办法》（国家发展和改革委员会令第36号）');
      expect(doc.html).toContain('国办发〔2025〕22号');
    }
    const rec = renderRecognitionDocument(recognition()).html;
    expect(rec).toContain('向市公共信用信息共享平台（信用修复受理窗口）提出信用修复申请');
    expect(rec).toContain('由本机关（作出认定的单位）审核并作出是否准予信用修复的决定');
  });

  it('cites Order 58 on a document dated before Order 36 took effect', () => {
    const early = renderRecognitionDocument(
      recognition({
        issuedAt: '2026-03-20T01:30:00Z',
        decision: { ...recognition().decision, decidedAt: '2026-03-20T01:00:00Z' },
        priorProcedure: undefined,
      }),
    ).html;
    expect(early).toContain('令2023年第58号');
    expect(early).not.toContain('令第36号');
    // The same text would cite a repealed rule on a later date: the check sees it.
    expect(repealedCitations(early, '2026-04-01').map((r) => r.key)).toEqual(['ndrc-order-58']);
  });
});

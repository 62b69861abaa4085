/**
 * Documents of procedures 2 and 3 and the credit report: 异议处理结果告知书 (Art 49, 51), 信用修复决定书 (Art 52)
 * and 信用报告 (Art 50). Pure renderers: no servers needed.
 */
import { createHash } from 'node:crypto';
import {
  OBJECTION_MARK,
  OBJECTION_OUTCOME_LABELS,
  REPAIR_OUTCOME_LABELS,
  objectionOutcomes,
  renderCreditReport,
  renderObjectionResultNotice,
  renderRepairDecision,
  repairOutcomes,
  type CreditReportInput,
  type CreditReportRecord,
  type IssuedDocument,
  type ObjectionOutcome,
  type ObjectionResultNoticeInput,
  type RepairDecisionInput,
} from '../../domain/documents';
import { isValidResidentId, makeUscc, maskResidentId } from '../../domain/identity';

import { repealedCitations } from '../../domain/legal-sources';
const PERSON_ID = '11010519491231002X';
const MASKED_PERSON_ID = '110105********002X';
const ORG_ID = makeUscc('91620702MA7111110');
const PERSON = { kind: 'natural_person' as const, id: PERSON_ID, name: '李某' };
const ORG = { kind: 'legal_person' as const, id: ORG_ID, name: '张掖某某商贸有限公司' };
const AGENCY = { code: 'ZY-CREDIT', name: '张掖市公共信用信息中心' };
const SAMR = { code: 'ZY-SAMR', name: '张掖市市场监督管理局' };
const EVIL = '<script>alert("x")</script> & \'q\'';
const EVIL_ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;';

const RECORD = {
  id: 'REC-2026-0042',
  category: 'dishonesty' as const,
  type: '行政处罚信息',
  content: '因销售不合格食用油，被处罚款5000元。',
  documentNumber: '张市监处罚〔2026〕12号',
  decidedOn: '2026-06-01',
  supplyingDepartment: SAMR,
};

function objection(over: Partial<ObjectionResultNoticeInput> = {}): ObjectionResultNoticeInput {
  return {
    documentId: 'doc-obj-1',
    caseId: 'OBJ-2026-0007',
    documentNumber: '张信异结〔2026〕7号',
    issuedAt: '2026-11-20T02:00:00Z',
    department: AGENCY,
    subject: PERSON,
    objection: {
      caseId: 'OBJ-2026-0007',
      filedAt: '2026-11-02T03:00:00Z',
      grounds: 'error_or_omission',
      statement: '处罚决定书载明的罚款金额为3000元，记录有误。',
    },
    record: RECORD,
    outcome: 'keep',
    reasons: '经核对处罚决定书原件，记录内容与决定书一致。',
    decidedOn: '2026-11-18',
    decidingDepartment: SAMR,
    ...over,
  };
}

/** A valid input for each outcome (correct and supplement carry the new content). */
function objectionWith(outcome: ObjectionOutcome, over: Partial<ObjectionResultNoticeInput> = {}): ObjectionResultNoticeInput {
  const corrected =
    outcome === 'correct'
      ? '因销售不合格食用油，被处罚款3000元。'
      : outcome === 'supplement'
        ? '因销售不合格食用油，被处罚款5000元，已于2026年7月1日缴清。'
        : undefined;
  return objection({ outcome, ...(corrected ? { correctedContent: corrected } : {}), ...over });
}

function repair(over: Partial<RepairDecisionInput> = {}): RepairDecisionInput {
  return {
    documentId: 'doc-rep-1',
    caseId: 'REP-2027-0003',
    documentNumber: '张市监信修〔2027〕3号',
    issuedAt: '2027-12-20T01:00:00Z',
    department: SAMR,
    subject: ORG,
    repair: { caseId: 'REP-2027-0003', filedAt: '2027-12-01T08:00:00+08:00' },
    target: {
      kind: 'record',
      recordId: 'REC-2026-0042',
      type: '行政处罚信息',
      documentNumber: '张市监处罚〔2026〕12号',
    },
    outcome: 'approve',
    reasons: '申请人已缴清罚款，提交了信用承诺书，公示期已满最短期限。',
    decidedOn: '2027-12-18',
    effectsWithinWorkingDays: 3,
    ...over,
  };
}

const LISTING_TARGET = {
  kind: 'listing' as const,
  listingCaseId: 'LST-2026-0001',
  decisionNumber: '张市监信认〔2026〕3号',
  listedFrom: '2026-12-17',
  listedUntil: '2029-12-16',
};

const REPORT_RECORDS: CreditReportRecord[] = [
  {
    id: 'REC-B-1',
    category: 'basic',
    type: '行政许可信息',
    content: '食品经营许可证，许可编号JY16207020001234。',
    documentNumber: '张市监许〔2025〕88号',
    decidedOn: '2025-03-10',
    supplyingDepartment: SAMR,
    underObjection: false,
  },
  { ...RECORD, severity: 'general', publicUntil: '2027-06-01', underObjection: true },
  {
    id: 'REC-D-2',
    category: 'dishonesty',
    type: '行政强制执行信息',
    content: '拒不履行限期改正决定，被依法强制执行。',
    documentNumber: '张市住建强〔2026〕2号',
    decidedOn: '2026-08-15',
    supplyingDepartment: { code: 'ZY-HOUSING', name: '张掖市住房和城乡建设局' },
    publicUntil: '2027-08-15',
    underObjection: false,
  },
  {
    id: 'REC-O-1',
    category: 'other',
    type: '志愿服务信息',
    content: '参加社区志愿服务120小时。',
    documentNumber: '张志愿〔2026〕5号',
    decidedOn: '2026-09-01',
    supplyingDepartment: { code: 'ZY-CIV', name: '张掖市民政局' },
    underObjection: false,
  },
];

function report(over: Partial<CreditReportInput> = {}): CreditReportInput {
  return {
    documentId: 'doc-rpt-1',
    caseId: '',
    issuedAt: '2026-11-29T02:00:00Z',
    department: AGENCY,
    subject: PERSON,
    reportNumber: 'XYBG-2026-000123',
    asOf: '2026-11-28',
    generatedAt: '2026-11-29T02:00:00Z',
    freeOfCharge: true,
    quota: { used: 1, of: 2, year: 2026 },
    records: REPORT_RECORDS,
    listings: [
      {
        caseId: 'LST-2026-0001',
        decisionNumber: '张市监信认〔2026〕3号',
        category: 'health_safety',
        department: SAMR,
        listedFrom: '2026-06-20',
        listedUntil: '2029-06-19',
        measures: [
          { code: 'N-04', title: '限制乘坐飞机' },
          { code: 'C-02', title: '限制参与政府采购' },
        ],
      },
    ],
    ...over,
  };
}

/** Headings are numbered 一、二、…; match the text after the numeral. */
function headings(doc: IssuedDocument): string[] {
  return [...doc.html.matchAll(/<h2>[一二三四五六七八九十]+、(.*?)<\/h2>/g)].map((m) => m[1]!);
}

/** The HTML of the section whose heading (after the numeral) is `heading`. */
function section(doc: IssuedDocument, heading: string): string {
  const m = new RegExp(`<h2>[一二三四五六七八九十]+、${heading}</h2>([\\s\\S]*?)</section>`).exec(doc.html);
  if (!m) throw new Error(`no section ${heading}`);
  return m[1]!;
}

function sha256(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

test('the test ID number is a valid GB 11643 number', () => {
  expect(isValidResidentId(PERSON_ID)).toBe(true);
  expect(maskResidentId(PERSON_ID)).toBe(MASKED_PERSON_ID);
});

describe('objection result notice (异议处理结果告知书, Art 49, 51)', () => {
  const doc = renderObjectionResultNotice(objection());

  test('envelope, sections, sha256 of the html', () => {
    expect(doc).toMatchObject({
      id: 'doc-obj-1',
      kind: 'objection_result_notice',
      title: '异议处理结果告知书',
      issuedAt: '2026-11-20T02:00:00Z',
    });
    expect(doc.sha256).toBe(sha256(doc.html));
    expect(headings(doc)).toEqual(['异议申请情况', '异议涉及的信息', '处理结果', '理由', '救济途径']);
    expect(doc.html).toContain('<p class="doc-number">张信异结〔2026〕7号</p>');
    expect(doc.html).toContain('<p class="issuer">张掖市公共信用信息中心</p>');
  });

  test('states the objection, the record and the source of the result', () => {
    const h = doc.html;
    expect(h).toContain('你于2026年11月2日就下列信息提出异议申请（案件编号：OBJ-2026-0007），异议事由为“信息存在错误、遗漏”');
    expect(h).toContain('处罚决定书载明的罚款金额为3000元');
    expect(h).toContain('<tr><th scope="row">信息内容</th><td>因销售不合格食用油，被处罚款5000元。</td></tr>');
    expect(h).toContain('<tr><th scope="row">信息提供单位</th><td>张掖市市场监督管理局</td></tr>');
    // Art 49: the result and its source; the deciding department is named.
    expect(h).toContain('本处理结果由张掖市市场监督管理局于2026年11月18日作出');
    const byAgency = renderObjectionResultNotice(objection({ decidingDepartment: AGENCY }));
    expect(byAgency.html).toContain('经张掖市公共信用信息中心核查');
    expect(byAgency.html).toContain('该信息的提供单位为张掖市市场监督管理局；本处理结果由张掖市公共信用信息中心于2026年11月18日作出');
    expect(byAgency.fields).toMatchObject({ decidingDepartment: AGENCY, record: { supplyingDepartment: SAMR } });
  });

  test('keep: the record is accurate and the objection mark is lifted', () => {
    expect(doc.html).toContain('处理结果：维持。');
    expect(doc.html).toContain('该信息记录准确，决定予以维持');
    expect(doc.html).toContain('异议标注同时撤销');
    expect(doc.fields).toMatchObject({
      outcome: { code: 'keep', label: '维持' },
      objectionMarkLifted: true,
      decidedOn: '2026-11-18',
    });
  });

  test('remedies: reconsideration or litigation, no named body', () => {
    const remedies = section(doc, '救济途径');
    expect(remedies).toContain('你如对本处理结果不服，可以依法申请行政复议或者提起行政诉讼。');
    expect(remedies).not.toMatch(/人民政府|法院/);
  });

  test.each([
    ['delete', '删除', '不再披露、共享和使用'],
    ['correct', '更正', '决定予以更正'],
    ['supplement', '补充', '决定予以补充'],
    ['stop_disclosure', '停止公示', '不再向社会公开'],
    ['remove_from_list', '移出名单', '依照严重失信主体名单的认定程序撤销列入决定'],
    ['keep', '维持', '该信息记录准确'],
    ['declined', '不予受理', '不符合受理条件，决定不予受理'],
    ['withdrawn', '逾期未补正视为撤回', '视为撤回异议申请'],
  ] as const)('outcome %s prints %s', (outcome, label, text) => {
    const d = renderObjectionResultNotice(objectionWith(outcome));
    expect(OBJECTION_OUTCOME_LABELS[outcome]).toBe(label);
    expect(d.html).toContain(`处理结果：${label}。`);
    expect(d.html).toContain(text);
    expect(d.fields).toMatchObject({ outcome: { code: outcome, label } });
    // A deleted record is gone; every other outcome closes the objection and lifts the mark.
    expect(d.html.includes('异议标注同时撤销')).toBe(outcome !== 'delete');
  });

  test('every outcome has a label and they are distinct', () => {
    const labels = objectionOutcomes.map((o) => OBJECTION_OUTCOME_LABELS[o]);
    expect(new Set(labels).size).toBe(objectionOutcomes.length);
  });

  test('correct and supplement print the old and the new content', () => {
    const c = renderObjectionResultNotice(objectionWith('correct'));
    expect(c.html).toContain('<th>更正前</th><th>更正后</th>');
    expect(c.html).toContain('<td>因销售不合格食用油，被处罚款5000元。</td><td>因销售不合格食用油，被处罚款3000元。</td>');
    expect(c.fields.change).toEqual({ before: RECORD.content, after: '因销售不合格食用油，被处罚款3000元。' });
    const s = renderObjectionResultNotice(objectionWith('supplement'));
    expect(s.html).toContain('<th>补充前</th><th>补充后</th>');
    expect(s.html).toContain('已于2026年7月1日缴清');
    expect(doc.fields.change).toBeUndefined();
    expect(doc.html).not.toContain('更正前');
  });

  test('a natural person: ID number masked in html and fields', () => {
    expect(doc.html).not.toContain(PERSON_ID);
    expect(doc.html).toContain(`公民身份号码：${MASKED_PERSON_ID}`);
    expect(JSON.stringify(doc.fields)).not.toContain(PERSON_ID);
    expect(doc.fields).toMatchObject({ subject: { id: MASKED_PERSON_ID } });
  });

  test('escapes free text; fields keep it as data', () => {
    const d = renderObjectionResultNotice(
      objectionWith('correct', {
        objection: { ...objection().objection, statement: EVIL },
        reasons: `理由${EVIL}`,
        record: { ...RECORD, content: `<b>${RECORD.content}</b>` },
        correctedContent: '<img src=x onerror=alert(1)>',
        decidingDepartment: { code: 'X', name: '<i>核查单位</i>' },
      }),
    );
    expect(d.html).not.toMatch(/<script|<img|<b>|<i>/);
    expect(d.html).toContain(EVIL_ESCAPED);
    expect(d.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(d.html).toContain('&lt;i&gt;核查单位&lt;/i&gt;');
    expect((d.fields.objection as { statement: string }).statement).toBe(EVIL);
  });

  test('deterministic: same input, same bytes; a changed outcome, a different hash', () => {
    const again = renderObjectionResultNotice(objection());
    expect(again.html).toBe(doc.html);
    expect(again.sha256).toBe(doc.sha256);
    expect(renderObjectionResultNotice(objectionWith('delete')).sha256).not.toBe(doc.sha256);
  });

  test('refuses bad input', () => {
    // correctedContent: required for correct/supplement, must change something, refused elsewhere.
    expect(() => renderObjectionResultNotice(objection({ outcome: 'correct' }))).toThrow(/correctedContent/);
    expect(() => renderObjectionResultNotice(objection({ outcome: 'supplement', correctedContent: '  ' }))).toThrow(RangeError);
    expect(() => renderObjectionResultNotice(objection({ outcome: 'correct', correctedContent: RECORD.content }))).toThrow(
      /same as record.content/,
    );
    expect(() => renderObjectionResultNotice(objection({ outcome: 'keep', correctedContent: '新内容' }))).toThrow(
      /only for outcomes correct and supplement/,
    );
    // Removing from a list concerns a listing, i.e. dishonesty information.
    expect(() => renderObjectionResultNotice(objectionWith('remove_from_list', { record: { ...RECORD, category: 'basic' } }))).toThrow(
      /dishonesty/,
    );
    // Unknown codes, including inherited property names.
    expect(() => renderObjectionResultNotice(objection({ outcome: 'approve' as never }))).toThrow(RangeError);
    expect(() => renderObjectionResultNotice(objection({ outcome: 'toString' as never }))).toThrow(RangeError);
    expect(() => renderObjectionResultNotice(objection({ objection: { ...objection().objection, grounds: 'other' as never } }))).toThrow(
      /grounds/,
    );
    expect(() => renderObjectionResultNotice(objection({ record: { ...RECORD, category: 'credit' as never } }))).toThrow(/category/);
    // The notice belongs to the objection case.
    expect(() => renderObjectionResultNotice(objection({ objection: { ...objection().objection, caseId: 'OBJ-OTHER' } }))).toThrow(
      /differs from caseId/,
    );
    expect(() => renderObjectionResultNotice(objection({ caseId: '', objection: { ...objection().objection, caseId: '' } }))).toThrow(
      /caseId/,
    );
    // Dates: decided after filing, issued after deciding, instants with an offset.
    expect(() => renderObjectionResultNotice(objection({ decidedOn: '2026-11-01' }))).toThrow(/before objection.filedAt/);
    expect(() => renderObjectionResultNotice(objection({ issuedAt: '2026-11-17' }))).toThrow(/issuedAt .* is before decidedOn/);
    expect(() =>
      renderObjectionResultNotice(objection({ objection: { ...objection().objection, filedAt: '2026-11-02T03:00:00' } })),
    ).toThrow(RangeError);
    expect(() => renderObjectionResultNotice(objection({ record: { ...RECORD, decidedOn: '2026-02-30' } }))).toThrow(RangeError);
    // Required text.
    expect(() => renderObjectionResultNotice(objection({ reasons: '' }))).toThrow(/reasons/);
    expect(() => renderObjectionResultNotice(objection({ decidingDepartment: { code: 'X', name: '' } }))).toThrow(
      /decidingDepartment.name/,
    );
    expect(() => renderObjectionResultNotice(objection({ record: { ...RECORD, documentNumber: '' } }))).toThrow(/record.documentNumber/);
  });
});

describe('repair decision (信用修复决定书, Art 52)', () => {
  const doc = renderRepairDecision(repair());

  test('envelope, sections, sha256 of the html', () => {
    expect(doc).toMatchObject({ id: 'doc-rep-1', kind: 'repair_decision', title: '信用修复决定书' });
    expect(doc.sha256).toBe(sha256(doc.html));
    expect(headings(doc)).toEqual(['申请情况', '审核意见', '决定', '救济途径']);
    expect(doc.html).toContain('你单位于2027年12月1日提出信用修复申请（案件编号：REP-2027-0003）');
    // An organisation's code is public registration data and printed in full.
    expect(doc.html).toContain(`统一社会信用代码：${ORG_ID}`);
  });

  test('approve a record: publicity ends within N working days, the record stays in the own history, the platform is told', () => {
    const h = section(doc, '决定');
    expect(h).toContain('决定结果：准予信用修复。');
    expect(h).toContain('自本决定作出之日起3个工作日内停止公示该信息');
    expect(h).toContain('该信息仍保留在你单位的信用记录中');
    expect(h).toContain('告知市公共信用信息共享平台');
    expect(doc.fields).toMatchObject({
      outcome: { code: 'approve', label: '准予信用修复' },
      target: { kind: 'record', recordId: 'REC-2026-0042' },
      effectsWithinWorkingDays: 3,
      decidedOn: '2027-12-18',
    });
    expect(renderRepairDecision(repair({ effectsWithinWorkingDays: undefined })).html).toContain('依照有关规定及时停止公示该信息');
  });

  test('approve a listing: removed early, outcome 信用修复, measures stop', () => {
    const d = renderRepairDecision(repair({ target: LISTING_TARGET }));
    expect(d.html).toContain('<tr><th scope="row">认定决定书文号</th><td>张市监信认〔2026〕3号</td></tr>');
    expect(d.html).toContain('<tr><th scope="row">列入期限</th><td>2026年12月17日至2029年12月16日</td></tr>');
    expect(d.html).toContain('你单位提前移出严重失信主体名单，移出方式为“信用修复”');
    expect(d.html).toContain('失信惩戒措施同时停止实施');
    expect(d.html).toContain('告知市公共信用信息共享平台');
    expect(d.fields).toMatchObject({
      target: { kind: 'listing', listingCaseId: 'LST-2026-0001', listedFrom: '2026-12-17', listedUntil: '2029-12-16' },
    });
  });

  test('reject: reasons and the date from which a new application may be made', () => {
    const d = renderRepairDecision(
      repair({
        outcome: 'reject',
        reasons: '申请人尚未缴清罚款。',
        reapplyAfter: '2028-06-18',
        effectsWithinWorkingDays: undefined,
      }),
    );
    expect(headings(d)).toEqual(['申请情况', '不予信用修复的理由', '决定', '重新申请', '救济途径']);
    expect(d.html).toContain('决定结果：不予信用修复。');
    expect(section(d, '不予信用修复的理由')).toContain('申请人尚未缴清罚款。');
    expect(section(d, '重新申请')).toContain('你单位可以自2028年6月18日起重新提出信用修复申请。');
    expect(d.html).not.toContain('停止公示');
    expect(d.fields).toMatchObject({ outcome: { code: 'reject' }, reapplyAfter: '2028-06-18' });
  });

  test('decline (不予受理): not eligible, with reasons; a reapply date is optional', () => {
    const d = renderRepairDecision(
      repair({
        outcome: 'decline',
        target: LISTING_TARGET,
        reasons: '列入未满1年，不符合申请条件。',
        effectsWithinWorkingDays: undefined,
      }),
    );
    expect(headings(d)).toEqual(['申请情况', '不予受理的理由', '决定', '救济途径']);
    expect(d.html).toContain('决定结果：不予受理。');
    expect(d.html).toContain('不符合受理条件');
    expect(d.html).toContain('列入未满1年');
    const dated = renderRepairDecision(
      repair({
        outcome: 'decline',
        target: LISTING_TARGET,
        reasons: '列入未满1年。',
        reapplyAfter: '2027-12-17',
        effectsWithinWorkingDays: undefined,
        decidedOn: '2027-12-10',
        issuedAt: '2027-12-10',
      }),
    );
    expect(dated.html).toContain('可以自2027年12月17日起重新提出信用修复申请');
  });

  test('every outcome label appears; remedies are generic', () => {
    for (const outcome of repairOutcomes) {
      const d = renderRepairDecision(
        repair({
          outcome,
          reapplyAfter: outcome === 'reject' ? '2028-06-18' : undefined,
          effectsWithinWorkingDays: outcome === 'approve' ? 3 : undefined,
        }),
      );
      expect(d.html).toContain(`决定结果：${REPAIR_OUTCOME_LABELS[outcome]}。`);
      expect(section(d, '救济途径')).toContain('可以依法申请行政复议或者提起行政诉讼');
    }
  });

  test('a natural person: ID number masked; free text escaped', () => {
    const d = renderRepairDecision(
      repair({ subject: PERSON, reasons: EVIL, target: { ...repair().target, type: '<b>类型</b>' } as never }),
    );
    expect(d.html).not.toContain(PERSON_ID);
    expect(d.html).toContain(`公民身份号码：${MASKED_PERSON_ID}`);
    expect(JSON.stringify(d.fields)).not.toContain(PERSON_ID);
    expect(d.html).toContain('你于2027年12月1日');
    expect(d.html).not.toMatch(/<script|<b>/);
    expect(d.html).toContain(EVIL_ESCAPED);
  });

  test('deterministic', () => {
    const again = renderRepairDecision(repair());
    expect(again.html).toBe(doc.html);
    expect(again.sha256).toBe(doc.sha256);
    expect(renderRepairDecision(repair({ effectsWithinWorkingDays: 5 })).sha256).not.toBe(doc.sha256);
  });

  test('refuses bad input', () => {
    const noEffects = { effectsWithinWorkingDays: undefined };
    expect(() => renderRepairDecision(repair({ outcome: 'reject', ...noEffects }))).toThrow(/reapplyAfter is required/);
    expect(() => renderRepairDecision(repair({ outcome: 'reject', reapplyAfter: '2027-12-18', ...noEffects }))).toThrow(
      /must be after decidedOn/,
    );
    expect(() => renderRepairDecision(repair({ outcome: 'reject', reapplyAfter: '2028-02-30', ...noEffects }))).toThrow(RangeError);
    expect(() => renderRepairDecision(repair({ reapplyAfter: '2028-06-18' }))).toThrow(/not approve/);
    expect(() => renderRepairDecision(repair({ outcome: 'decline', effectsWithinWorkingDays: 3 }))).toThrow(/approve only/);
    expect(() => renderRepairDecision(repair({ effectsWithinWorkingDays: 0 }))).toThrow(RangeError);
    expect(() => renderRepairDecision(repair({ effectsWithinWorkingDays: 2.5 }))).toThrow(RangeError);
    // Early removal of a listing that already ended is not a repair.
    expect(() => renderRepairDecision(repair({ target: { ...LISTING_TARGET, listedUntil: '2027-12-17' } }))).toThrow(
      /nothing to remove early/,
    );
    expect(() => renderRepairDecision(repair({ target: { ...LISTING_TARGET, listedFrom: '2030-01-01' } }))).toThrow(/listedUntil/);
    expect(() => renderRepairDecision(repair({ target: { kind: 'penalty' } as never }))).toThrow(/unknown target kind/);
    expect(() => renderRepairDecision(repair({ target: { ...repair().target, recordId: '' } as never }))).toThrow(/target.recordId/);
    expect(() => renderRepairDecision(repair({ outcome: 'grant' as never }))).toThrow(RangeError);
    expect(() => renderRepairDecision(repair({ repair: { caseId: 'REP-OTHER', filedAt: '2027-12-01' } }))).toThrow(/differs from caseId/);
    expect(() => renderRepairDecision(repair({ decidedOn: '2027-11-30' }))).toThrow(/before repair.filedAt/);
    expect(() => renderRepairDecision(repair({ reasons: ' ' }))).toThrow(/reasons/);
  });
});

describe('credit report (信用报告, Art 50)', () => {
  const doc = renderCreditReport(report());

  test('envelope, sections in order, sha256 of the html', () => {
    expect(doc).toMatchObject({
      id: 'doc-rpt-1',
      kind: 'credit_report',
      title: '信用报告',
      issuedAt: '2026-11-29T02:00:00Z',
    });
    expect(doc.sha256).toBe(sha256(doc.html));
    expect(headings(doc)).toEqual(['信用主体基本情况', '报告信息', '基础信息', '失信信息', '其他信息', '严重失信主体名单信息']);
    expect(doc.html).toContain('<p class="doc-number">XYBG-2026-000123</p>');
    expect(doc.html).toContain('<p class="issuer">张掖市公共信用信息中心</p>');
  });

  test('subject basics and report data; the ID number masked', () => {
    const basics = section(doc, '信用主体基本情况');
    expect(basics).toContain('<tr><th scope="row">姓名</th><td>李某</td></tr>');
    expect(basics).toContain('<tr><th scope="row">主体类型</th><td>自然人</td></tr>');
    expect(basics).toContain(`<tr><th scope="row">公民身份号码</th><td>${MASKED_PERSON_ID}</td></tr>`);
    expect(doc.html).not.toContain(PERSON_ID);
    expect(JSON.stringify(doc.fields)).not.toContain(PERSON_ID);
    const info = section(doc, '报告信息');
    expect(info).toContain('<td>2026年11月28日</td>'); // as of
    expect(info).toContain('<td>2026年11月29日 10:00</td>'); // generated, Asia/Shanghai
    expect(info).toContain('免费（2026年度第1次免费获取，每年2次）');
  });

  test('records grouped by category, with their source; the objection mark only where an objection is open', () => {
    const basic = section(doc, '基础信息');
    const dishonesty = section(doc, '失信信息');
    const other = section(doc, '其他信息');
    expect(basic).toContain('食品经营许可证');
    expect(basic).not.toContain('罚款');
    expect(dishonesty).toContain(RECORD.content);
    expect(dishonesty).toContain('拒不履行限期改正决定');
    expect(dishonesty).toContain('<tr><th scope="row">严重程度</th><td>一般</td></tr>');
    expect(dishonesty).toContain('<tr><th scope="row">公示截止日期</th><td>2027年6月1日</td></tr>');
    expect(dishonesty).toContain('<td>张掖市住房和城乡建设局</td>');
    expect(other).toContain('参加社区志愿服务120小时。');
    expect(other).toContain('<td>张掖市民政局</td>');
    // Newest first within a category: REC-D-2 (2026-08-15) before REC-2026-0042 (2026-06-01).
    expect(dishonesty.indexOf('REC-D-2')).toBeLessThan(dishonesty.indexOf('REC-2026-0042'));
    expect(dishonesty).toContain(`（二）行政处罚信息【异议标注：${OBJECTION_MARK}】`);
    expect(doc.html.split(`<tr><th scope="row">异议标注</th><td>${OBJECTION_MARK}</td></tr>`)).toHaveLength(2); // exactly one record marked
    expect(basic + other).not.toContain('异议标注');
    const fields = doc.fields.records as Record<string, { id: string; underObjection: boolean }[]>;
    expect(fields.dishonesty!.map((r) => [r.id, r.underObjection])).toEqual([
      ['REC-D-2', false],
      ['REC-2026-0042', true],
    ]);
  });

  test('listings with category, department, decision, dates and measures', () => {
    const l = section(doc, '严重失信主体名单信息');
    expect(l).toContain('严重危害人民群众身体健康和生命安全的行为');
    expect(l).toContain('第四十五条第一款第（一）项');
    expect(l).toContain('<tr><th scope="row">认定决定书文号</th><td>张市监信认〔2026〕3号</td></tr>');
    expect(l).toContain('<tr><th scope="row">认定部门</th><td>张掖市市场监督管理局</td></tr>');
    expect(l).toContain('<tr><th scope="row">列入期限</th><td>2026年6月20日至2029年6月19日</td></tr>');
    expect(l).toContain('<tr><td>N-04</td><td>限制乘坐飞机</td></tr>');
    expect(l).toContain('<tr><td>C-02</td><td>限制参与政府采购</td></tr>');
  });

  test('footer: disclosed information as of the day; ended publicity not included', () => {
    expect(doc.html).toContain(
      '本报告反映截至2026年11月28日依法披露的该信用主体的社会信用信息；公示期限已届满、已停止公示的信息不在本报告中列示。',
    );
    expect(doc.html).toContain('第五十一条的规定提出异议申请');
  });

  test('a report belongs to no case: caseId may be empty and is not printed', () => {
    expect(doc.html).not.toContain('案件编号：');
    expect(doc.html).toContain('报告编号：XYBG-2026-000123');
    expect(doc.fields.caseId).toBeUndefined();
    expect(() => renderCreditReport(report({ caseId: undefined as never }))).toThrow(TypeError);
    expect(renderCreditReport(report({ caseId: 'QRY-1' })).html).toContain('案件编号：QRY-1');
  });

  test('an empty report still renders, with 无 in every list section', () => {
    const d = renderCreditReport(report({ records: [], listings: [] }));
    expect(d.sha256).toBe(sha256(d.html));
    for (const h of ['基础信息', '失信信息', '其他信息', '严重失信主体名单信息']) expect(section(d, h).trim()).toBe('<p>无。</p>');
    expect(d.html).toContain('本报告反映截至2026年11月28日');
    expect(d.fields).toMatchObject({ records: { basic: [], dishonesty: [], other: [] }, listings: [] });
  });

  test('an organisation: code in full; a charged report says so', () => {
    const d = renderCreditReport(
      report({ subject: ORG, records: [], listings: [], freeOfCharge: false, quota: { used: 2, of: 2, year: 2026 } }),
    );
    expect(section(d, '信用主体基本情况')).toContain(`<tr><th scope="row">统一社会信用代码</th><td>${ORG_ID}</td></tr>`);
    expect(section(d, '信用主体基本情况')).toContain('<td>法人</td>');
    expect(d.html).toContain('收费（2026年度免费次数已使用2次，每年2次）');
    expect(d.html).not.toContain('公民身份号码已作部分隐藏处理');
  });

  test('escapes free text', () => {
    const d = renderCreditReport(
      report({
        subject: { ...PERSON, name: '"><img src=x>' },
        records: [{ ...REPORT_RECORDS[0]!, content: EVIL, type: '<b>类型</b>' }],
        listings: [{ ...report().listings[0]!, measures: [{ code: 'N-04', title: '<i>措施</i>' }] }],
      }),
    );
    expect(d.html).not.toMatch(/<script|<img|<b>|<i>/);
    expect(d.html).toContain(EVIL_ESCAPED);
    expect(d.html).toContain('&lt;i&gt;措施&lt;/i&gt;');
  });

  test('deterministic, independent of the order records are passed in and of the host timezone', () => {
    expect(renderCreditReport(report()).html).toBe(doc.html);
    const shuffled = renderCreditReport(report({ records: [...REPORT_RECORDS].reverse() }));
    expect(shuffled.sha256).toBe(doc.sha256);
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect(renderCreditReport(report()).sha256).toBe(doc.sha256);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    // 16:30 UTC is 00:30 the next day in Shanghai.
    const late = renderCreditReport(report({ generatedAt: '2026-11-28T16:30:00Z', issuedAt: '2026-11-28T16:30:00Z' }));
    expect(late.html).toContain('<td>2026年11月29日 00:30</td>');
    expect(late.sha256).not.toBe(doc.sha256);
  });

  test('refuses bad input', () => {
    const rec = REPORT_RECORDS[1]!;
    const listing = report().listings[0]!;
    expect(() => renderCreditReport(report({ asOf: '2026-11-28T00:00:00Z' }))).toThrow(/asOf must be a date/);
    expect(() => renderCreditReport(report({ generatedAt: '2026-11-29' }))).toThrow(/generatedAt must be an ISO instant/);
    expect(() => renderCreditReport(report({ asOf: '2026-11-30' }))).toThrow(/generatedAt .* is before asOf/);
    // Ended publicity and records decided after the day are not in a report of that day.
    expect(() => renderCreditReport(report({ records: [{ ...rec, publicUntil: '2026-11-27' }] }))).toThrow(/publicity ended/);
    expect(() => renderCreditReport(report({ records: [{ ...rec, decidedOn: '2026-11-29' }] }))).toThrow(
      /asOf .* is before records\[0\].decidedOn/,
    );
    expect(() => renderCreditReport(report({ records: [{ ...REPORT_RECORDS[0]!, severity: 'serious' }] }))).toThrow(
      /dishonesty information only/,
    );
    expect(() => renderCreditReport(report({ records: [{ ...rec, severity: 'grave' as never }] }))).toThrow(/severity/);
    expect(() => renderCreditReport(report({ records: [rec, { ...rec }] }))).toThrow(/appears twice/);
    expect(() => renderCreditReport(report({ records: [{ ...rec, underObjection: undefined as never }] }))).toThrow(TypeError);
    // A listing must be running on the day and carry its measures.
    expect(() => renderCreditReport(report({ listings: [{ ...listing, listedUntil: '2026-11-27' }] }))).toThrow(/not on the list/);
    expect(() => renderCreditReport(report({ listings: [{ ...listing, listedFrom: '2026-12-01', listedUntil: '2029-11-30' }] }))).toThrow(
      /not on the list/,
    );
    expect(() => renderCreditReport(report({ listings: [{ ...listing, measures: [] }] }))).toThrow(/measures/);
    expect(() => renderCreditReport(report({ listings: [{ ...listing, category: 'minor_offence' as never }] }))).toThrow(
      /listing category/,
    );
    // Art 50 quota.
    expect(() => renderCreditReport(report({ quota: { used: 3, of: 2, year: 2026 } }))).toThrow(/within the quota/);
    expect(() => renderCreditReport(report({ quota: { used: 1, of: 2, year: 2025 } }))).toThrow(/quota.year/);
    expect(() => renderCreditReport(report({ freeOfCharge: 'yes' as never }))).toThrow(TypeError);
    expect(() => renderCreditReport(report({ records: undefined as never }))).toThrow(TypeError);
    expect(() => renderCreditReport(report({ reportNumber: '' }))).toThrow(/reportNumber/);
  });
});

test('a complete printable A4 page with no external resources', () => {
  const docs = [renderObjectionResultNotice(objectionWith('correct')), renderRepairDecision(repair()), renderCreditReport(report())];
  for (const d of docs) {
    expect(d.html.startsWith('<!doctype html>\n<html lang="zh-CN">')).toBe(true);
    expect(d.html).toContain(`<title>${d.title}</title>`);
    expect(d.html).toContain(`<h1>${d.title}</h1>`);
    expect(d.html).toContain('size:A4');
    expect(d.html).toContain('（盖章）');
    expect(d.html.trimEnd().endsWith('</html>')).toBe(true);
    expect(d.html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import|https?:/i);
  }
});

describe('repair decision: who decides and on which rules', () => {
  it('names the deciding department as issuer and the agency that received it, and cites the rules in force', () => {
    const doc = renderRepairDecision(repair({ receivedBy: AGENCY }));
    expect(doc.fields).toMatchObject({ department: SAMR, receivedBy: AGENCY });
    expect(doc.html).toContain(`通过${AGENCY.name}（信用修复受理窗口）提出信用修复申请`);
    expect(doc.html).toContain('转本机关审核决定（谁认定、谁修复）');
    expect(doc.html).toContain('《信用修复管理办法》（国家发展和改革委员会令第36号）');
    expect(repealedCitations(doc.html, '2027-12-20')).toEqual([]);
  });

  it('cites Order 58 for a decision made before 2026-04-01', () => {
    const doc = renderRepairDecision(
      repair({
        issuedAt: '2026-03-10T01:00:00Z',
        decidedOn: '2026-03-09',
        repair: { caseId: 'REP-2027-0003', filedAt: '2026-03-01T08:00:00+08:00' },
      }),
    );
    expect(doc.html).toContain('令2023年第58号');
    expect((doc.fields as { basis: { rules: string[] } }).basis.rules).toEqual([
      expect.stringContaining('国办发〔2025〕22号'),
      expect.stringContaining('第58号'),
    ]);
  });
});

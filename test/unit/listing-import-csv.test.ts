import {
  IMPORT_COLUMNS,
  columnOfPath,
  importBodyOf,
  importKeyOf,
  instantOf,
  parseCsv,
  readImportFile,
  sampleCsv,
} from '../../console/listing-import-csv';
import { listingImportBody } from '../../contract/listing';
import { expandDates } from '../../console/date-lists';

describe('parseCsv', () => {
  test('quoted fields keep commas, doubled quotes and line breaks; CRLF and LF both end rows', () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n"line\nbreak",x,\ny,z,w')).toEqual([
      ['a', 'b,c', 'say "hi"'],
      ['line\nbreak', 'x', ''],
      ['y', 'z', 'w'],
    ]);
  });
  test('a BOM is dropped and blank lines are skipped', () => {
    expect(parseCsv('\uFEFF主体类型,主体名称\r\n\r\n法人,某公司\r\n')).toEqual([
      ['主体类型', '主体名称'],
      ['法人', '某公司'],
    ]);
  });
});

describe('readImportFile', () => {
  test('the sample file reads back as one row whose body the API schema accepts', () => {
    const { rows, problems } = readImportFile(sampleCsv());
    expect(problems).toEqual([]);
    expect(rows).toHaveLength(1);
    const parsed = listingImportBody.safeParse(importBodyOf(rows[0]!.cells));
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.subject.kind).toBe('legal_person');
    expect(parsed.data?.measures).toEqual(['N-01', 'N-03']);
    expect(parsed.data?.decisionServedAt).toBe('2025-04-03T10:00:00+08:00');
    expect(parsed.data?.responsiblePersons?.[0]?.role).toBe('legal_representative');
  });
  test('columns in any order, by Chinese header; a missing required column and an unknown one are named', () => {
    const { problems } = readImportFile('主体名称,备注\n某公司,x\n');
    expect(problems[0]).toBe('无法识别的列：备注。');
    expect(problems[1]).toContain('缺少必填列：主体类型、主体代码');
    const reordered = readImportFile(
      `${[...IMPORT_COLUMNS]
        .reverse()
        .map((c) => c.header)
        .join(',')}\n${[...IMPORT_COLUMNS]
        .reverse()
        .map((c) => c.example)
        .join(',')}`,
    );
    expect(reordered.problems).toEqual([]);
    expect(reordered.rows[0]!.cells.subjectName).toBe('张掖市某某食品有限公司');
  });
  test('an empty file and one with headers only are refused as a whole', () => {
    expect(readImportFile('').problems).toEqual(['文件为空：第一行应为列名，其后每行一条认定。']);
    expect(readImportFile(IMPORT_COLUMNS.map((c) => c.header).join(',')).problems).toEqual(['文件中没有数据行。']);
  });
  test('more rows than allowed are refused', () => {
    const head = IMPORT_COLUMNS.map((c) => c.header).join(',');
    expect(readImportFile(`${head}\na\nb\nc`, { maxRows: 2 }).problems).toEqual(['一次最多导入 2 行，文件有 3 行，请分批导入。']);
  });
});

describe('a row as the API body and its key', () => {
  test('category by its title; blanks left out for the API to name', () => {
    const body = importBodyOf({ category: '严重破坏市场公平竞争秩序和社会正常秩序的行为', subjectKind: '非法人组织' });
    expect(body.category).toBe('market_order');
    expect((body.subject as { kind: string; id?: string }).kind).toBe('other_org');
    expect((body.subject as { id?: string }).id).toBeUndefined();
    expect(body.measures).toEqual([]);
  });
  test('Beijing time without offset gets +08:00; an instant with one is kept', () => {
    expect(instantOf('2025-04-03 09:05')).toBe('2025-04-03T09:05:00+08:00');
    expect(instantOf('2025-04-03T09:05:00Z')).toBe('2025-04-03T09:05:00Z');
  });
  test('the key is the decision: the same decision keeps it whatever else changes, another decision changes it', () => {
    const a = { subjectId: '91620702ma7lc0001x', decisionNumber: '张市监认〔2025〕3号', facts: 'x' };
    expect(importKeyOf(a)).toBe(importKeyOf({ ...a, subjectId: '91620702MA7LC0001X', facts: 'y' }));
    expect(importKeyOf(a)).not.toBe(importKeyOf({ ...a, decisionNumber: '张市监认〔2025〕4号' }));
    expect(importKeyOf(a)).toMatch(/^[\w-]{8,100}$/);
  });
});

test("the API's problem paths name the row's columns", () => {
  expect(columnOfPath('body.subject.id')).toBe('subjectId');
  expect(columnOfPath('subject.name')).toBe('subjectName');
  expect(columnOfPath('body.measures.1')).toBe('measures');
  expect(columnOfPath('body.proposedMeasures.0')).toBe('measures');
  expect(columnOfPath('body.basisDocuments.0.issuedOn')).toBe('basisIssuedOn');
  expect(columnOfPath('body.decisionDocument.issuedOn')).toBe('decisionIssuedOn');
  expect(columnOfPath('body.responsiblePersons.0.idNumber')).toBe('repId');
  expect(columnOfPath('body')).toBeUndefined();
});

test('a holiday notice typed as dates and ranges is its days; what is not a date is kept for the API to name', () => {
  expect(expandDates('2027-10-01至2027-10-03\n2027-09-15, 2027-10-02 x')).toEqual([
    '2027-10-01',
    '2027-10-02',
    '2027-10-03',
    '2027-09-15',
    'x',
  ]);
  expect(expandDates('2027-10-03~2027-10-01')).toEqual(['2027-10-03~2027-10-01']);
});

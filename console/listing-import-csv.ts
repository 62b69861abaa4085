/**
 * Listings decided before go-live, many at once from a CSV file (issue 22, supervisors 6): the file read as RFC 4180
 * (quoted fields, doubled quotes, line breaks inside quotes, a BOM, CRLF), its Chinese headers mapped to the body of
 * `POST /v1/imports/listings`, and each row's Idempotency-Key derived from the decision it carries, so the same
 * decision sent again is answered with its first import rather than imported twice. Pure, so it is unit-tested.
 */
import { createHash } from 'node:crypto';
import { makeResidentId, makeUscc } from '../domain/identity';
import { listingCategories } from '../domain/reference-data';

/** The file's columns: header, what it holds, whether it is needed, an example (the page documents them from this). */
export const IMPORT_COLUMNS = [
  { key: 'subjectKind', header: '主体类型', help: '法人、非法人组织或自然人', required: true, example: '法人' },
  { key: 'subjectId', header: '主体代码', help: '统一社会信用代码或身份证号码', required: true, example: makeUscc('91620702MA7LC0001') },
  { key: 'subjectName', header: '主体名称', help: '', required: true, example: '张掖市某某食品有限公司' },
  {
    key: 'category',
    header: '认定类别',
    help: '条例第四十五条的类别：名称或代码（如 health_safety）',
    required: true,
    example: 'health_safety',
  },
  { key: 'facts', header: '失信事实', help: '', required: true, example: '生产销售不符合食品安全标准的食品，情节严重。' },
  { key: 'basisTitle', header: '依据文书名称', help: '据以认定的具有法律效力的文书', required: true, example: '行政处罚决定书' },
  { key: 'basisNumber', header: '依据文书编号', help: '', required: true, example: '张市监罚〔2025〕18号' },
  { key: 'basisIssuedOn', header: '依据文书日期', help: 'YYYY-MM-DD', required: true, example: '2025-03-02' },
  { key: 'measures', header: '惩戒措施', help: '措施编号，多个以分号或顿号分隔', required: true, example: 'N-01；N-03' },
  { key: 'decisionNumber', header: '认定决定书编号', help: '每份决定只导入一次', required: true, example: '张市监认〔2025〕3号' },
  { key: 'decisionIssuedOn', header: '认定决定日期', help: 'YYYY-MM-DD', required: true, example: '2025-04-01' },
  {
    key: 'decisionServedAt',
    header: '决定送达时间',
    help: '北京时间 YYYY-MM-DD HH:mm（或带时区的 RFC 3339 时间）',
    required: true,
    example: '2025-04-03 10:00',
  },
  { key: 'listingYears', header: '列入期限（年）', help: '空则按认定部门的默认期限', required: false, example: '3' },
  { key: 'department', header: '认定部门代码', help: '空则为导入人员所在部门', required: false, example: 'ZY-SAMR' },
  { key: 'repName', header: '法定代表人姓名', help: '法人、非法人组织填写（第四十八条）', required: false, example: '王某' },
  { key: 'repId', header: '法定代表人身份证号码', help: '', required: false, example: makeResidentId('620702', '19850315', '021') },
] as const;

export type ColumnKey = (typeof IMPORT_COLUMNS)[number]['key'];

/** The file's cells, row by row, as RFC 4180 reads them; a BOM is dropped and blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(cell);
    cell = '';
    if (row.some((c) => c.trim() !== '')) rows.push(row);
    row = [];
  };
  while (i < s.length) {
    const ch = s.charAt(i);
    if (quoted) {
      if (ch === '"' && s.charAt(i + 1) === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      if (ch === '\r' && s.charAt(i + 1) === '\n') i += 1;
    } else cell += ch;
    i += 1;
  }
  if (cell !== '' || row.length) endRow();
  return rows;
}

/** One row of the file as read: its line among the data rows (1 = the first after the headers), its cells by column. */
export interface ImportRow {
  line: number;
  cells: Partial<Record<ColumnKey, string>>;
}

export interface ReadFile {
  rows: ImportRow[];
  /** What is wrong with the file as a whole (a missing column, no rows): nothing of it is imported. */
  problems: string[];
}

const byHeader = new Map<string, ColumnKey>(IMPORT_COLUMNS.flatMap((c) => [[c.header, c.key] as const, [c.key, c.key] as const]));

/** The rows of a file under its headers: columns by their Chinese header (or key), in any order; unknown columns are named. */
export function readImportFile(text: string, { maxRows = 500 }: { maxRows?: number } = {}): ReadFile {
  const [head, ...data] = parseCsv(text);
  if (!head) return { rows: [], problems: ['文件为空：第一行应为列名，其后每行一条认定。'] };
  const keys = head.map((h) => byHeader.get(h.trim()));
  const problems: string[] = [];
  const unknown = head.filter((_, i) => !keys[i]).map((h) => h.trim());
  if (unknown.length) problems.push(`无法识别的列：${unknown.join('、')}。`);
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !keys.includes(c.key)).map((c) => c.header);
  if (missing.length) problems.push(`缺少必填列：${missing.join('、')}。`);
  if (!data.length) problems.push('文件中没有数据行。');
  if (data.length > maxRows) problems.push(`一次最多导入 ${maxRows} 行，文件有 ${data.length} 行，请分批导入。`);
  const rows = data.map((cells, i) => {
    const row: Partial<Record<ColumnKey, string>> = {};
    cells.forEach((c, j) => {
      const key = keys[j];
      if (key) row[key] = c.trim();
    });
    return { line: i + 1, cells: row };
  });
  return { rows, problems };
}

const KIND: Record<string, string> = { 法人: 'legal_person', 非法人组织: 'other_org', 自然人: 'natural_person' };

function categoryOf(v: string): string {
  const c = listingCategories.find((x) => x.code === v || x.title === v);
  return c?.code ?? v;
}

/** `2025-04-03 10:00` (Beijing) or an RFC 3339 instant as the API takes it; anything else as typed, for the API to refuse. */
export function instantOf(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(v);
  return m ? `${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00` : v;
}

/** The body of `POST /v1/imports/listings` a row stands for; blanks left out, so the API's schema says what is missing. */
export function importBodyOf(cells: Partial<Record<ColumnKey, string>>): Record<string, unknown> {
  const v = (k: ColumnKey) => cells[k]?.trim() || undefined;
  const kind = v('subjectKind');
  const years = v('listingYears');
  const repName = v('repName');
  const repId = v('repId');
  return {
    subject: { kind: kind ? (KIND[kind] ?? kind) : undefined, id: v('subjectId'), name: v('subjectName') },
    category: v('category') ? categoryOf(v('category') ?? '') : undefined,
    facts: v('facts'),
    basisDocuments: [{ title: v('basisTitle'), number: v('basisNumber'), issuedOn: v('basisIssuedOn') }],
    measures: (v('measures') ?? '')
      .split(/[;；、,，\s]+/)
      .map((m) => m.trim())
      .filter(Boolean),
    decisionDocument: { number: v('decisionNumber'), issuedOn: v('decisionIssuedOn') },
    decisionServedAt: v('decisionServedAt') ? instantOf(v('decisionServedAt') ?? '') : undefined,
    ...(years ? { listingPeriod: { years: /^\d+$/.test(years) ? Number(years) : years } } : {}),
    ...(v('department') ? { department: v('department') } : {}),
    ...(repName || repId ? { responsiblePersons: [{ role: 'legal_representative', name: repName, idNumber: repId }] } : {}),
  };
}

/**
 * The Idempotency-Key of a row: the decision it imports (department, subject, decision number), so the same decision
 * uploaded again is the API's replay of its first import, and a changed row for it a 422 rather than a second listing.
 */
export function importKeyOf(cells: Partial<Record<ColumnKey, string>>): string {
  const norm = (k: ColumnKey) => (cells[k] ?? '').trim().toUpperCase();
  const digest = createHash('sha256')
    .update([norm('department'), norm('subjectId'), norm('decisionNumber')].join('\u0000'))
    .digest('hex');
  return `listing-import-${digest.slice(0, 40)}`;
}

/** The sample file offered for download: the headers and one example row, with a BOM so spreadsheet programs read it as UTF-8. */
export function sampleCsv(): string {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `\uFEFF${IMPORT_COLUMNS.map((c) => quote(c.header)).join(',')}\r\n${IMPORT_COLUMNS.map((c) => quote(c.example)).join(',')}\r\n`;
}

const PATH_COLUMN: [RegExp, ColumnKey][] = [
  [/^subject\.kind/, 'subjectKind'],
  [/^subject\.id/, 'subjectId'],
  [/^subject(\.name)?$/, 'subjectName'],
  [/^category/, 'category'],
  [/^facts/, 'facts'],
  [/^basisDocuments(\.0)?\.title/, 'basisTitle'],
  [/^basisDocuments(\.0)?\.number/, 'basisNumber'],
  [/^basisDocuments(\.0)?(\.issuedOn)?/, 'basisIssuedOn'],
  [/^(measures|proposedMeasures)/, 'measures'],
  [/^decisionDocument\.number/, 'decisionNumber'],
  [/^decisionDocument/, 'decisionIssuedOn'],
  [/^decisionServedAt/, 'decisionServedAt'],
  [/^listingPeriod/, 'listingYears'],
  [/^department/, 'department'],
  [/^responsiblePersons(\.\d+)?\.name/, 'repName'],
  [/^responsiblePersons/, 'repId'],
];

/** The column (and form field) a problem of the API body is about: `body.subject.id` → `subjectId`; none for the whole body. */
export function columnOfPath(path: string): ColumnKey | undefined {
  const p = path.replace(/^body\.?/, '');
  return PATH_COLUMN.find(([re]) => re.test(p))?.[1];
}

/** The header of a column, for a report line. */
export function headerOf(key: ColumnKey): string {
  return IMPORT_COLUMNS.find((c) => c.key === key)?.header ?? key;
}

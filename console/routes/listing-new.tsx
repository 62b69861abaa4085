/**
 * Opening a listing case from the console: the form, the "add another" rows, the check step, and the case opened
 * through `POST /v1/cases` with the form's Idempotency-Key. The form is checked first with the API's own schema and
 * domain rules (in Chinese), so the check step never shows what the API would refuse.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listingCreateBody, type ListingCreateBody } from '../../contract/listing';
import { inLanguage } from '../../contract/problem';
import { listingRuleViolations, policyListingPeriod } from '../../domain/listing-rules';
import { departmentByCode, listingCategories } from '../../domain/reference-data';
import { apiUnavailable, refusalOf, type Problem } from '../api-client';
import { policyOf as policyRead } from '../api-reads';
import { formBody, keptValues, parseZh, type FormValues } from '../form-fields';
import { firstPerField, identityProblemsZh } from '../identity-problems';
import { signedInOfficer, type Officer } from '../guards';
import type { ConsoleKit } from '../kit';
import {
  RESPONSIBLE_ROLE_NAMES,
  SUBJECT_KINDS,
  listingCheckPage,
  listingNewPage,
  type CatalogueMeasure,
  type ListingFormState,
} from '../pages/listing-new';
import { shanghaiDate } from '../time';
import { dateText } from '../ui';
import { formKeyOf } from './records';

const MAX_ROWS = 50;
const FIRST_ROWS = { basis: 2, person: 2 };

type Values = Record<string, string>;

/** How many rows of a group to show: what was shown, at least every row that holds something, one more when asked. */
function rowsOf(values: Values, { group, shown, first, more }: { group: string; shown: unknown; first: number; more: boolean }): number {
  let n = Math.max(first, Number.isInteger(Number(shown)) ? Number(shown) : 0);
  for (const [k, value] of Object.entries(values)) {
    const m = new RegExp(`^${group}\\.(\\d+)\\.`).exec(k);
    if (m && value.trim()) n = Math.max(n, Number(m[1]) + 1);
  }
  return Math.min(MAX_ROWS, n + (more ? 1 : 0));
}

/** The rows that hold something, each with the row of the form it came from (blank rows are left out of the body). */
function rowsOfGroup(values: Values, group: string, rows: number, columns: string[]): { row: Record<string, string>; formRow: number }[] {
  const out: { row: Record<string, string>; formRow: number }[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Object.fromEntries(
      columns.map((c): [string, string] => [c, values[`${group}.${i}.${c}`]?.trim() ?? '']).filter(([, x]) => x),
    );
    if (Object.keys(row).length) out.push({ row, formRow: i });
  }
  return out;
}

interface FormBody {
  body: Record<string, unknown>;
  /** Per repeating group, the form row of each body row, so the API's paths can point at what was typed. */
  formRows: Record<'basisDocuments' | 'responsiblePersons', number[]>;
}

/** The JSON body the form stands for (blanks left out, so the schema says what is missing). */
function bodyOfForm(values: Values, rows: { basis: number; person: number }, measureOrder: string[]): FormBody {
  const v = (k: string) => values[k]?.trim() || undefined;
  const int = (k: string) => {
    const s = v(k);
    return s === undefined ? undefined : /^\d+$/.test(s) ? Number(s) : s;
  };
  const years = int('listingPeriod.years');
  const months = int('listingPeriod.months');
  const documents = rowsOfGroup(values, 'basisDocuments', rows.basis, ['title', 'number', 'issuedOn']);
  const persons = rowsOfGroup(values, 'responsiblePersons', rows.person, ['role', 'name', 'idNumber']);
  return {
    body: {
      procedure: 'listing',
      subject: { kind: v('subject.kind'), id: v('subject.id'), name: v('subject.name') },
      category: v('category'),
      facts: v('facts'),
      basisDocuments: documents.map((d) => d.row),
      proposedMeasures: measureOrder.filter((code) => values[`measure.${code}`] === 'on'),
      ...(persons.length ? { responsiblePersons: persons.map((p) => p.row) } : {}),
      ...(years !== undefined || months !== undefined
        ? { listingPeriod: { ...(years !== undefined ? { years } : {}), ...(months !== undefined ? { months } : {}) } }
        : {}),
    },
    formRows: { basisDocuments: documents.map((d) => d.formRow), responsiblePersons: persons.map((p) => p.formRow) },
  };
}

/** API paths to the form's fields: a measure's index becomes its checkbox, a row's index the form row it was typed in. */
function formPath(path: string, f: FormBody): string {
  const p = path.replace(/^body\./, '');
  const m = /^proposedMeasures\.(\d+)$/.exec(p);
  if (m) return `measure.${(f.body.proposedMeasures as string[])[Number(m[1])] ?? ''}`;
  const r = /^(basisDocuments|responsiblePersons)\.(\d+)(\..*)?$/.exec(p);
  if (r) return `${r[1]}.${f.formRows[r[1] as keyof FormBody['formRows']][Number(r[2])] ?? r[2]}${r[3] ?? ''}`;
  return p;
}

const LABELS: Record<string, string> = {
  subject: '信用主体',
  category: '严重失信行为类别',
  facts: '失信事实',
  basisDocuments: '认定依据文书',
  proposedMeasures: '惩戒措施',
  measure: '惩戒措施',
  listingPeriod: '列入期限',
  responsiblePersons: '责任人员',
};

function periodText(p: { years?: number; months?: number }): string {
  return [p.years ? `${p.years}年` : '', p.months ? `${p.months}个月` : ''].join('') || '—';
}

function answersOf(body: ListingCreateBody, catalogue: CatalogueMeasure[], defaultPeriod: string): [string, string][] {
  const kind = SUBJECT_KINDS.find(([c]) => c === body.subject.kind)?.[1] ?? body.subject.kind;
  const category = listingCategories.find((c) => c.code === body.category);
  const byCode = new Map(catalogue.map((m) => [m.code, m]));
  const answers: [string, string][] = [
    ['信用主体', `${body.subject.name}（${kind}，${body.subject.id}）`],
    ['严重失信行为类别', category ? `${category.title}（${category.article}）` : body.category],
    ['失信事实', body.facts],
    ['认定依据文书', body.basisDocuments.map((d) => `${d.title}（${d.number}，${dateText(d.issuedOn)}）`).join('；')],
    ['拟采取的惩戒措施', body.proposedMeasures.map((c) => `${c} ${byCode.get(c)?.title ?? ''}`).join('；')],
    ['列入期限', body.listingPeriod ? periodText(body.listingPeriod) : `按本部门规定：${defaultPeriod}`],
  ];
  if (body.responsiblePersons?.length) {
    answers.push([
      '责任人员',
      body.responsiblePersons.map((p) => `${RESPONSIBLE_ROLE_NAMES[p.role]} ${p.name}（${p.idNumber}）`).join('；'),
    ]);
  }
  return answers;
}

export function listingRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  async function catalogueOf(user: Officer): Promise<CatalogueMeasure[]> {
    const r = await k.api<{ items: CatalogueMeasure[] }>(user, 'GET', '/v1/catalogue/measures');
    if (r.status !== 200) throw apiUnavailable('catalogue read', r.status);
    return r.body.items;
  }
  async function policyOf(user: Officer) {
    const policy = await policyRead(k.api, user, {
      procedure: 'listing',
      department: user.dept,
      on: shanghaiDate(k.o.clock()),
    });
    const period = policyListingPeriod(policy);
    return { period, text: periodText(period) };
  }
  async function form(
    request: FastifyRequest,
    reply: FastifyReply,
    { user, state, key, status = 200 }: { user: Officer; state: ListingFormState; key: string; status?: number },
  ) {
    const [catalogue, policy] = await Promise.all([catalogueOf(user), policyOf(user)]);
    const dept = departmentByCode(user.dept)?.name ?? user.dept;
    return k.html(
      reply,
      listingNewPage(k.ctxOf(request, reply), { deptName: dept, catalogue, defaultPeriod: policy.text, state, formKey: key }),
      status,
    );
  }

  app.get('/new', { schema: { hide: true } }, async (request, reply) => {
    const user = signedInOfficer(request);
    return form(request, reply, {
      user,
      state: { values: {}, basisRows: FIRST_ROWS.basis, personRows: FIRST_ROWS.person },
      key: randomUUID(),
    });
  });

  app.post('/listing', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const user = signedInOfficer(request);
    const sent: FormValues = request.body;
    const values = keptValues(sent);
    const key = formKeyOf(sent._key);
    const add = sent._add;
    const rows = {
      basis: rowsOf(values, { group: 'basisDocuments', shown: sent._basisRows, first: FIRST_ROWS.basis, more: add === 'basis' }),
      person: rowsOf(values, { group: 'responsiblePersons', shown: sent._personRows, first: FIRST_ROWS.person, more: add === 'person' }),
    };
    const state = (error?: ListingFormState['error']): ListingFormState => ({
      values,
      basisRows: rows.basis,
      personRows: rows.person,
      ...(error ? { error } : {}),
    });
    if (add === 'basis' || add === 'person' || sent._confirm === 'change') return form(request, reply, { user, state: state(), key });

    const [catalogue, policy] = await Promise.all([catalogueOf(user), policyOf(user)]);
    const typed = bodyOfForm(
      values,
      rows,
      catalogue.map((m) => m.code),
    );
    const body = typed.body;
    const fix = (errors: { path: string; message: string }[], status: number, title = '请更正以下内容', detail = '') =>
      form(request, reply, {
        user,
        state: state({
          title,
          detail,
          errors: errors.map((e) => ({
            path: formPath(e.path, typed),
            message: e.message,
            label: LABELS[e.path.replace(/^body\./, '').split('.')[0] ?? ''],
          })),
        }),
        key,
        status,
      });

    const today = shanghaiDate(k.o.clock());
    const { data: parsed, problems } = parseZh(listingCreateBody, body);
    const early = firstPerField([...identityProblemsZh(body, today), ...(problems ?? [])]);
    if (early.length || !parsed) return fix(early, 400);
    if (sent._confirm !== 'yes') {
      // The catalogue as the API gave it to the form: the measures it knows, with how long each may apply.
      const rules = inLanguage(listingRuleViolations(parsed, today, policy.period, catalogue), 'zh');
      if (rules.length) return fix(rules, 422);
      const check = { ...values, _key: key, _basisRows: String(rows.basis), _personRows: String(rows.person) };
      return k.html(reply, listingCheckPage(k.ctxOf(request, reply), check, answersOf(parsed, catalogue, policy.text)));
    }
    const r = await k.api<Problem & { id: string }>(user, 'POST', '/v1/cases', { payload: body, headers: { 'idempotency-key': key } });
    if (r.status === 201 || r.status === 200) return reply.redirect(`/console/cases/${encodeURIComponent(r.body.id)}?done=open`, 303);
    const refused = refusalOf(r, '此案件未能立案');
    return fix(refused.error.errors ?? [], refused.status, refused.error.title, refused.error.detail);
  });
}

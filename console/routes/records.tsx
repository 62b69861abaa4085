/** 报送信用信息: a credit record my department supplies. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordCreateBody } from '../../contract/records';
import { inLanguage } from '../../contract/problem';
import { departmentByCode } from '../../domain/reference-data';
import { publicityOf } from '../../domain/records';
import { recordRuleViolations } from '../../domain/record-rules';
import { refusalOf, type Problem } from '../api-client';
import { policyOf } from '../api-reads';
import { formBody, keptValues, parseZh } from '../form-fields';
import { signedInOfficer, type Officer } from '../guards';
import type { ConsoleKit } from '../kit';
import { recordCheckPage, recordNewPage, type CatalogueOption, type RecordFormState } from '../pages/record-new';
import { recordReviewPage, type PendingRecord, type ReviewState } from '../pages/record-review';
import { firstPerField, identityProblemsZh } from '../identity-problems';
import { shanghaiDate } from '../time';

/** A form's Idempotency-Key as sent back, or a new one when it is missing or malformed. */
export function formKeyOf(sent: unknown): string {
  return typeof sent === 'string' && /^[\w-]{8,100}$/.test(sent) ? sent : randomUUID();
}

/** 是 / 否 of a select as a boolean; anything else is left out, so the schema says the answer is needed. */
function yesNo(v: string | undefined): boolean | undefined {
  return v === 'yes' ? true : v === 'no' ? false : undefined;
}

/** A record's id as the API makes them, and what a reviewer may do with it; anything else is a page that does not exist. */
const decisionParams = z.object({ id: z.string().regex(/^REC-[0-9A-Z-]{1,60}$/), decision: z.enum(['release', 'return']) });

export function recordRoutes(scope: FastifyInstance, k: ConsoleKit): void {
  const app = scope.withTypeProvider<ZodTypeProvider>();
  /** The catalogue items my department may supply, read through the API like everything else. */
  async function catalogueFor(user: Officer): Promise<CatalogueOption[]> {
    const r = await k.api<{ items: CatalogueOption[] }>(user, 'GET', '/v1/catalogue/records');
    if (r.status !== 200) throw new Error(`the catalogue could not be read (${r.status})`);
    return r.body.items.filter(
      (i) => i.recordedBy === 'department' && !i.withdrawnAt && (i.departments.length === 0 || i.departments.includes(user.dept)),
    );
  }

  app.get('/new', { schema: { hide: true } }, async (request, reply) => {
    const user = signedInOfficer(request);
    const catalogue = await catalogueFor(user);
    return k.html(
      reply,
      recordNewPage(k.ctxOf(request, reply), {
        deptName: departmentByCode(user.dept)?.name ?? user.dept,
        catalogue,
        state: { values: {} },
        formKey: randomUUID(),
      }),
    );
  });

  app.post('/', { schema: { hide: true, body: formBody } }, async (request, reply) => {
    const user = signedInOfficer(request);
    const form = request.body;
    const values = keptValues(form);
    const key = formKeyOf(form._key);
    const v = (name: string) => values[name]?.trim() || undefined;
    const catalogue = await catalogueFor(user);
    // The category and whether penalty facts are asked follow from the catalogue item picked (Art 32).
    const item = catalogue.find((i) => i.code === v('type'));
    const body = {
      subject: { kind: v('subject.kind'), id: v('subject.id'), name: v('subject.name') },
      category: item?.category,
      type: v('type'),
      content: v('content'),
      documentNumber: v('documentNumber'),
      decidedOn: v('decidedOn'),
      issuedBy: v('issuedBy'),
      ...(v('severity') ? { severity: v('severity') } : {}),
      ...(item?.penalty
        ? {
            penalty: {
              procedure: v('penalty.procedure'),
              minor: yesNo(v('penalty.minor')),
              remedied: yesNo(v('penalty.remedied')),
            },
          }
        : {}),
    };
    const dept = departmentByCode(user.dept)?.name ?? user.dept;
    const again = (error: RecordFormState['error'], status: number) =>
      k.html(
        reply,
        recordNewPage(k.ctxOf(request, reply), { deptName: dept, catalogue, state: { values, ...(error ? { error } : {}) }, formKey: key }),
        status,
      );
    if (form._confirm === 'change') return again(undefined, 200);

    if (form._confirm !== 'yes') {
      // The API's schema and rules first, so the check step never shows a record the API would refuse.
      const today = shanghaiDate(k.o.clock());
      const { data: parsed, problems: schemaProblems } = parseZh(recordCreateBody, body);
      const problems = firstPerField([
        ...identityProblemsZh(body, today),
        ...(schemaProblems ?? []),
        ...(parsed ? inLanguage(recordRuleViolations(parsed, { today, item, department: user.dept, supplier: user.sub }), 'zh') : []),
      ]);
      if (problems.length || !parsed || !item) return again({ title: '请更正以下内容', detail: '', errors: problems }, 400);
      const policy = await policyOf(k.api, user, { procedure: 'objection', department: user.dept, on: today });
      const publicity = publicityOf(parsed.category, parsed.severity, parsed.decidedOn, policy);
      return k.html(
        reply,
        recordCheckPage(k.ctxOf(request, reply), {
          deptName: dept,
          values: { ...values, _key: key },
          record: parsed,
          item,
          publicity: publicity.explanation,
        }),
      );
    }

    const r = await k.api<Problem & { id: string; disclosure: string }>(user, 'POST', '/v1/records', {
      payload: body,
      headers: { 'idempotency-key': key },
    });
    // Created: a fresh form (with a new key) under the notice; refused: the form again as typed, with the reasons.
    if (r.status === 201 || r.status === 200) {
      return k.html(
        reply,
        recordNewPage(k.ctxOf(request, reply), {
          deptName: dept,
          catalogue,
          state: { values: {}, created: { id: r.body.id, disclosure: r.body.disclosure } },
          formKey: randomUUID(),
        }),
      );
    }
    const refused = refusalOf(r, '请更正以下内容');
    return again(refused.error, refused.status);
  });

  /** 审核信用信息: the department's records awaiting review; each released or returned through the API (Art 36). */
  async function reviewPage(
    request: FastifyRequest,
    reply: FastifyReply,
    { user, state, status = 200 }: { user: Officer; state: ReviewState; status?: number },
  ) {
    const r = await k.api<{ items: PendingRecord[] }>(user, 'GET', '/v1/records/pending-review?limit=100');
    if (r.status !== 200) throw new Error(`the records awaiting review could not be read (${r.status})`);
    return k.html(reply, recordReviewPage(k.ctxOf(request, reply), user.sub, r.body.items, state), status);
  }

  app.get('/review', { schema: { hide: true } }, async (request, reply) => {
    return reviewPage(request, reply, { user: signedInOfficer(request), state: {} });
  });

  app.post(
    '/:id/:decision',
    {
      schema: { hide: true, params: decisionParams, body: formBody },
      config: { notFound: { title: '未找到', text: '没有这条信用信息。' } },
    },
    async (request, reply) => {
      const user = signedInOfficer(request);
      const { id, decision } = request.params;
      const form = request.body;
      const payload = decision === 'return' ? { reasons: typeof form.reasons === 'string' ? form.reasons : '' } : undefined;
      const r = await k.api<Problem>(user, 'POST', `/v1/records/${id}/${decision}`, { payload });
      if (r.status === 200) return reviewPage(request, reply, { user, state: { done: { id, decision } } });
      const refused = refusalOf(r, decision === 'release' ? '未能发布' : '未能退回');
      // The field errors name the API's body; on this page they read as the reasons of the form.
      const detail = [refused.error.detail, ...(refused.error.errors ?? []).map((e) => `退回理由：${e.message}`)].filter(Boolean).join(' ');
      return reviewPage(request, reply, { user, state: { error: { title: refused.error.title, detail } }, status: refused.status });
    },
  );
}

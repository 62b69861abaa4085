/**
 * The web console under /console: pages rendered on the server (preact, escaping by default), htmx from npm for
 * quicker partial updates, everything served by this app (government intranets are offline). Pages work without
 * JavaScript. Every read and action goes through the API as the signed-in user (api-client.ts).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { verifyJwt } from '../api/jwt';
import { claimsSchema, type Principal } from '../api/plugins/auth';
import type { Db } from '../db/client';
import { PROCEDURE_ACTIONS } from '../api/case-actions';
import { shanghaiDate } from '../api/case-ids';
import { loadCalendar } from '../db/calendar-store';
import { workingDaysLeft, type WorkbenchItem } from '../api/workbench';
import type { CaseView, Procedure } from '../workflows/common/case-types';
import { apiClient, type Problem } from './api-client';
import { bodyOf, fieldsOf, keptValues, type FormValues } from './form-fields';
import { FIELD, STATE, label } from './labels';
import { casePage, checkPage, type ActionOffer, type FormState } from './pages/case';
import { queuesPage } from './pages/queues';
import { recordNewPage } from './pages/record-new';
import { departmentByCode } from '../domain/reference-data';
import { DEV_IDENTITIES, signInPage } from './pages/sign-in';
import { workbenchPage } from './pages/workbench';
import { csrfSecret, csrfToken, csrfValid, endSession, sessionOf, startSession } from './session';
import { answerText, page, type PageContext } from './ui';

export interface ConsoleOptions {
  db: Db;
  jwtSecret: string;
  devSignIn: boolean;
  secureCookies: boolean;
  clock: () => Date;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
// A document is the printable page it was issued as, with its own inline print style; it runs no script.
const DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const ASSETS: Record<string, { file: string; type: string }> = {
  'console.css': { file: join(__dirname, 'assets', 'console.css'), type: 'text/css; charset=utf-8' },
  'htmx.min.js': { file: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
};

declare module 'fastify' {
  interface FastifyRequest {
    consoleUser?: Principal | null;
  }
}

const TITLES: Record<string, string> = {
  open: '立案',
  import_listed: '导入列入决定',
  import_expired: '导入（已届满）',
  statement_window_lapsed: '陈述申辩期限届满',
  deadline_lapsed: '期限届满',
  deadline_breached: '期限超期',
  deadline_blocked: '期限暂无法计算',
  deadline_unblocked: '期限恢复计算',
  deadlines_recomputed: '期限按节假日安排重算',
  effects_applied: '修复决定已执行',
  remove: '移出名单',
};

function actionTitle(procedure: string, action: string): string {
  return PROCEDURE_ACTIONS[procedure as Procedure]?.actions[action]?.title ?? TITLES[action] ?? action;
}

/** The form of each action definition, derived once (a JSON Schema walk) rather than on every page. */
const forms = new WeakMap<object, ReturnType<typeof fieldsOf>>();
function formOf(def: Parameters<typeof fieldsOf>[0]): ReturnType<typeof fieldsOf> {
  let f = forms.get(def);
  if (!f) forms.set(def, (f = fieldsOf(def)));
  return f;
}

export async function consolePlugin(app: FastifyInstance, o: ConsoleOptions): Promise<void> {
  const cookies = { secure: o.secureCookies };
  const api = apiClient(app, o.jwtSecret);
  await app.register(formbody);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cache-control', 'no-store');
    request.consoleUser = await sessionOf(o.db, request, o.clock());
  });
  // Every form post carries the CSRF token, except the token handover, which the bearer token itself authenticates.
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.url === '/console/session') return;
    const sent = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (!csrfValid(o.jwtSecret, request, sent)) {
      await reply.code(403).type('text/html; charset=utf-8').send(page('请求已失效', ctxOf(request, reply), <p>页面已过期或请求来源不明，请返回上一页刷新后重试。</p>));
    }
  });
  app.setErrorHandler(async (err, request, reply) => {
    request.log.error({ err }, 'console page failed');
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    const busy = status >= 500;
    if (busy) reply.header('retry-after', '5');
    return reply.code(busy ? 503 : status).type('text/html; charset=utf-8').send(page(busy ? '系统暂时无法处理' : '请求有误', ctxOf(request, reply), <p>{busy ? '系统的某个组件暂时不可用，请稍后重试；已填写的内容不会丢失，请使用浏览器的返回键。' : '请求的格式不正确。'}</p>));
  });
  app.setNotFoundHandler(async (request, reply) => reply.code(404).type('text/html; charset=utf-8').send(page('页面不存在', ctxOf(request, reply), <p><a href="/console">返回工作台</a></p>)));

  function ctxOf(request: FastifyRequest, reply: FastifyReply): PageContext {
    return { user: request.consoleUser ?? null, csrf: csrfToken(o.jwtSecret, csrfSecret(request, reply, cookies)), path: request.url.split('?')[0]! };
  }
  const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').send(body);
  /** The signed-in user, or a redirect to sign in. */
  function userOr(request: FastifyRequest, reply: FastifyReply): Principal | null {
    if (!request.consoleUser) {
      void reply.redirect('/console/sign-in', 303);
      return null;
    }
    return request.consoleUser;
  }
  const today = () => shanghaiDate(o.clock());

  app.get('/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const a = ASSETS[(request.params as { name: string }).name];
    if (!a) return reply.callNotFound();
    reply.header('cache-control', 'public, max-age=3600');
    return reply.type(a.type).send(readFileSync(a.file));
  });

  app.get('/sign-in', { schema: { hide: true } }, async (request, reply) => html(reply, signInPage(ctxOf(request, reply), { devSignIn: o.devSignIn })));

  app.post('/sign-in/dev', { schema: { hide: true } }, async (request, reply) => {
    const i = Number((request.body as Record<string, string>).identity);
    const identity = o.devSignIn ? DEV_IDENTITIES[i] : undefined;
    if (!identity) return html(reply, signInPage(ctxOf(request, reply), { devSignIn: o.devSignIn, message: '请选择开发身份。' }), 400);
    await startSession(o.db, reply, identity.claims, 'dev', cookies, o.clock());
    return reply.redirect('/console', 303);
  });

  // A portal that signed the user in already hands over an API bearer token (form field `token`) for a session.
  app.post('/session', { schema: { hide: true } }, async (request, reply) => {
    const token = (request.body as Record<string, unknown> | undefined)?.token;
    let claims: Principal | null = null;
    try {
      const parsed = typeof token === 'string' ? claimsSchema.safeParse(verifyJwt(token, o.jwtSecret)) : null;
      claims = parsed?.success ? parsed.data : null;
    } catch {
      claims = null;
    }
    if (!claims) return html(reply, signInPage(ctxOf(request, reply), { devSignIn: o.devSignIn, message: '登录凭证无效或已过期，请重新登录。' }), 401);
    await startSession(o.db, reply, claims, 'token', cookies, o.clock());
    return reply.redirect('/console', 303);
  });

  app.post('/sign-out', { schema: { hide: true } }, async (request, reply) => {
    await endSession(o.db, request, reply, cookies, o.clock());
    request.consoleUser = null;
    return html(reply, signInPage(ctxOf(request, reply), { devSignIn: o.devSignIn, message: '您已退出登录。' }));
  });

  async function workbenchData(user: Principal, q: Record<string, string | undefined>) {
    const params = new URLSearchParams();
    for (const k of ['procedure', 'state', 'due', 'q'] as const) if (q[k]) params.set(k, q[k]!);
    params.set('limit', '100');
    const r = await api<{ items: WorkbenchItem[]; total: number }>(user, 'GET', `/v1/workbench?${params}`);
    return r.status === 200 ? r.body : { items: [], total: 0 };
  }

  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const user = userOr(request, reply);
    if (!user) return reply;
    if (user.role !== 'officer') return html(reply, page('工作台', ctxOf(request, reply), <p>审核人员与信用主体的页面将在后续版本提供；请使用 API。</p>));
    const q = request.query as Record<string, string | undefined>;
    const now = o.clock();
    return html(reply, workbenchPage(ctxOf(request, reply), q, await workbenchData(user, q), now, shanghaiDate(now), actionTitle));
  });

  app.get('/queues', { schema: { hide: true } }, async (request, reply) => {
    const user = userOr(request, reply);
    if (!user) return reply;
    if (user.role !== 'officer') return reply.redirect('/console', 303);
    const [objections, repairs] = await Promise.all([workbenchData(user, { procedure: 'objection' }), workbenchData(user, { procedure: 'repair' })]);
    const now = o.clock();
    return html(reply, queuesPage(ctxOf(request, reply), user.dept, { objections: objections.items, repairs: repairs.items }, now, shanghaiDate(now)));
  });

  /** What the user could do in the case now, and why not for the rest (from the case's allowed actions and the definitions). */
  function offersFor(user: Principal, c: CaseView): ActionOffer[] {
    const defs = PROCEDURE_ACTIONS[c.procedure]?.actions ?? {};
    return Object.entries(defs)
      .filter(([, def]) => def.roles.includes(user.role))
      .map(([name, def]) => ({
        name,
        def,
        fields: formOf(def),
        unavailable: c.closed ? '案件已办结' : c.allowedActions.includes(name) ? null : `案件当前为“${label(STATE, c.state)}”，此时不能办理`,
      }));
  }

  async function renderCase(request: FastifyRequest, reply: FastifyReply, user: Principal, id: string, extra: { form?: FormState; done?: string; status?: number } = {}) {
    const r = await api<CaseView>(user, 'GET', `/v1/cases/${encodeURIComponent(id)}`);
    if (r.status === 404 || r.status === 400) return html(reply, page('案件不存在', ctxOf(request, reply), <p>没有这个案件，或您无权查看。<a href="/console">返回工作台</a></p>), 404);
    if (r.status !== 200) throw Object.assign(new Error(`case read answered ${r.status}`), { statusCode: 503 });
    const now = o.clock();
    const today = shanghaiDate(now);
    // Working days left, for the tags of the periods still running.
    const calendar = r.body.deadlines.some((d) => d.status === 'open') ? await loadCalendar(o.db) : null;
    const view: CaseView = {
      ...r.body,
      deadlines: r.body.deadlines.map((d) => (d.status === 'open' && calendar ? { ...d, workingDaysLeft: workingDaysLeft(calendar, today, d.dueDate) } : d)),
    };
    return html(
      reply,
      casePage(ctxOf(request, reply), view, offersFor(user, r.body), {
        now,
        today,
        ...(extra.form ? { form: extra.form } : {}),
        ...(extra.done ? { done: extra.done } : {}),
        formKey: () => randomUUID(),
        actionTitle: (a) => actionTitle(r.body.procedure, a),
      }),
      extra.status ?? 200,
    );
  }

  app.get('/cases/:id', { schema: { hide: true } }, async (request, reply) => {
    const user = userOr(request, reply);
    if (!user) return reply;
    const done = (request.query as { done?: string }).done;
    return renderCase(request, reply, user, (request.params as { id: string }).id, done ? { done } : {});
  });

  app.post('/cases/:id/actions/:action', { schema: { hide: true } }, async (request, reply) => {
    const user = userOr(request, reply);
    if (!user) return reply;
    const { id, action } = request.params as { id: string; action: string };
    const form = (request.body ?? {}) as FormValues;
    const values = keptValues(form);
    values._key = typeof form._key === 'string' && /^[\w-]{8,100}$/.test(form._key) ? form._key : randomUUID();
    const c = await api<CaseView>(user, 'GET', `/v1/cases/${encodeURIComponent(id)}`);
    if (c.status !== 200) return renderCase(request, reply, user, id);
    const offer = offersFor(user, c.body).find((x) => x.name === action);
    if (!offer) return renderCase(request, reply, user, id, { status: 404 });
    const confirm = form._confirm;
    if (confirm === 'change') return renderCase(request, reply, user, id, { form: { action, values } });
    const body = bodyOf(offer.fields, form);
    if (offer.def.significant && confirm !== 'yes') {
      // Check the body before the check step, so what cannot be taken is said on the form, not after confirming.
      const parsed = offer.def.body.safeParse(body);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        return renderCase(request, reply, user, id, { form: { action, values, error: { title: '请更正以下内容', detail: '', errors } }, status: 400 });
      }
      const answers = offer.fields.map((f): [string, string] => [label(FIELD, f.name), answerText(f, values)]);
      return html(reply, checkPage(ctxOf(request, reply), c.body, offer, values, answers));
    }
    const r = await api<Problem>(user, 'POST', `/v1/cases/${encodeURIComponent(id)}/actions/${action}`, body, { 'idempotency-key': values._key });
    if (r.status === 200) return reply.redirect(`/console/cases/${encodeURIComponent(id)}?done=${encodeURIComponent(action)}`, 303);
    const p = r.body;
    const title = r.status === 409 ? '此事项未能办理' : r.status === 403 ? '您无权办理此事项' : r.status === 503 ? '系统暂时无法处理，请稍后重试' : '请更正以下内容';
    return renderCase(request, reply, user, id, {
      form: { action, values, error: { title, detail: p?.detail ?? '', ...(p?.errors ? { errors: p.errors } : {}) } },
      status: r.status >= 500 ? 503 : r.status,
    });
  });

  app.get('/records/new', { schema: { hide: true } }, async (request, reply) => {
    const user = userOr(request, reply);
    if (!user) return reply;
    if (user.role !== 'officer') return reply.redirect('/console', 303);
    return html(reply, recordNewPage(ctxOf(request, reply), departmentByCode(user.dept)?.name ?? user.dept, { values: {} }, randomUUID()));
  });

  app.post('/records', { schema: { hide: true } }, async (request, reply) => {
    const user = userOr(request, reply);
    if (!user) return reply;
    if (user.role !== 'officer') return reply.redirect('/console', 303);
    const values = keptValues((request.body ?? {}) as FormValues);
    const key = values._key && /^[\w-]{8,100}$/.test(values._key) ? values._key : randomUUID();
    const v = (k: string) => values[k]?.trim() || undefined;
    const body = {
      subject: { kind: v('subject.kind'), id: v('subject.id'), name: v('subject.name') },
      category: v('category'),
      type: v('type'),
      content: v('content'),
      documentNumber: v('documentNumber'),
      decidedOn: v('decidedOn'),
      ...(v('severity') ? { severity: v('severity') } : {}),
    };
    const r = await api<Problem & { id: string }>(user, 'POST', '/v1/records', body, { 'idempotency-key': key });
    const dept = departmentByCode(user.dept)?.name ?? user.dept;
    // Created: a fresh form (with a new key) under the notice; refused: the form again as typed, with the reasons.
    if (r.status === 201 || r.status === 200) return html(reply, recordNewPage(ctxOf(request, reply), dept, { values: {}, created: { id: r.body.id } }, randomUUID()));
    const error = { title: r.status >= 500 ? '系统暂时无法处理，请稍后重试' : '请更正以下内容', detail: r.body?.detail ?? '', ...(r.body?.errors ? { errors: r.body.errors } : {}) };
    return html(reply, recordNewPage(ctxOf(request, reply), dept, { values: { ...values, _key: key }, error }, key), r.status >= 500 ? 503 : r.status);
  });

  app.get('/cases/:id/documents/:documentId', { schema: { hide: true } }, async (request, reply) => {
    const user = userOr(request, reply);
    if (!user) return reply;
    const { id, documentId } = request.params as { id: string; documentId: string };
    const r = await api<{ html: string }>(user, 'GET', `/v1/cases/${encodeURIComponent(id)}/documents/${encodeURIComponent(documentId)}`);
    if (r.status !== 200) return html(reply, page('文书不存在', ctxOf(request, reply), <p>没有这份文书，或您无权查看。</p>), 404);
    reply.header('content-security-policy', DOCUMENT_CSP);
    return html(reply, r.body.html);
  });
}

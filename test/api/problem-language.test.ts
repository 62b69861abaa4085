import { startSystem, type System } from '../support/system';
import { listingBody, OFFICER } from '../support/fixtures';
import { shanghaiToday } from '../support/test-calendar';
import { ifStarted } from '../support/teardown';
import { listingActions } from '../../workflows/listing/actions';

/**
 * The API's problems in the client's language: Chinese unless the client asks for English (`Accept-Language`,
 * q-values honoured), with `Content-Language` saying which, and the same `type` either way. Requests here carry
 * no Accept-Language unless a test gives one (`clientLanguage: null`).
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem({ clientLanguage: null });
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

const auth = { authorization: '' };
beforeAll(() => {
  auth.authorization = `Bearer ${sys.token(OFFICER)}`;
});

/** A listing request that breaks two domain rules: a basis document issued tomorrow, and N-04 (at most 3 years) for 5 years. */
const twoRulesBroken = () =>
  listingBody({
    basisDocuments: [{ title: '行政处罚决定书', number: '张市监罚〔2026〕18号', issuedOn: shanghaiToday(1) }],
    proposedMeasures: ['N-04'],
    listingPeriod: { years: 5 },
  });

const open = (payload: unknown, language?: string) =>
  sys.app.inject({
    method: 'POST',
    url: '/v1/cases',
    headers: { ...auth, ...(language === undefined ? {} : { 'accept-language': language }) },
    payload: payload as object,
  });

const messageAt = (body: { errors: { path: string; message: string }[] }, path: string) =>
  body.errors.find((e) => e.path === path)?.message;

const CHINESE = {
  title: '无法处理的请求',
  detail: '列入申请不符合业务规则',
  issuedOn: '日期晚于今天，文书尚未作出',
  period: '惩戒措施 N-04 最长适用3年；所填期限超过措施清单的规定（第四十四条）',
};
const ENGLISH = {
  title: 'Unprocessable Content',
  detail: 'the listing request breaks a domain rule',
  issuedOn: 'lies in the future',
  period: 'measure N-04 may apply for at most 3 years; the period is heavier than the catalogue allows (Art 44)',
};

it.each([
  ['no Accept-Language', undefined, CHINESE, 'zh-CN'],
  ['zh-CN', 'zh-CN', CHINESE, 'zh-CN'],
  ['en', 'en', ENGLISH, 'en'],
  ['en-US,en;q=0.9', 'en-US,en;q=0.9', ENGLISH, 'en'],
  ['zh;q=0.5, en;q=0.8 (English weighs more)', 'zh;q=0.5, en;q=0.8', ENGLISH, 'en'],
  ['en;q=0.5, zh-CN;q=0.8 (Chinese weighs more)', 'en;q=0.5, zh-CN;q=0.8', CHINESE, 'zh-CN'],
  ['fr (a language the API does not speak)', 'fr', CHINESE, 'zh-CN'],
  ['fr, en;q=0.1', 'fr, en;q=0.1', ENGLISH, 'en'],
  ['en;q=0 (refused)', 'en;q=0', CHINESE, 'zh-CN'],
] as const)('a listing against two domain rules, asked with %s', async (_what, language, expected, contentLanguage) => {
  const res = await open(twoRulesBroken(), language);
  expect(res.statusCode).toBe(422);
  expect(res.headers['content-language']).toBe(contentLanguage);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({
    type: 'https://credit.zhangye.example/problems/422',
    status: 422,
    title: expected.title,
    detail: expected.detail,
  });
  expect(messageAt(body, 'body.basisDocuments.0.issuedOn')).toBe(expected.issuedOn);
  expect(messageAt(body, 'body.listingPeriod')).toBe(expected.period);
});

it('gives a schema failure (400) in Chinese by default at the same paths, zod’s English on request', async () => {
  const { facts: _facts, ...noFacts } = listingBody({ basisDocuments: [], category: 'gossip' });
  const zh = await open(noFacts);
  const en = await open(noFacts, 'en');
  expect([zh.statusCode, en.statusCode]).toEqual([400, 400]);
  expect(zh.json().type).toBe(en.json().type);
  expect(zh.json()).toMatchObject({ title: '请求有误', detail: '请求体不符合接口的格式要求' });
  expect(en.json()).toMatchObject({ title: 'Bad Request', detail: 'the body does not match the schema' });
  const paths = (b: { errors: { path: string }[] }) => b.errors.map((e) => e.path).sort();
  expect(paths(zh.json())).toEqual(['body.basisDocuments', 'body.category', 'body.facts']);
  expect(paths(en.json())).toEqual(paths(zh.json()));
  expect(messageAt(zh.json(), 'body.facts')).toBe('此项必填');
  expect(messageAt(en.json(), 'body.facts')).toMatch(/expected string, received undefined/);
  expect(messageAt(zh.json(), 'body.category')).toMatch(/^无效选项/);
  expect(messageAt(en.json(), 'body.basisDocuments')).toBe('a record needs at least one document with legal effect (Art 34)');
  // A schema's own English message has its Chinese too.
  expect(messageAt(zh.json(), 'body.basisDocuments')).toBe('须至少有一份具有法律效力的文书（第三十四条）');
  for (const e of zh.json().errors as { message: string }[]) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
});

it('answers a refusal of the case’s workflow (409) and a missing route (404) in the language asked for', async () => {
  const opened = await open(listingBody());
  expect(opened.statusCode).toBe(201);
  const id = opened.json<{ id: string }>().id;
  const approve = (language?: string) =>
    sys.app.inject({
      method: 'POST',
      url: `/v1/cases/${id}/actions/serve_decision`,
      headers: { ...auth, ...(language ? { 'accept-language': language } : {}) },
      payload: listingActions.serve_decision.example,
    });
  const [zh, en] = [await approve(), await approve('en')];
  expect([zh.statusCode, en.statusCode]).toEqual([409, 409]);
  expect(zh.headers['content-language']).toBe('zh-CN');
  expect(zh.json()).toMatchObject({
    title: '与当前状态冲突',
    detail: `案件当前为“已立案”状态，不能${listingActions.serve_decision.title}`,
    state: 'opened',
  });
  expect(en.json()).toMatchObject({
    title: 'Conflict',
    detail: 'action serve_decision is not allowed while the case is opened',
    state: 'opened',
  });
  expect(zh.json()).not.toHaveProperty('zh');

  const missing = await sys.app.inject({ method: 'GET', url: '/v1/nowhere', headers: auth });
  expect(missing.statusCode).toBe(404);
  expect(missing.headers['content-language']).toBe('zh-CN');
  expect(missing.json()).toMatchObject({ title: '未找到', detail: '没有 GET /v1/nowhere 这一接口' });
});

it('declares Accept-Language on every operation and Content-Language on every problem in the OpenAPI document', async () => {
  const doc = (await sys.app.inject({ method: 'GET', url: '/docs/json' })).json<{
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, { headers?: object }> }>>;
  }>();
  const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
  expect(operations.length).toBeGreaterThan(20);
  for (const op of operations) {
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Accept-Language', in: 'header' })]));
    for (const [code, answer] of Object.entries(op.responses)) {
      if (Number(code) >= 400) expect(answer.headers).toHaveProperty('Content-Language');
    }
  }
});

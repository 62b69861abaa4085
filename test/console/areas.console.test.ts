/**
 * Who reaches which page, through `inject` (no browser): each area's one hook sends the signed-out to sign in and the
 * wrong role to the workbench, after the CSRF check and before the params are judged; params and queries that are not
 * of a route's shape give the console's pages, never a 500.
 */
import { startSystem, type System } from '../support/system';
import { OFFICER } from '../support/fixtures';
import { DEV_IDENTITIES } from '../../console/pages/sign-in';

let sys: System;
beforeAll(async () => {
  sys = await startSystem({ console: true });
}, 120_000);
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await sys?.stop();
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A browser's cookies and CSRF token, signed in as the development identity at `identity` when given. */
async function browser(identity?: number) {
  const jar = new Map<string, string>();
  const take = (res: { headers: Record<string, unknown> }) => {
    for (const c of [res.headers['set-cookie'] ?? []].flat() as string[]) {
      const [name, value] = c.split(';')[0]!.split('=') as [string, string];
      jar.set(name, value);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const start = await sys.app.inject({ method: 'GET', url: '/console/sign-in' });
  take(start);
  const csrf = encodeURIComponent(/name="_csrf" value="([^"]+)"/.exec(start.body)![1]!);
  const get = (url: string) => sys.app.inject({ method: 'GET', url, headers: { cookie: cookie() } });
  const post = async (url: string, body: string, withCsrf = true) => {
    const r = await sys.app.inject({
      method: 'POST',
      url,
      headers: { cookie: cookie(), ...FORM },
      payload: (withCsrf ? `_csrf=${csrf}&` : '') + body,
    });
    take(r);
    return r;
  };
  if (identity !== undefined) expect((await post('/console/sign-in/dev', `identity=${identity}`)).statusCode).toBe(303);
  return { get, post };
}

const officer = DEV_IDENTITIES.findIndex((i) => i.claims.role === 'officer');
const supervisor = DEV_IDENTITIES.findIndex((i) => i.claims.role === 'supervisor');
const OFFICERS_PAGES = ['/console/queues', '/console/cases/new', '/console/records/new', '/console/records/review'];

test('the signed-out are sent to sign in from every area, a form without its CSRF token is refused first', async () => {
  const b = await browser();
  for (const url of ['/console', '/console/cases/LST-X', '/console/cases/LST-X/documents/D1', ...OFFICERS_PAGES]) {
    const r = await b.get(url);
    expect([url, r.statusCode, r.headers.location]).toEqual([url, 303, '/console/sign-in']);
  }
  expect((await b.post('/console/records/REC-1/release', '', false)).statusCode).toBe(403);
  const r = await b.post('/console/records/not-a-record/publish', '');
  expect([r.statusCode, r.headers.location]).toEqual([303, '/console/sign-in']);
  expect((await b.get('/console/sign-in')).statusCode).toBe(200);
});

test("a supervisor is sent from the workbench to their approvals and from the officers' pages to the workbench", async () => {
  const b = await browser(supervisor);
  for (const url of OFFICERS_PAGES) {
    const r = await b.get(url);
    expect([url, r.statusCode, r.headers.location]).toEqual([url, 303, '/console']);
  }
  const w = await b.get('/console');
  expect([w.statusCode, w.headers.location]).toEqual([303, '/console/supervise/approvals']);
  expect((await b.get('/console/cases/LST-NOPE')).statusCode).toBe(404);
});

test("an officer's pages; params and queries not of a route's shape give the console's pages", async () => {
  const b = await browser(officer);
  for (const url of ['/console', ...OFFICERS_PAGES, '/console?page=abc&state=a&state=b']) {
    const r = await b.get(url);
    expect([url, r.statusCode]).toEqual([url, 200]);
  }
  const filter = await b.get('/console?due=bogus');
  expect(filter.statusCode).toBe(200);
  expect(filter.body).toContain('筛选条件无效');
  const c = await b.get('/console/cases/LST-NOPE');
  expect(c.statusCode).toBe(404);
  expect(c.body).toContain('案件不存在');
  expect((await b.get('/console/cases/LST-NOPE/documents/x')).statusCode).toBe(404);
  const d = await b.post('/console/records/not-a-record/publish', '');
  expect(d.statusCode).toBe(404);
  expect(d.body).toContain('没有这条信用信息');
  expect((await b.get('/console/assets/nope.css')).statusCode).toBe(404);
});

test("a portal's bearer token is handed over for a session; a bad one is refused", async () => {
  const b = await browser();
  const ok = await b.post('/console/session', `token=${sys.token(OFFICER)}`, false);
  expect([ok.statusCode, ok.headers.location]).toEqual([303, '/console']);
  expect((await b.get('/console/queues')).statusCode).toBe(200);
  expect((await b.post('/console/session', 'token=not.a.token', false)).statusCode).toBe(401);
});

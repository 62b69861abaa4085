/**
 * The workbench page through `inject` (no browser): a listing whose notice was served waits on the subject, and its
 * row says so, with the subject's window, the day it ends and its tag, as the API gives them.
 */
import { apiAs, settledCase, startSystem, type System } from '../support/system';
import { OFFICER, listingBody } from '../support/fixtures';
import { ifStarted } from '../support/teardown';

let sys: System;
beforeAll(async () => {
  sys = await startSystem({ console: true });
}, 120_000);
afterAll(async () => {
  await ifStarted(sys)?.stop();
});

/** A browser signed in by handing over the officer's bearer token; its GET with the session's cookies. */
async function signedIn() {
  const jar = new Map<string, string>();
  const take = (res: { headers: Record<string, unknown> }) => {
    for (const c of [res.headers['set-cookie'] ?? []].flat() as string[]) {
      const [name, value] = c.split(';')[0]!.split('=') as [string, string];
      jar.set(name, value);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  take(await sys.app.inject({ method: 'GET', url: '/console/sign-in' }));
  const session = await sys.app.inject({
    method: 'POST',
    url: '/console/session',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: `token=${sys.token(OFFICER)}`,
  });
  expect([session.statusCode, session.headers.location]).toEqual([303, '/console']);
  take(session);
  return (url: string) => sys.app.inject({ method: 'GET', url, headers: { cookie: cookie() } });
}

test('a listing whose notice was served shows 等待当事人 and the day the statement window ends, with its tag', async () => {
  const api = apiAs(sys);
  const opened = await api.post('/v1/cases', OFFICER, listingBody());
  expect(opened.statusCode).toBe(201);
  const id = opened.json().id as string;
  await settledCase(sys, id, 'opened');
  const get = await signedIn();
  const row = async () => {
    const r = await get(`/console?q=${id}`);
    expect(r.statusCode).toBe(200);
    const rows = r.body.split('<tr>').filter((tr) => tr.includes(`/console/cases/${id}"`));
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  expect(await row()).not.toContain('等待当事人');

  const served = await api.act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' });
  expect(served.statusCode).toBe(200);
  await settledCase(sys, id, 'notice_served');
  const wb = (await api.get(`/v1/workbench?q=${id}`, OFFICER)).json().items[0];
  const window = wb.waitingOnSubject as { dueDate: string; workingDaysLeft: number };
  // The date as the case's own deadline gives it, in the console's words.
  const due = served.json().deadlines.find((d: { kind: string }) => d.kind === 'statement_window').dueDate as string;
  expect(window.dueDate).toBe(due);
  const [y, m, d] = due.split('-').map(Number) as [number, number, number];
  const html = await row();
  expect(html).toContain('等待当事人');
  expect(html).toContain(`陈述申辩、申请听证期限至${y}年${m}月${d}日24时`);
  expect(html).toMatch(new RegExp(`<strong class="tag tag-(blue|orange)">剩余${window.workingDaysLeft}个工作日</strong>`));
});

import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiAs, quietCases, startSystem, type Reply, type System } from '../support/system';
import { listingBody, OFFICER, OTHER_OFFICER, SUPERVISOR } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import { listCaughtMail, readCaughtMail, startMailCatcher, type MailCatcher } from '../../messaging/mail-catcher';
import { smtpMessenger } from '../../messaging/messenger';
import { httpSmsGateway } from '../../messaging/sms-gateway';

/**
 * Electronic service that reaches the address (issue 24): consent recorded with its document, electronic service refused
 * without it, the document sent to a real SMTP server (smtp-server, the mail catcher) and to an SMS gateway (an HTTP server
 * of this test), the service record kept; a bounce kept and shown, the case not moved.
 */
let sys: System;
let catcher: MailCatcher;
let gateway: Server;
const sms: { body: { to: string; text: string; key: string }; key: string | undefined }[] = [];
const CONSOLE = 'http://console.example.test';

beforeAll(async () => {
  catcher = await startMailCatcher({ dir: join(tmpdir(), `mail-${randomUUID()}`) });
  gateway = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(data) as { to: string; text: string; key: string };
      if (body.to === '13900000000') {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"number not in service"}');
        return;
      }
      sms.push({ body, key: req.headers['idempotency-key'] as string | undefined });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `SMS-${sms.length}`, status: 'accepted' }));
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  const port = (gateway.address() as { port: number }).port;
  sys = await startSystem({
    delivery: {
      consoleUrl: CONSOLE,
      messenger: smtpMessenger({
        smtpUrl: catcher.url,
        from: '信用信息平台 <no-reply@credit.localhost>',
        sms: httpSmsGateway(`http://127.0.0.1:${port}/v1/sms`),
      }),
    },
  });
});
afterAll(async () => {
  await ifStarted(sys)?.stop();
  await ifStarted(catcher)?.stop();
  if (ifStarted(gateway)) await new Promise((r) => gateway.close(r));
});

const api = () => apiAs(sys);
const subjectOf = (subjectId: string) => ({ role: 'subject', sub: `user-${subjectId}`, subjectId }) as const;
const addressesUrl = (subjectId: string) => `/v1/subjects/${subjectId}/service-addresses`;
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function openCase(): Promise<{ id: string; subjectId: string }> {
  const body = listingBody();
  const r = await api().post('/v1/cases', OFFICER, body);
  expect(r.statusCode).toBe(201);
  return { id: r.json().id as string, subjectId: body.subject.id };
}

async function consent(subjectId: string, channel: 'email' | 'sms', address: string): Promise<string> {
  const r = await api().post(addressesUrl(subjectId), OFFICER, {
    channel,
    address,
    consentedOn: today(),
    consentDocument: `送达地址确认书 ${subjectId}-1`,
  });
  expect(r.statusCode).toBe(201);
  return r.json().id as string;
}

async function snapshot(id: string) {
  await quietCases(sys, [id]);
  const [row, timeline, documents, deadlines, messages] = await Promise.all([
    sys.db.case.findUnique({ where: { id } }),
    sys.db.timelineEntry.count({ where: { caseId: id } }),
    sys.db.document.count({ where: { caseId: id } }),
    sys.db.deadline.count({ where: { caseId: id } }),
    sys.db.outgoingMessage.count({ where: { caseId: id } }),
  ]);
  return { state: row?.state, version: row?.version, timeline, documents, deadlines, messages };
}

function expectProblem(r: Reply, status: number, detail: RegExp) {
  expect(r.statusCode).toBe(status);
  expect(r.headers['content-type']).toMatch(/problem\+json/);
  expect(r.json().detail).toMatch(detail);
}

it('refuses electronic service to a subject without a consented address, with what to do, and changes nothing', async () => {
  const { id } = await openCase();
  const before = await snapshot(id);
  const r = await api().act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'electronic' });
  expectProblem(
    r,
    409,
    /not consented to electronic service.*record their consented e-mail or mobile number first, or serve in person or by mail/,
  );
  expect(r.json().reason).toBe('no_consented_address');
  expect(await snapshot(id)).toEqual(before);
  // In Chinese too, as the console shows it.
  const zh = await sys.app.inject({
    method: 'POST',
    url: `/v1/cases/${id}/actions/serve_notice`,
    headers: { ...api().auth(OFFICER), 'accept-language': 'zh-CN' },
    payload: { servedAt: new Date().toISOString(), method: 'electronic' },
  });
  expect(zh.json().detail).toMatch(/未确认电子送达地址.*第六十一条/);
});

it('records consent with its document, validates the address, and lets only the subject and the officers of its cases reach it', async () => {
  const { subjectId } = await openCase();
  const other = subjectOf('91620700MA00000000');
  expectProblem(
    await api().post(addressesUrl(subjectId), OFFICER, {
      channel: 'email',
      address: 'not-an-email',
      consentedOn: today(),
      consentDocument: 'x',
    }),
    422,
    /not valid/,
  );
  expectProblem(
    await api().post(addressesUrl(subjectId), OFFICER, {
      channel: 'sms',
      address: '12345678901',
      consentedOn: today(),
      consentDocument: 'x',
    }),
    422,
    /not valid/,
  );
  expectProblem(
    await api().post(addressesUrl(subjectId), OFFICER, { channel: 'email', address: 'a@example.com' }),
    422,
    /date of the consent/,
  );
  expectProblem(
    await api().post(addressesUrl(subjectId), SUPERVISOR, {
      channel: 'email',
      address: 'a@example.com',
      consentedOn: today(),
      consentDocument: 'x',
    }),
    403,
    /officer or the subject/,
  );
  expectProblem(await api().get(addressesUrl(subjectId), other), 404, /no service addresses/);
  // An officer of a department with no case of the subject neither reads nor records its addresses.
  expectProblem(await api().get(addressesUrl(subjectId), OTHER_OFFICER), 404, /no service addresses/);
  expectProblem(
    await api().post(addressesUrl(subjectId), OTHER_OFFICER, {
      channel: 'email',
      address: 'a@example.com',
      consentedOn: today(),
      consentDocument: 'x',
    }),
    404,
    /no service addresses/,
  );

  const key = randomUUID();
  const body = { channel: 'email', address: 'legal@example.com', consentedOn: today(), consentDocument: '送达地址确认书 2026-001' };
  const first = await api().post(addressesUrl(subjectId), OFFICER, body, key);
  expect(first.statusCode).toBe(201);
  expect((await api().post(addressesUrl(subjectId), OFFICER, body, key)).json().id).toBe(first.json().id);
  expectProblem(await api().post(addressesUrl(subjectId), OFFICER, body), 409, /already recorded/);

  // The subject records their own: the console's confirmation page is the document, dated now.
  const own = await api().post(addressesUrl(subjectId), subjectOf(subjectId), {
    channel: 'sms',
    address: '13800138000',
    consentDocument: '随便写',
  });
  expect(own.statusCode).toBe(201);
  expect(own.json()).toMatchObject({ channel: 'sms', consentDocument: expect.stringContaining('控制台'), recordedBy: `user-${subjectId}` });

  const list = (await api().get(addressesUrl(subjectId), subjectOf(subjectId))).json().items;
  expect(list.map((a: { address: string }) => a.address)).toEqual(['13800138000', 'legal@example.com']);
  const audit = await sys.db.auditEntry.findMany({ where: { subjectId, action: { startsWith: 'service_address.' } } });
  expect(audit.map((a) => a.action).sort()).toEqual(['service_address.record', 'service_address.record']);
});

it('sends a served notice to the consented e-mail: the mail with its attachment, the service record with address, answer and time', async () => {
  const { id, subjectId } = await openCase();
  const addressId = await consent(subjectId, 'email', `legal-${subjectId.toLowerCase()}@example.com`);
  const key = randomUUID();
  const asked = new Date().toISOString();
  const served = await api().post(
    `/v1/cases/${id}/actions/serve_notice`,
    OFFICER,
    { servedAt: '2020-01-01T10:00:00+08:00', method: 'electronic' },
    key,
  );
  expect(served.statusCode).toBe(200);
  expect(served.json().state).toBe('notice_served');

  const [message] = await sys.db.outgoingMessage.findMany({ where: { caseId: id } });
  expect(message).toMatchObject({
    status: 'sent',
    channel: 'email',
    addressId,
    toAddress: `legal-${subjectId.toLowerCase()}@example.com`,
    purpose: 'service',
  });
  expect(message!.answer).toMatch(/^250 /);
  const sentAt = message!.sentAt!;
  expect(sentAt.getTime()).toBeGreaterThanOrEqual(Date.parse(asked) - 1000);
  // The service date is when it reached the address, not what the body said.
  const doc = await sys.db.document.findUniqueOrThrow({ where: { id: message!.documentId! } });
  expect(doc).toMatchObject({ servedMethod: 'electronic', servedTo: subjectId });
  expect(doc.servedAt?.toISOString()).toBe(sentAt.toISOString());
  const entry = served.json().timeline.find((t: { action: string }) => t.action === 'serve_notice');
  expect(entry.detail.delivery).toMatchObject({ channel: 'email', addressId, at: sentAt.toISOString() });

  const mails = (await listCaughtMail(catcher.dir)).filter((m) => m.to.includes(message!.toAddress));
  expect(mails).toHaveLength(1);
  const mail = await readCaughtMail(catcher.dir, mails[0]!.id);
  expect(mail?.subject).toBe(`【电子送达】${doc.title}`);
  expect(mail?.text).toContain(`${CONSOLE}/console/me/notices/${doc.id}`);
  expect(mail?.attachments).toEqual([expect.objectContaining({ filename: `${doc.id}.html`, contentType: 'text/html' })]);
  expect(mail?.attachments[0]!.content.toString('utf8')).toBe(doc.html);

  // The same action again (same key) sends nothing more.
  const again = await api().post(
    `/v1/cases/${id}/actions/serve_notice`,
    OFFICER,
    { servedAt: '2020-01-01T10:00:00+08:00', method: 'electronic' },
    key,
  );
  expect(again.statusCode).toBe(200);
  expect((await listCaughtMail(catcher.dir)).filter((m) => m.to.includes(message!.toAddress))).toHaveLength(1);
});

it('keeps a bounced mail and shows it; the case stays where it was and another method then serves it', async () => {
  const { id, subjectId } = await openCase();
  await consent(subjectId, 'email', `nobody@bounce.test`);
  const r = await api().act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'electronic' });
  expect(r.statusCode).toBe(200);
  expect(r.json()).toMatchObject({ state: 'opened', allowedActions: ['serve_notice'] });
  expect(r.json().deadlines).toEqual([]);
  const failed = r.json().timeline.find((t: { action: string }) => t.action === 'electronic_service_failed');
  expect(failed.detail).toMatchObject({ for: 'serve_notice', to: 'nobody@bounce.test', channel: 'email' });
  expect(failed.detail.answer).toMatch(/550.*mailbox unavailable/);
  const [message] = await sys.db.outgoingMessage.findMany({ where: { caseId: id } });
  expect(message).toMatchObject({ status: 'failed', sentAt: null });
  const doc = await sys.db.document.findUniqueOrThrow({ where: { id: message!.documentId! } });
  expect(doc.servedAt).toBeNull();

  const inPerson = await api().act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' });
  expect(inPerson.json()).toMatchObject({ state: 'notice_served' });
});

it('serves no more at an address whose consent the subject withdrew', async () => {
  const { id, subjectId } = await openCase();
  const addressId = await consent(subjectId, 'email', `withdrawn-${subjectId.toLowerCase()}@example.com`);
  expectProblem(
    await api().post(`${addressesUrl(subjectId)}/${addressId}/withdraw`, subjectOf('91620700MA00000000'), {}),
    404,
    /no service addresses/,
  );
  const w = await api().post(`${addressesUrl(subjectId)}/${addressId}/withdraw`, subjectOf(subjectId), {});
  expect(w.statusCode).toBe(200);
  expect(w.json()).toMatchObject({ id: addressId, withdrawnBy: `user-${subjectId}` });
  expectProblem(await api().post(`${addressesUrl(subjectId)}/${addressId}/withdraw`, subjectOf(subjectId), {}), 409, /withdrawn/);
  const before = await snapshot(id);
  expectProblem(
    await api().act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'electronic', addressId }),
    409,
    /not an address the subject currently consents to/,
  );
  expectProblem(
    await api().act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'electronic' }),
    409,
    /not consented/,
  );
  expect(await snapshot(id)).toEqual(before);
});

it('serves by SMS through the gateway: the notice and then the decision, each with its link, once', async () => {
  const { id, subjectId } = await openCase();
  const addressId = await consent(subjectId, 'sms', '13700137000');
  const served = await api().act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'electronic', addressId });
  expect(served.json().state).toBe('notice_served');
  const subject = subjectOf(subjectId);
  expect((await api().act(id, 'submit_statement', subject, { text: '无异议', requestHearing: false })).json().state).toBe('under_review');
  expect((await api().act(id, 'propose_decision', OFFICER, { outcome: 'list', reasons: '情节严重', measures: ['N-01'] })).statusCode).toBe(
    200,
  );
  expect((await api().act(id, 'approve_decision', SUPERVISOR, { comment: '同意' })).json().state).toBe('decided');
  const listed = await api().act(id, 'serve_decision', OFFICER, { servedAt: '2020-01-01T10:00:00+08:00', method: 'electronic' });
  expect(listed.json().state).toBe('listed');

  const messages = await sys.db.outgoingMessage.findMany({ where: { caseId: id }, orderBy: { attemptedAt: 'asc' } });
  expect(messages.map((m) => [m.channel, m.status, m.toAddress])).toEqual([
    ['sms', 'sent', '13700137000'],
    ['sms', 'sent', '13700137000'],
  ]);
  expect(messages[0]!.answer).toMatch(/^200 .*accepted/);
  const texts = sms.filter((s) => s.body.to === '13700137000');
  expect(texts).toHaveLength(2);
  expect(texts.map((t) => t.key)).toEqual(messages.map((m) => m.id));
  expect(texts[1]!.body.text).toContain(`${CONSOLE}/console/me/notices/${messages[1]!.documentId}`);
  // The listing runs from the day the decision reached the number.
  const decision = await sys.db.document.findUniqueOrThrow({ where: { id: messages[1]!.documentId! } });
  expect(decision.servedAt?.toISOString()).toBe(messages[1]!.sentAt?.toISOString());
});

it('keeps a number the gateway refuses as a failed service', async () => {
  const { id, subjectId } = await openCase();
  await consent(subjectId, 'sms', '13900000000');
  const r = await api().act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'electronic' });
  expect(r.json().state).toBe('opened');
  const [message] = await sys.db.outgoingMessage.findMany({ where: { caseId: id } });
  expect(message).toMatchObject({ status: 'failed', channel: 'sms' });
  expect(message!.answer).toMatch(/^400 .*not in service/);
});

it('also sends a document the case serves itself (a dismissal) to the consented address, its service as before', async () => {
  const { id, subjectId } = await openCase();
  const to = `dismissed-${subjectId.toLowerCase()}@example.com`;
  await consent(subjectId, 'email', to);
  expect((await api().act(id, 'serve_notice', OFFICER, { servedAt: new Date().toISOString(), method: 'in_person' })).json().state).toBe(
    'notice_served',
  );
  // Served in person: nothing sent.
  expect(await sys.db.outgoingMessage.count({ where: { caseId: id } })).toBe(0);
  expect((await api().act(id, 'submit_statement', subjectOf(subjectId), { text: '已整改', requestHearing: false })).statusCode).toBe(200);
  expect((await api().act(id, 'propose_decision', OFFICER, { outcome: 'dismiss', reasons: '情节轻微' })).statusCode).toBe(200);
  const dismissed = await api().act(id, 'approve_decision', SUPERVISOR, { comment: '同意' });
  expect(dismissed.json().state).toBe('dismissed');
  const [message] = await sys.db.outgoingMessage.findMany({ where: { caseId: id } });
  expect(message).toMatchObject({ status: 'sent', toAddress: to });
  const doc = await sys.db.document.findUniqueOrThrow({ where: { id: message!.documentId! } });
  expect(doc).toMatchObject({ kind: 'dismissal_notice', servedMethod: 'electronic', servedTo: subjectId });
  expect((await listCaughtMail(catcher.dir)).filter((m) => m.to.includes(to))).toHaveLength(1);
});

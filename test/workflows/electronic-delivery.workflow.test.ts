import { getCaseQuery } from '../../workflows/listing/definitions';
import type { Actor } from '../../workflows/common/case-types';
import { listingWorkflowInput } from '../support/fixtures';
import { caseIdFor, useTimeSkipping } from '../support/time-skipping';
import { testEnv } from '../support/test-env';
import { smtpMessenger } from '../../messaging/messenger';

/**
 * The listing's electronic service to a consented address (patch electronic-delivery-v1) on the time-skipping server,
 * against the run's mail catcher: served when the mail server accepted it; a bounce leaves the case where it was. The
 * histories are recorded for the replay test (RECORD_HISTORIES=1).
 */
const ts = useTimeSkipping({ historyName: 'electronic-delivery', maxHistoryEvents: 200 });
const { iso, doAction, keepHistory } = ts;
const OFFICER: Actor = { id: 'officer-1', role: 'officer', department: 'ZY-SAMR' };

const delivery = () => {
  const smtpUrl = testEnv().smtpUrl;
  if (!smtpUrl) throw new Error('the test run has no mail catcher (test/setup/global-setup.ts)');
  return { consoleUrl: 'http://console.example.test', messenger: smtpMessenger({ smtpUrl, from: 'test <t@credit.localhost>' }) };
};

async function serveTo(to: string) {
  let out: { state: string; actions: string[]; messages: { status: string; sentAt: Date | null }[]; servedAt: Date | null } | undefined;
  await ts.withWorker(
    async (start) => {
      const caseId = caseIdFor('LST');
      const h = await start('listingWorkflow', caseId, listingWorkflowInput(caseId, await iso(), OFFICER));
      const address = { id: 'SVA-20260101-TESTADDR01', channel: 'email', address: to };
      await doAction(h, OFFICER, 'serve_notice', { servedAt: await iso(), method: 'electronic', address });
      const view = await h.query(getCaseQuery);
      const messages = await ts.db.outgoingMessage.findMany({ where: { caseId } });
      const notice = await ts.db.document.findFirst({ where: { caseId, kind: 'pre_listing_notice' } });
      out = { state: view.state, actions: view.timeline.map((t) => t.action), messages, servedAt: notice?.servedAt ?? null };
      await keepHistory(h, to.endsWith('@bounce.test') ? 'listing-electronic-delivery-bounced' : 'listing-electronic-delivery');
    },
    { delivery: delivery() },
  );
  return out!;
}

it('serves the notice when the mail server accepts it, at that instant', async () => {
  const r = await serveTo('legal@example.test');
  expect(r.state).toBe('notice_served');
  expect(r.messages).toEqual([expect.objectContaining({ status: 'sent' })]);
  expect(r.servedAt?.toISOString()).toBe(r.messages[0]!.sentAt?.toISOString());
});

it('keeps a bounce in the timeline and leaves the case opened', async () => {
  const r = await serveTo('nobody@bounce.test');
  expect(r.state).toBe('opened');
  expect(r.actions).toEqual(['open', 'electronic_service_failed']);
  expect(r.messages).toEqual([expect.objectContaining({ status: 'failed', sentAt: null })]);
  expect(r.servedAt).toBeNull();
});

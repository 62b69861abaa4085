import type { Db } from './client';
import { SendUnavailable, type Messenger } from '../messaging/messenger';

/**
 * One message to send once: its key is outgoing_messages.id, written before anything is handed to the server, so a
 * retried activity finds what the first try did.
 */
export interface KeyedMessage {
  key: string;
  channel: 'email' | 'sms';
  to: string;
  purpose: 'digest' | 'window_opened' | 'window_closing';
  title: string;
  text: string;
  subjectId?: string;
  department?: string;
  caseId?: string;
  addressId?: string;
}

/**
 * A message claimed by a send that has not answered for this long is taken to have died with its process (the
 * worker killed mid-send) and is sent again, under the same Message-ID so the receiving side can tell the resend.
 * Longer than any send may take (the reminders' activities time out at 10 minutes).
 */
export const STALE_CLAIM_MS = 15 * 60_000;

/** What became of one message: `sent` or `failed` now, `done` before (a retry, nothing sent), `busy` in another send. */
export type SendResult = 'sent' | 'failed' | 'done' | 'busy';

/**
 * Sends `m` unless its key was sent, refused or is being sent: the row is written (status `sending`) first and
 * claimed atomically, then handed to the Messenger, then its answer recorded. A server away (SendUnavailable)
 * leaves the row unclaimed with that answer and throws, so the activity is retried and sends it then.
 */
export async function sendOnce(db: Db, messenger: Messenger, m: KeyedMessage, now: Date = new Date()): Promise<SendResult> {
  const inserted = await db.$executeRaw`
    INSERT INTO outgoing_messages (id, channel, to_address, purpose, subject_id, department, case_id, address_id, title, status, attempted_at)
    VALUES (${m.key}, ${m.channel}, ${m.to}, ${m.purpose}, ${m.subjectId ?? null}, ${m.department ?? null}, ${m.caseId ?? null},
            ${m.addressId ?? null}, ${m.title}, 'sending', ${now})
    ON CONFLICT (id) DO NOTHING`;
  if (inserted === 0) {
    // Claimed again only when the earlier try ended without handing it over (its answer says why) or died long ago.
    const claimed = await db.$executeRaw`
      UPDATE outgoing_messages SET attempted_at = ${now}, answer = NULL
       WHERE id = ${m.key} AND status = 'sending'
         AND (answer IS NOT NULL OR attempted_at < ${new Date(now.getTime() - STALE_CLAIM_MS)})`;
    if (claimed === 0) {
      const row = await db.outgoingMessage.findUnique({ where: { id: m.key }, select: { status: true } });
      return row?.status === 'sending' ? 'busy' : 'done';
    }
  }
  let outcome;
  try {
    outcome =
      m.channel === 'email'
        ? await messenger.sendMail({ to: m.to, subject: m.title, text: m.text, key: m.key })
        : await messenger.sendSms({ to: m.to, text: m.text, key: m.key });
  } catch (err) {
    const answer = err instanceof SendUnavailable ? err.answer : (err as Error).message;
    await db.outgoingMessage.update({ where: { id: m.key }, data: { answer: `not handed over: ${answer}`.slice(0, 2000) } });
    throw err;
  }
  await db.outgoingMessage.update({
    where: { id: m.key },
    data: {
      status: outcome.delivered ? 'sent' : 'failed',
      answer: outcome.answer.slice(0, 2000),
      sentAt: outcome.delivered ? outcome.at : null,
    },
  });
  return outcome.delivered ? 'sent' : 'failed';
}

/**
 * Electronic service that reaches the address (行政处罚法 Art 61): a document is sent to the subject's consented e-mail
 * (the printable page attached, a link to it in the console) or mobile number (a short text with the link). Every send
 * is a row of outgoing_messages keyed by the document and the address, written before the message is handed over: a
 * retried step finds the answer already kept and sends nothing again (a message left `sending` by a crash is handed over
 * again under the same Message-ID, so the receiving side can tell).
 */
import type { Db } from '../db/client';
import { consentedAddressesOf } from '../db/service-addresses';
import { SendUnavailable, type Messenger, type SendOutcome } from '../messaging/messenger';

/** Where a document is served electronically: a consented address (service_addresses), as the action body carries it. */
export interface DeliveryAddress {
  id: string;
  channel: 'email' | 'sms';
  address: string;
}

/** What became of one document sent to one address: the service record the case keeps. */
export interface DeliveryOutcome {
  messageId: string;
  delivered: boolean;
  channel: 'email' | 'sms';
  to: string;
  addressId: string;
  /** The mail server's or gateway's answer, or why nothing could be sent. */
  answer: string;
  /** When the server accepted (or refused) it: the service instant when delivered. */
  at: string;
}

export interface ElectronicServiceDeps {
  /** Absent (no SMTP_URL): nothing can be sent, and a service that needs a send is refused with that reason. */
  messenger?: Messenger | undefined;
  /** The console's public address, for the link in the message (CONSOLE_PUBLIC_URL). */
  consoleUrl: string;
}

export const deliveryKey = (documentId: string, addressId: string) => `service:${documentId}:${addressId}`;

export function electronicServiceActivities(db: Db, deps: ElectronicServiceDeps) {
  async function send(documentId: string, address: DeliveryAddress): Promise<DeliveryOutcome> {
    const id = deliveryKey(documentId, address.id);
    const kept = await db.outgoingMessage.findUnique({ where: { id } });
    if (kept && kept.status !== 'sending') return outcomeOf(kept);
    const doc = await db.document.findUniqueOrThrow({
      where: { id: documentId },
      select: { id: true, caseId: true, title: true, html: true },
    });
    const subject = await db.$queryRaw<{ subject_id: string; department: string }[]>`
      SELECT subject_id, department FROM cases WHERE id = ${doc.caseId}`;
    const now = new Date();
    if (!kept)
      await db.outgoingMessage.createMany({
        data: [
          {
            id,
            channel: address.channel,
            toAddress: address.address,
            purpose: 'service',
            subjectId: subject[0]?.subject_id ?? null,
            department: subject[0]?.department ?? null,
            caseId: doc.caseId,
            documentId,
            addressId: address.id,
            title: doc.title,
            status: 'sending',
            attemptedAt: now,
          },
        ],
        skipDuplicates: true,
      });
    const link = `${deps.consoleUrl.replace(/\/$/, '')}/console/me/notices/${encodeURIComponent(documentId)}`;
    let outcome: SendOutcome;
    if (!deps.messenger) {
      outcome = {
        delivered: false,
        answer: '未配置邮件服务器（SMTP_URL），无法电子送达 / no mail server is configured (SMTP_URL)',
        at: now,
      };
    } else {
      try {
        outcome =
          address.channel === 'email'
            ? await deps.messenger.sendMail({
                to: address.address,
                subject: `【电子送达】${doc.title}`,
                text: [
                  '您好：',
                  '',
                  `${doc.title}（文书编号 ${doc.id}）现向您电子送达（行政处罚法第六十一条，依您确认的电子送达地址）。`,
                  '文书全文见附件；您也可登录信用信息平台查看：',
                  link,
                  '',
                  '本邮件由系统自动发送，请勿直接回复。',
                ].join('\n'),
                attachments: [{ filename: `${doc.id}.html`, content: doc.html, contentType: 'text/html; charset=utf-8' }],
                key: id,
              })
            : await deps.messenger.sendSms({
                to: address.address,
                text: `【信用信息平台】${doc.title}（${doc.id}）已向您电子送达，请登录查看：${link}`,
                key: id,
              });
      } catch (err) {
        // Not an answer: the step is retried (its row stays `sending`, with what the server said this time).
        const answer = err instanceof SendUnavailable ? err.answer : (err as Error).message;
        await db.outgoingMessage.update({ where: { id }, data: { answer, attemptedAt: new Date() } });
        throw err;
      }
    }
    const row = await db.outgoingMessage.update({
      where: { id },
      data: {
        status: outcome.delivered ? 'sent' : 'failed',
        answer: outcome.answer.slice(0, 2000),
        attemptedAt: outcome.at,
        sentAt: outcome.delivered ? outcome.at : null,
      },
    });
    return outcomeOf(row);
  }

  return {
    /** Sends a document to the address its service names; the outcome decides whether it was served. */
    deliverDocument(req: { documentId: string; address: DeliveryAddress }): Promise<DeliveryOutcome> {
      return send(req.documentId, req.address);
    },

    /**
     * Best effort, for a document the case serves itself electronically (a dismissal, a removal, an objection's answer):
     * sent to the subject's newest consented address if they have one and nothing was sent for it yet. Its service is
     * what it was without this; a failure to send is kept in outgoing_messages and changes nothing else.
     */
    async sendToConsentedAddress(documentId: string): Promise<DeliveryOutcome | null> {
      if (!deps.messenger) return null;
      const already = await db.outgoingMessage.findFirst({ where: { documentId, purpose: 'service' } });
      if (already) return outcomeOf(already);
      const doc = await db.document.findUnique({ where: { id: documentId }, select: { servedTo: true } });
      if (!doc?.servedTo) return null;
      const [address] = await consentedAddressesOf(db, doc.servedTo);
      if (!address) return null;
      return send(documentId, { id: address.id, channel: address.channel, address: address.address }).catch(() => null);
    },
  };
}

function outcomeOf(r: {
  id: string;
  status: string;
  channel: string;
  toAddress: string;
  addressId: string | null;
  answer: string | null;
  attemptedAt: Date;
  sentAt: Date | null;
}): DeliveryOutcome {
  return {
    messageId: r.id,
    delivered: r.status === 'sent',
    channel: r.channel === 'sms' ? 'sms' : 'email',
    to: r.toAddress,
    addressId: r.addressId ?? '',
    answer: r.answer ?? '',
    at: (r.sentAt ?? r.attemptedAt).toISOString(),
  };
}

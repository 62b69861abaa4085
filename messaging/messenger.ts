import { createTransport, type Transporter } from 'nodemailer';

/** An e-mail as the system sends it: a document served, a reminder, a department's digest. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: string | Buffer; contentType: string }[];
  /** The message's key (outgoing_messages.id): sent as its Message-ID, so the receiving side can tell a resend. */
  key: string;
}

export interface Sms {
  to: string;
  text: string;
  key: string;
}

/**
 * What the mail server or the SMS gateway answered. `delivered`: it took the message; `refused`: it said no for good
 * (an unknown recipient, a mailbox that does not exist: a bounce), so sending again will not help. A server that
 * cannot be reached or answers "try later" is not an answer: `send*` throws, and the caller retries.
 */
export type SendOutcome = { delivered: true; answer: string; at: Date } | { delivered: false; answer: string; at: Date };

/** Where e-mails and SMS go; the worker's activities and the reminders take one (tests pass a real SMTP server's). */
export interface Messenger {
  sendMail(mail: Mail): Promise<SendOutcome>;
  sendSms(sms: Sms): Promise<SendOutcome>;
}

/** A message could not be handed over now (the server away, a temporary refusal): try again later. */
export class SendUnavailable extends Error {
  constructor(
    message: string,
    readonly answer: string,
  ) {
    super(message);
    this.name = 'SendUnavailable';
  }
}

export interface SmtpMessengerOptions {
  /** smtp://user:pass@host:port (or smtps://); the embedded default's mail catcher listens on localhost. */
  smtpUrl: string;
  from: string;
  /** The SMS gateway (messaging/sms-gateway.ts); without one, an SMS is refused with the reason. */
  sms?: (sms: Sms) => Promise<SendOutcome>;
}

/** What nodemailer's SMTP transport reports of a message it handed over. */
interface SentInfo {
  rejected: unknown[];
  response: string;
}

/** E-mail through SMTP with nodemailer. A 5xx reply is a refusal (a bounce); anything else unanswered throws SendUnavailable. */
export function smtpMessenger(opts: SmtpMessengerOptions): Messenger {
  const transport: Transporter = createTransport(opts.smtpUrl);
  return {
    async sendMail(mail) {
      try {
        const info: SentInfo = (await transport.sendMail({
          from: opts.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
          ...(mail.attachments ? { attachments: mail.attachments } : {}),
          messageId: `<${mail.key}@credit-procedures>`,
        })) as SentInfo;
        const rejected = info.rejected.length > 0;
        return { delivered: !rejected, answer: info.response, at: new Date() };
      } catch (err) {
        const e = err as { responseCode?: number; response?: string; message?: string };
        const answer = e.response ?? e.message ?? String(err);
        if (typeof e.responseCode === 'number' && e.responseCode >= 500) return { delivered: false, answer, at: new Date() };
        throw new SendUnavailable(`the mail server did not take the message: ${answer}`, answer);
      }
    },
    async sendSms(sms) {
      if (!opts.sms) return { delivered: false, answer: 'no SMS gateway is configured (SMS_GATEWAY_URL)', at: new Date() };
      return opts.sms(sms);
    },
  };
}

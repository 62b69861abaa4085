import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMailCatcher, type CaughtMail } from '../../messaging/mail-catcher';

export type { CaughtMail };

export interface SmtpCatcher {
  url: string;
  /** Every mail received, in the order received. */
  mails: CaughtMail[];
  to(address: string): CaughtMail[];
  stop(): Promise<void>;
}

/**
 * A real SMTP server on a free local port (the mail catcher of the embedded default, in a directory of its own) whose
 * mails a test reads as they arrive. It refuses for good (550) a mailbox whose name starts with "bounce", as a server
 * refuses one that does not exist.
 */
export async function startSmtpCatcher(): Promise<SmtpCatcher> {
  const mails: CaughtMail[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'smtp-catcher-'));
  const catcher = await startMailCatcher({
    dir,
    refuse: (to) => (/^bounce[^@]*@/i.test(to) ? `5.1.1 <${to}>: mailbox unavailable` : undefined),
    onMail: (mail) => mails.push(mail),
  });
  return {
    url: catcher.url,
    mails,
    to: (address) => mails.filter((m) => m.to.includes(address)),
    async stop() {
      await catcher.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

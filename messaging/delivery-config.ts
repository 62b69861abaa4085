import type { Config } from '../config/config';
import type { ElectronicServiceDeps } from '../activities/electronic-service';
import { smtpMessenger } from './messenger';
import { httpSmsGateway } from './sms-gateway';

/** Where the worker sends documents served electronically: SMTP_URL's mail server, SMS_GATEWAY_URL's gateway. */
export function deliveryOfConfig(
  cfg: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'SMS_GATEWAY_URL' | 'CONSOLE_PUBLIC_URL' | 'HOST' | 'PORT'>,
): ElectronicServiceDeps {
  const consoleUrl = cfg.CONSOLE_PUBLIC_URL ?? `http://${cfg.HOST}:${cfg.PORT}`;
  if (!cfg.SMTP_URL) return { consoleUrl };
  return {
    consoleUrl,
    messenger: smtpMessenger({
      smtpUrl: cfg.SMTP_URL,
      from: cfg.MAIL_FROM,
      ...(cfg.SMS_GATEWAY_URL ? { sms: httpSmsGateway(cfg.SMS_GATEWAY_URL) } : {}),
    }),
  };
}

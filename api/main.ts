import { Client, Connection } from '@temporalio/client';
import { auditSignerOfConfig, loadConfig, ConfigError, oidcSettingsOf, providerTokenSettingsOf } from '../config/config';
import { temporalConnectionOptions } from '../config/temporal';
import { createDb } from '../db/client';
import { startAuditSequencer } from '../db/audit-sequencer';
import { createLogger } from './logger';
import { buildApp } from './app';

async function main(): Promise<void> {
  const cfg = loadConfig();
  const logger = createLogger(cfg.LOG_LEVEL);
  const db = createDb(cfg.DATABASE_URL);
  const connection = await Connection.connect(temporalConnectionOptions(cfg));
  const temporal = new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE });
  const auditSigner = auditSignerOfConfig(cfg);
  if (!auditSigner) logger.warn('AUDIT_SIGNING_KEY is not set: the audit chain gets no signed checkpoints');
  const app = await buildApp(
    {
      db,
      temporal,
      taskQueue: cfg.TEMPORAL_TASK_QUEUE,
      jwtSecret: cfg.AUTH_JWT_SECRET,
      providerTokens: providerTokenSettingsOf(cfg),
      auditSigner,
      mailCatcherDir: process.env.MAIL_CATCHER_DIR,
      console: {
        devSignIn: cfg.CONSOLE_DEV_SIGN_IN,
        secureCookies: cfg.CONSOLE_SECURE_COOKIES,
        oidc: oidcSettingsOf(cfg),
      },
    },
    logger,
  );
  await app.listen({ port: cfg.PORT, host: cfg.HOST });
  // Every API process runs one; one of them (or of the workers') leads at a time.
  const sequencer = startAuditSequencer({
    db,
    databaseUrl: cfg.DATABASE_URL,
    signer: auditSigner,
    log: logger.child({ component: 'audit-sequencer' }),
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'api stopping');
    await app.close();
    await sequencer.stop();
    await connection.close();
    await db.$disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});

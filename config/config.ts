import { z } from 'zod';
import type { OidcSettings } from '../console/oidc';
import type { ProviderTokenSettings } from '../api/provider-tokens';
import type { ClaimNames } from '../contract/principal';
import { auditSignerOf, type AuditSigner } from '../db/audit-signing';

/**
 * All settings, read once from the environment and validated. A missing or malformed one stops
 * start-up with a message naming it, instead of failing later in some request.
 */
const boolFromEnv = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('credit-procedures'),
  TEMPORAL_TLS: boolFromEnv.default(false),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 key)'),
  /** The console's sign-in page for the development identities: on for the embedded default only. */
  CONSOLE_DEV_SIGN_IN: boolFromEnv.default(false),
  /** The console's cookies are Secure (HTTPS only) everywhere but the embedded default on localhost. */
  CONSOLE_SECURE_COOKIES: boolFromEnv.default(true),
  /** Sign-in to the console through an OpenID provider (authorisation code with PKCE): all four, or none. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** This console's callback as registered with the provider: https://<host>/console/oidc/callback. */
  OIDC_REDIRECT_URI: z.url().optional(),
  /** Plain http to the provider: only for a provider on the same machine. */
  OIDC_ALLOW_HTTP: boolFromEnv.default(false),
  /** Where the provider's claims say the user's role, department and subject id. */
  OIDC_ROLE_CLAIM: z.string().min(1).default('role'),
  OIDC_DEPT_CLAIM: z.string().min(1).default('dept'),
  OIDC_SUBJECT_CLAIM: z.string().min(1).default('subject_id'),
  /** The display name: the first of these claims (comma-separated) the provider gives. */
  OIDC_NAME_CLAIM: z
    .string()
    .default('name,preferred_username')
    .transform((v) => v.split(',').map((n) => n.trim()))
    .refine((names) => names.every((n) => n !== ''), 'must be claim names separated by commas'),
  /** The scopes the sign-in asks for: `openid` and whichever scope carries the role claims at the provider. */
  OIDC_SCOPE: z
    .string()
    .default('openid profile')
    .refine((v) => v.split(' ').includes('openid'), 'must include openid'),
  /** Where the provider sends the browser after signing out there; by default https://<host>/console/sign-in. */
  OIDC_POST_LOGOUT_REDIRECT_URI: z.url().optional(),
  /**
   * Bearer tokens the identity provider signs (RS256, ES256), e.g. from the client-credentials grant of a portal or a
   * department's system: the issuer and the audience they must name, and where the provider's keys are (by default
   * the `jwks_uri` of the issuer's discovery document).
   */
  API_TOKEN_ISSUER: z.url().optional(),
  API_TOKEN_AUDIENCE: z.string().min(1).optional(),
  API_TOKEN_JWKS_URL: z.url().optional(),
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(120),
  /** Stack frames the worker's workflow threads capture (worker.ts DEFAULT_WORKFLOW_STACK_FRAMES): none by default. */
  WORKFLOW_STACK_FRAMES: z.coerce.number().int().min(0).max(100).default(0),
  /**
   * How many cases a worker process holds between their actions (the SDK's maxCachedWorkflows); one it no longer holds
   * is replayed before its next action. Unset: 1,000, fewer where the heap limit holds fewer (defaultCachedCases).
   */
  WORKER_CACHED_CASES: z.coerce.number().int().min(1).optional(),
  /**
   * The Ed25519 private key that signs checkpoints of the audit chain (PKCS8 PEM, or the base64 of its DER); the same
   * key in every API and worker process. Without it the chain is still linked and verified, but no checkpoint is
   * signed, so a chain cut short at its end is not found.
   */
  /**
   * The provincial platform's exchange (docs/exchange.md): where the outbox is delivered and reconciled, and the
   * shared secret its requests are signed with (HMAC-SHA256 of the body). Without EXCHANGE_URL the outbox fills and waits.
   */
  EXCHANGE_URL: z.url().optional(),
  EXCHANGE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Where e-mails go (smtp:// or smtps://, with user:pass@ if the server asks); `npm start` runs a mail catcher. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('信用信息平台 <no-reply@credit.localhost>'),
  /** The SMS gateway (messaging/sms-gateway.ts); without one an SMS is refused with that reason. */
  SMS_GATEWAY_URL: z.url().optional(),
  /** The console's address as people reach it, for the links in mails (the embedded default's when unset). */
  CONSOLE_PUBLIC_URL: z.url().optional(),
  AUDIT_SIGNING_KEY: z
    .string()
    .min(1)
    .optional()
    .refine((v) => v === undefined || signerOrUndefined(v) !== undefined, 'must be an Ed25519 private key (PKCS8 PEM or base64 DER)'),
});

function signerOrUndefined(key: string): AuditSigner | undefined {
  try {
    return auditSignerOf(key);
  } catch {
    return undefined;
  }
}

/** The audit checkpoints' signing key, when configured. */
export function auditSignerOfConfig(cfg: Config): AuditSigner | undefined {
  return cfg.AUDIT_SIGNING_KEY ? auditSignerOf(cfg.AUDIT_SIGNING_KEY) : undefined;
}

export type Config = z.infer<typeof configSchema>;

/**
 * The most cases a worker holds per MiB of its heap limit. A cached listing holds about 0.2 MiB of the worker's RSS just
 * opened and 0.5-0.6 MiB once listed (`npm run bench:case-memory`); a case later in its life holds more, and the bound
 * leaves a listed case room to grow by two thirds.
 */
export const WORKER_CACHED_CASES_PER_HEAP_MIB = 1;

/**
 * How many cases a worker holds unless WORKER_CACHED_CASES says otherwise. Not the SDK's default (600 per GiB of heap
 * limit, 2,310 for 4 GiB): on every task and completion the SDK's core walks every run its worker holds (sdk-core
 * `WFStream::reconcile_buffered`), so each held case costs every action a little. A served notice cost the worker 3.55
 * ms of CPU holding 2,310 cases against 2.8 ms holding 600 and 3.1 ms holding 1,000 (issue 23, measured in pairs); an
 * action on a case no longer held costs it about 3 ms more, for the replay (`npm run bench:cold-actions`).
 */
export const WORKER_CACHED_CASES_DEFAULT = 1000;

/** The heap limit in whole MiB, and the most cases it holds (WORKER_CACHED_CASES_PER_HEAP_MIB). */
function heapHolds(heapLimitBytes: number): { heapMiB: number; most: number } {
  const heapMiB = Math.floor(heapLimitBytes / 1048576);
  return { heapMiB, most: heapMiB * WORKER_CACHED_CASES_PER_HEAP_MIB };
}

/** The worker's cache size where WORKER_CACHED_CASES is unset: the default, or what the heap limit holds if fewer. */
export function defaultCachedCases(heapLimitBytes: number): number {
  return Math.max(1, Math.min(WORKER_CACHED_CASES_DEFAULT, heapHolds(heapLimitBytes).most));
}

/**
 * The worker's cache size from WORKER_CACHED_CASES (undefined: buildWorker's default, defaultCachedCases), refused where
 * the workflow thread's heap, whose limit is the process's (NODE_OPTIONS=--max-old-space-size), could not hold it: a
 * worker that runs out of heap dies with every case it held, then its replacement fills up the same way.
 */
export function workerCachedCasesOf(cfg: Pick<Config, 'WORKER_CACHED_CASES'>, heapLimitBytes: number): number | undefined {
  const cases = cfg.WORKER_CACHED_CASES;
  if (cases === undefined) return undefined;
  const { heapMiB, most } = heapHolds(heapLimitBytes);
  if (cases > most) {
    throw new ConfigError([
      `WORKER_CACHED_CASES: ${cases} cases need more than the worker's heap limit of ${heapMiB} MiB holds (at most ${most}); ` +
        `raise the limit (NODE_OPTIONS=--max-old-space-size=<MiB>) or hold fewer`,
    ]);
  }
  return cases;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const cfg = result.data;
  if ((cfg.TEMPORAL_TLS_CERT_PATH === undefined) !== (cfg.TEMPORAL_TLS_KEY_PATH === undefined)) {
    throw new ConfigError(['TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together']);
  }
  const oidc = [cfg.OIDC_ISSUER, cfg.OIDC_CLIENT_ID, cfg.OIDC_CLIENT_SECRET, cfg.OIDC_REDIRECT_URI];
  if (oidc.some((v) => v !== undefined) && oidc.some((v) => v === undefined)) {
    throw new ConfigError(['OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI must be set together']);
  }
  const problems: string[] = [];
  if ((cfg.API_TOKEN_ISSUER === undefined) !== (cfg.API_TOKEN_AUDIENCE === undefined))
    problems.push('API_TOKEN_ISSUER and API_TOKEN_AUDIENCE must be set together');
  if (cfg.API_TOKEN_JWKS_URL && !cfg.API_TOKEN_ISSUER) problems.push('API_TOKEN_JWKS_URL needs API_TOKEN_ISSUER');
  for (const name of ['OIDC_ISSUER', 'API_TOKEN_ISSUER', 'API_TOKEN_JWKS_URL'] as const) {
    const v = cfg[name];
    if (v && !v.startsWith('https:') && !cfg.OIDC_ALLOW_HTTP)
      problems.push(`${name}: must be https (or OIDC_ALLOW_HTTP=true for a provider on this machine)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return cfg;
}

/** The console's OpenID sign-in settings, when configured. */
export function oidcSettingsOf(cfg: Config): OidcSettings | undefined {
  if (!cfg.OIDC_ISSUER || !cfg.OIDC_CLIENT_ID || !cfg.OIDC_CLIENT_SECRET || !cfg.OIDC_REDIRECT_URI) return undefined;
  return {
    issuer: cfg.OIDC_ISSUER,
    clientId: cfg.OIDC_CLIENT_ID,
    clientSecret: cfg.OIDC_CLIENT_SECRET,
    redirectUri: cfg.OIDC_REDIRECT_URI,
    allowHttp: cfg.OIDC_ALLOW_HTTP,
    claimNames: claimNamesOf(cfg),
    ...(cfg.OIDC_SCOPE !== 'openid profile' ? { scope: cfg.OIDC_SCOPE } : {}),
    ...(cfg.OIDC_POST_LOGOUT_REDIRECT_URI ? { postLogoutRedirectUri: cfg.OIDC_POST_LOGOUT_REDIRECT_URI } : {}),
  };
}

function claimNamesOf(cfg: Config): ClaimNames {
  return { role: cfg.OIDC_ROLE_CLAIM, dept: cfg.OIDC_DEPT_CLAIM, subjectId: cfg.OIDC_SUBJECT_CLAIM, name: cfg.OIDC_NAME_CLAIM };
}

/** The API's verification of the provider's own bearer tokens, when configured. */
export function providerTokenSettingsOf(cfg: Config): ProviderTokenSettings | undefined {
  if (!cfg.API_TOKEN_ISSUER || !cfg.API_TOKEN_AUDIENCE) return undefined;
  return {
    issuer: cfg.API_TOKEN_ISSUER,
    audience: cfg.API_TOKEN_AUDIENCE,
    ...(cfg.API_TOKEN_JWKS_URL ? { jwksUrl: cfg.API_TOKEN_JWKS_URL } : {}),
    claimNames: claimNamesOf(cfg),
  };
}

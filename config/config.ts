import { z } from 'zod';
import type { OidcSettings } from '../console/oidc';

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
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(120),
});

export type Config = z.infer<typeof configSchema>;

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
    claimNames: { role: cfg.OIDC_ROLE_CLAIM, dept: cfg.OIDC_DEPT_CLAIM, subjectId: cfg.OIDC_SUBJECT_CLAIM },
  };
}

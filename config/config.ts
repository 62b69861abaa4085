import { z } from 'zod';

/**
 * All settings, read once from the environment and validated. A missing or malformed one stops
 * start-up with a message naming it, instead of failing later in some request.
 */
const boolFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
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
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const cfg = result.data;
  if ((cfg.TEMPORAL_TLS_CERT_PATH === undefined) !== (cfg.TEMPORAL_TLS_KEY_PATH === undefined)) {
    throw new ConfigError(['TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together']);
  }
  return cfg;
}

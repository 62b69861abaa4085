import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from './lib/paths';
import { generateAuditSigningKey } from '../db/audit-signing';

/**
 * The embedded default's JWT secret: made once per clone and kept in the git-ignored data folder,
 * so tokens minted with `npm run token` keep working across restarts. Never used when AUTH_JWT_SECRET is set.
 */
export function devJwtSecret(): string {
  if (process.env.AUTH_JWT_SECRET) return process.env.AUTH_JWT_SECRET;
  const file = join(dataDir(), 'dev-jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/**
 * The embedded default's audit checkpoint key (Ed25519, PKCS8 PEM): made once per clone beside the JWT secret, so the
 * checkpoints signed before a restart still verify after it. Never used when AUDIT_SIGNING_KEY is set.
 */
export function devAuditSigningKey(): string {
  if (process.env.AUDIT_SIGNING_KEY) return process.env.AUDIT_SIGNING_KEY;
  const file = join(dataDir(), 'dev-audit-signing-key.pem');
  if (!existsSync(file)) writeFileSync(file, generateAuditSigningKey(), { mode: 0o600 });
  return readFileSync(file, 'utf8');
}

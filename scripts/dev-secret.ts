import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from './lib/paths';

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

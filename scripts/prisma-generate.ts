import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `prisma generate` needs no schema engine, but Prisma's CLI insists on locating one at start-up and
 * downloads it from Prisma's host when it is missing. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any
 * existing file satisfies that check offline; generate never runs it.
 */
const root = join(__dirname, '..');
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = existsSync('/bin/true') ? '/bin/true' : process.execPath;
const prisma = join(root, 'node_modules', '.bin', 'prisma');
const r = spawnSync(prisma, ['generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);

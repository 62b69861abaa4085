import { parseArgs } from 'node:util';
import { mintToken, type TokenClaims } from '../api/dev-tokens';
import { devJwtSecret } from './dev-secret';

/**
 * Mints a development token with the secret `npm start` uses (AUTH_JWT_SECRET, or the clone's own).
 *   npm run token -- --role officer --dept ZY-SAMR
 *   npm run token -- --role supervisor --dept ZY-DRC
 *   npm run token -- --role subject --subject-id 91620700MA71Y00240
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    dept: { type: 'string' },
    'subject-id': { type: 'string' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: '28800' },
  },
});

function fail(message: string): never {
  console.error(
    `token: ${message}\nusage: npm run token -- --role officer|supervisor --dept CODE | --role subject --subject-id ID [--sub NAME] [--ttl SECONDS]`,
  );
  process.exit(2);
}

const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds');
let claims: TokenClaims;
if (values.role === 'officer' || values.role === 'supervisor') {
  if (!values.dept) fail(`--dept is required for ${values.role}`);
  claims = { role: values.role, dept: values.dept, sub: values.sub ?? `${values.role}-${values.dept.toLowerCase()}` };
} else if (values.role === 'subject') {
  const subjectId = values['subject-id'];
  if (!subjectId) fail('--subject-id is required for subject');
  claims = { role: 'subject', subjectId, sub: values.sub ?? `subject-${subjectId}` };
} else {
  fail('--role must be officer, supervisor or subject');
}
process.stdout.write(`${mintToken(claims, devJwtSecret(), ttl)}\n`);

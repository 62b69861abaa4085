import { createHash } from 'node:crypto';

export { canonicalJson } from '../domain/canonical-json';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

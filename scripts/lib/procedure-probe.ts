/**
 * After a fuzzing run: does every department's listing procedure still run? One listing case per department is
 * opened by that department's officer and its pre-listing notice served, each within a bounded time. What a fuzzer
 * may send (policy overrides, calendar years, …) must never stop a procedure, as a 1-calendar-day statement window
 * once hung every serve_notice of its department behind an activity retried without end.
 */
import { randomInt } from 'node:crypto';
import { makeResidentId, makeUscc } from '../../domain/identity';
import { mintToken } from '../../api/dev-tokens';

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function freshUscc(): string {
  let body = '';
  for (let i = 0; i < 9; i++) body += USCC_CHARS.charAt(randomInt(USCC_CHARS.length));
  return makeUscc(`91620700${body}`);
}

export interface ProbeResult {
  department: string;
  ok: boolean;
  ms: number;
  detail: string;
}

async function call(
  base: string,
  token: string,
  { method, path, body, timeoutMs }: { method: string; path: string; body: unknown; timeoutMs: number },
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as unknown };
}

/** Opens a listing case in every department and serves its notice, each within `timeoutMs`. */
export async function probeListingInEveryDepartment(base: string, secret: string, timeoutMs = 20_000): Promise<ProbeResult[]> {
  const reader = mintToken({ role: 'officer', sub: 'probe-reader', dept: 'ZY-DRC' }, secret, 600);
  const listed = await call(base, reader, { method: 'GET', path: '/v1/departments', body: undefined, timeoutMs });
  const departments = (listed.json as { items: { code: string }[] }).items;
  const results: ProbeResult[] = [];
  for (const { code } of departments) {
    const token = mintToken({ role: 'officer', sub: `probe-officer-${code}`, dept: code }, secret, 600);
    const started = Date.now();
    const left = () => Math.max(1, timeoutMs - (Date.now() - started));
    try {
      const opened = await call(base, token, {
        method: 'POST',
        path: '/v1/cases',
        body: {
          procedure: 'listing',
          subject: { kind: 'legal_person', id: freshUscc(), name: '张掖市契约测试有限公司' },
          category: 'health_safety',
          facts: '契约测试之后：本部门的列入程序仍可办理。',
          basisDocuments: [{ title: '行政处罚决定书', number: '张契测〔2026〕1号', issuedOn: new Date().toISOString().slice(0, 10) }],
          proposedMeasures: ['N-01'],
          responsiblePersons: [
            {
              role: 'legal_representative',
              name: '王某',
              idNumber: makeResidentId('620702', '19800101', String(randomInt(1000)).padStart(3, '0')),
            },
          ],
        },
        timeoutMs: left(),
      });
      if (opened.status !== 201) throw new Error(`opening answered ${opened.status}: ${JSON.stringify(opened.json)}`);
      const caseId = (opened.json as { id: string }).id;
      const served = await call(base, token, {
        method: 'POST',
        path: `/v1/cases/${caseId}/actions/serve_notice`,
        body: { servedAt: new Date().toISOString(), method: 'in_person' },
        timeoutMs: left(),
      });
      if (served.status !== 200) throw new Error(`serve_notice answered ${served.status}: ${JSON.stringify(served.json)}`);
      results.push({ department: code, ok: true, ms: Date.now() - started, detail: `${caseId} served` });
    } catch (err) {
      const e = err as Error;
      const detail = e.name === 'TimeoutError' || e.name === 'AbortError' ? `not served within ${timeoutMs} ms` : e.message;
      results.push({ department: code, ok: false, ms: Date.now() - started, detail });
    }
  }
  return results;
}

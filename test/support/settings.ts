import type { System, Reply } from './system';
import { SECOND_SUPERVISOR, SUPERVISOR } from './fixtures';

type Claims = Parameters<System['token']>[0];

export interface AppliedSetting {
  /** The 202 answer of the proposing request (`PUT /v1/calendar/years/{year}`, `POST /v1/policy/overrides`). */
  proposed: Reply;
  /** The answer of `POST /v1/settings/proposals/{id}/approve`, by a second supervisor. */
  approved: Reply;
  /** What applying it answered (the proposal's `result`). */
  result: any;
}

/**
 * Changes a legal setting as the system requires: one supervisor proposes, a second approves. Fails loudly when
 * either step is refused, so a test that means to change a setting never goes on with it unchanged.
 */
export async function applySetting(
  sys: System,
  request: { method: 'PUT' | 'POST'; url: string; payload: unknown },
  by: { proposer?: Claims; approver?: Claims } = {},
): Promise<AppliedSetting> {
  const auth = (c: Claims) => ({ authorization: `Bearer ${sys.token(c)}` });
  const proposed = await sys.app.inject({
    method: request.method,
    url: request.url,
    headers: auth(by.proposer ?? SUPERVISOR),
    payload: request.payload as object,
  });
  if (proposed.statusCode !== 202)
    throw new Error(`${request.method} ${request.url} was not proposed: ${proposed.statusCode} ${proposed.body}`);
  const approved = await sys.app.inject({
    method: 'POST',
    url: `/v1/settings/proposals/${proposed.json().id}/approve`,
    headers: auth(by.approver ?? SECOND_SUPERVISOR),
  });
  if (approved.statusCode !== 200)
    throw new Error(`proposal ${proposed.json().id} was not approved: ${approved.statusCode} ${approved.body}`);
  return { proposed, approved, result: approved.json().result };
}

import { SendUnavailable, type SendOutcome, type Sms } from './messenger';

/**
 * The SMS gateway adapter: one HTTP POST to SMS_GATEWAY_URL per message, a JSON body
 *
 *   { "to": "13800138000", "text": "…", "key": "<the message's key>" }
 *
 * with the key also as the `Idempotency-Key` header (a gateway that keeps it sends a retried message once). The answer:
 * `2xx` accepted (its body, e.g. `{ "id": "…", "status": "accepted" }`, is kept as the answer); `4xx` refused for good (a
 * number that does not exist, a recipient the operator rejects: the body says why); `5xx` or no answer is "try later"
 * (SendUnavailable), and the caller retries. A commercial gateway plugs in behind the same function shape.
 */
export function httpSmsGateway(url: string, opts: { timeoutMs?: number } = {}): (sms: Sms) => Promise<SendOutcome> {
  return async (sms) => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': sms.key },
        body: JSON.stringify({ to: sms.to, text: sms.text, key: sms.key }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const answer = (err as Error).message;
      throw new SendUnavailable(`the SMS gateway did not answer: ${answer}`, answer);
    }
    const answer = `${res.status} ${(await res.text().catch(() => '')).slice(0, 1000)}`.trim();
    if (res.status >= 500) throw new SendUnavailable(`the SMS gateway cannot take the message now: ${answer}`, answer);
    return { delivered: res.ok, answer, at: new Date() };
  };
}

import pino, { type Logger } from 'pino';

/** One logger shape for API and worker. Secrets never reach a log line. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'credit-procedures' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.password'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** What an OpenID callback's query may show in a log: the provider's error, never the code (or the state). */
const CALLBACK_PARAMS_SHOWN = new Set(['error', 'error_description', 'iss']);

/** A request URL as logged: the query of the OpenID callback (`/console/oidc/callback`) redacted but for its error. */
export function loggedUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || !url.slice(0, q).endsWith('/oidc/callback')) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const [k] of params) if (!CALLBACK_PARAMS_SHOWN.has(k)) params.set(k, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * The request serializer Fastify uses for "incoming request" (its own, with the URL passed through `loggedUrl`), on
 * a child of whichever logger the app is given, so the redaction holds whatever logger a deployment or test passes.
 */
export function withRequestRedaction(logger: Logger): Logger {
  return logger.child(
    {},
    {
      serializers: {
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: loggedUrl(req.url),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
    },
  );
}

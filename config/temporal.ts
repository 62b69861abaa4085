import { readFileSync } from 'node:fs';
import type { Config } from './config';

/**
 * Connection options for a local dev server, a self-hosted cluster (mTLS) or Temporal Cloud (API key),
 * all from the same settings. Shape shared by @temporalio/client's Connection and the worker's NativeConnection.
 */
export function temporalConnectionOptions(cfg: Config) {
  const mtls =
    cfg.TEMPORAL_TLS_CERT_PATH && cfg.TEMPORAL_TLS_KEY_PATH
      ? { crt: readFileSync(cfg.TEMPORAL_TLS_CERT_PATH), key: readFileSync(cfg.TEMPORAL_TLS_KEY_PATH) }
      : undefined;
  const tlsWanted = cfg.TEMPORAL_TLS || mtls !== undefined || cfg.TEMPORAL_API_KEY !== undefined;
  return {
    address: cfg.TEMPORAL_ADDRESS,
    tls: tlsWanted
      ? {
          ...(mtls ? { clientCertPair: mtls } : {}),
          ...(cfg.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: cfg.TEMPORAL_TLS_SERVER_NAME } : {}),
        }
      : undefined,
    ...(cfg.TEMPORAL_API_KEY ? { apiKey: cfg.TEMPORAL_API_KEY } : {}),
  };
}

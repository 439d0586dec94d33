/**
 * The contract between `test/infra/infra.ts up` and the tests: `.infra/env.json`.
 * Test credentials only; every address is on 127.0.0.1.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in <root>/test/infra). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Runtime folder (git-ignored). Override with DPX_INFRA_DIR. */
export const INFRA_DIR = process.env['DPX_INFRA_DIR']
  ? path.resolve(process.env['DPX_INFRA_DIR'])
  : path.join(ROOT, '.infra');
export const ENV_FILE = path.join(INFRA_DIR, 'env.json');

export type ScramMechanism = 'scram-sha-256' | 'scram-sha-512';

export interface KafkaSecureEnv {
  /** SASL_SSL listener: TLS (server cert for 127.0.0.1/localhost, signed by caFile) + SCRAM. */
  bootstrap: string;
  securityProtocol: 'SASL_SSL';
  /** PEM of the test CA that signed the broker certificate. */
  caFile: string;
  /** Java truststore (PKCS12) holding the same CA, for JVM clients. */
  truststoreFile: string;
  truststorePassword: string;
  /** SCRAM mechanisms enabled on the listener; the user exists for both. */
  mechanisms: ScramMechanism[];
  username: string;
  password: string;
  /** The SSL listener that requires a client certificate (signed by the same CA). */
  mtls: { bootstrap: string; certFile: string; keyFile: string };
}

export interface KafkaEnv {
  /** PLAINTEXT listener, no auth. */
  bootstrap: string;
  version: string;
  clusterId: string;
  /** Present only when `up --secure` was asked for. */
  secure: KafkaSecureEnv | null;
  logFile: string;
}

export interface S3Env {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The server does path-style addressing only (http://127.0.0.1:PORT/bucket/key). */
  forcePathStyle: true;
  server: string;
  version: string;
  dataDir: string;
  logFile: string;
}

export interface InfraEnv {
  kafka: KafkaEnv | null;
  s3: S3Env | null;
  pids: { kafka?: number; s3?: number };
  updatedAt: string;
}

/** Reads `.infra/env.json`, or throws an error that says how to create it. */
export function readInfraEnv(): InfraEnv {
  if (!existsSync(ENV_FILE)) {
    throw new Error(
      `${path.relative(ROOT, ENV_FILE)} not found: start the test services first with ` +
        '`npx tsx test/infra/infra.ts up` (add --secure for the SASL_SSL listener)',
    );
  }
  return JSON.parse(readFileSync(ENV_FILE, 'utf8')) as InfraEnv;
}

/** Reads the env file if present (no error), for the infra scripts themselves. */
export function readInfraEnvIfAny(): InfraEnv | null {
  try {
    return JSON.parse(readFileSync(ENV_FILE, 'utf8')) as InfraEnv;
  } catch {
    return null;
  }
}

/** Server configuration, all from the environment (see server/README.md). */
import path from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  reportTokens: string[];
  adminPassword: string | null;
  ruleListPath: string | null;
  /** Who signs lists published from the dashboard: the server's own key, or the admin offline. */
  ruleListSigning: 'server' | 'offline';
  /** Offline signing: the policy's ruleListPublicKey, to check uploaded lists with. */
  ruleListPublicKey: string | null;
  maxBodyBytes: number;
  ratePerSecond: number;
  rateBurst: number;
  pgPoolSize: number;
  /** Send session cookies with Secure even over plain HTTP (behind a TLS-terminating proxy). */
  secureCookies: boolean;
  log: boolean;
}

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    throw new Error(`${name} must be a number of at least ${min} (it is "${raw}")`);
  }
  return value;
}

function signingFrom(raw: string | undefined): 'server' | 'offline' {
  const value = raw?.trim() || 'server';
  if (value !== 'server' && value !== 'offline') {
    throw new Error(`STEWARD_RULE_LIST_SIGNING must be "server" or "offline" (it is "${raw}")`);
  }
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = path.resolve(env.STEWARD_DATA_DIR?.trim() || './.data');
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  return {
    port: numberFrom(env, 'PORT', 8787, 0),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir,
    databaseUrl: databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl) ? databaseUrl : null,
    reportTokens: (env.STEWARD_REPORT_TOKENS ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
    adminPassword: env.STEWARD_ADMIN_PASSWORD || null,
    ruleListPath: env.STEWARD_RULE_LIST?.trim() ? path.resolve(env.STEWARD_RULE_LIST.trim()) : null,
    ruleListSigning: signingFrom(env.STEWARD_RULE_LIST_SIGNING),
    ruleListPublicKey: env.STEWARD_RULE_LIST_PUBLIC_KEY?.trim() || null,
    maxBodyBytes: numberFrom(env, 'STEWARD_MAX_BODY_BYTES', 256 * 1024, 1024),
    ratePerSecond: numberFrom(env, 'STEWARD_RATE_PER_SECOND', 50, 0),
    rateBurst: numberFrom(env, 'STEWARD_RATE_BURST', 500, 1),
    pgPoolSize: numberFrom(env, 'STEWARD_PG_POOL', 10, 1),
    secureCookies: env.STEWARD_SECURE_COOKIES === '1',
    log: env.STEWARD_LOG !== 'off',
  };
}

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
  /** Sign-in name of the first IT account made from STEWARD_ADMIN_PASSWORD (the migration). */
  adminEmail: string;
  /** log2 of scrypt's N for new password hashes (server/passwords.ts). */
  passwordCost: number;
  /** Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or CIDR). */
  trustedProxies: string[];
  /** Wrong passwords allowed per client address, and from everyone together, per 15 minutes. */
  loginFailuresPerAddress: number;
  loginFailuresGlobal: number;
  /** How far after its receipt a batch's createdAt may be (browsers' clocks differ). */
  clockSkewSeconds: number;
  retainBatchDays: number;
  retainInstallationDays: number;
  pruneIntervalMinutes: number;
  quotaBatchesPerInstallationPerDay: number;
  quotaNewInstallationsPerTokenPerDay: number;
  /** Sign-in with the school's Google Workspace or Microsoft 365 (OpenID Connect), or null. */
  oidc: OidcConfig | null;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The address browsers reach the server at, e.g. https://reports.school.example. */
  publicUrl: string;
  /** What the sign-in button says: "Sign in with {name}". */
  name: string;
}

function oidcFrom(env: NodeJS.ProcessEnv): OidcConfig | null {
  const issuer = env.STEWARD_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const clientId = env.STEWARD_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.STEWARD_OIDC_CLIENT_SECRET ?? '';
  const publicUrl = env.STEWARD_PUBLIC_URL?.trim().replace(/\/+$/, '');
  if (!clientId || !clientSecret || !publicUrl) {
    throw new Error(
      'STEWARD_OIDC_ISSUER is set, so STEWARD_OIDC_CLIENT_ID, STEWARD_OIDC_CLIENT_SECRET and STEWARD_PUBLIC_URL must be set too',
    );
  }
  for (const [name, value] of [
    ['STEWARD_OIDC_ISSUER', issuer],
    ['STEWARD_PUBLIC_URL', publicUrl],
  ] as const) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`${name} must be a web address (it is "${value}")`);
    }
    if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
      throw new Error(`${name} must start with https:// (plain http only on this machine)`);
    }
  }
  return {
    issuer,
    clientId,
    clientSecret,
    publicUrl,
    name: env.STEWARD_OIDC_NAME?.trim() || 'your school account',
  };
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
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
    adminEmail: env.STEWARD_ADMIN_EMAIL?.trim().toLowerCase() || 'admin',
    passwordCost: numberFrom(env, 'STEWARD_PASSWORD_COST', 17, 14),
    trustedProxies: (env.STEWARD_TRUSTED_PROXIES ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
    loginFailuresPerAddress: numberFrom(env, 'STEWARD_LOGIN_FAILURES_PER_ADDRESS', 10, 1),
    loginFailuresGlobal: numberFrom(env, 'STEWARD_LOGIN_FAILURES_GLOBAL', 100, 1),
    clockSkewSeconds: numberFrom(env, 'STEWARD_CLOCK_SKEW_SECONDS', 300, 0),
    retainBatchDays: numberFrom(env, 'STEWARD_RETAIN_BATCH_DAYS', 180, 100),
    retainInstallationDays: numberFrom(env, 'STEWARD_RETAIN_INSTALLATION_DAYS', 180, 1),
    pruneIntervalMinutes: numberFrom(env, 'STEWARD_PRUNE_INTERVAL_MINUTES', 60, 1),
    quotaBatchesPerInstallationPerDay: numberFrom(env, 'STEWARD_QUOTA_BATCHES_PER_DAY', 500, 1),
    quotaNewInstallationsPerTokenPerDay: numberFrom(
      env,
      'STEWARD_QUOTA_NEW_INSTALLATIONS_PER_DAY',
      10_000,
      1,
    ),
    oidc: oidcFrom(env),
  };
}

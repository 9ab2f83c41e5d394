/**
 * The schema, as numbered migrations shared by SQLite and PostgreSQL. Only portable SQL:
 * TEXT, INTEGER, BIGINT; times as epoch milliseconds; days as 'YYYY-MM-DD' text (sorts and
 * compares as a date). Append new migrations; never edit an applied one.
 */
import { type Admin, isRole } from '../roles.ts';
import type { Account, AuditEntry, InstallationRow, Page } from './types.ts';

export interface Migration {
  version: number;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE batches (
        batch_id TEXT PRIMARY KEY,
        installation_id TEXT NOT NULL,
        token_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        received_at BIGINT NOT NULL,
        navigation_rows INTEGER NOT NULL,
        email_rows INTEGER NOT NULL
      )`,
      `CREATE TABLE navigation_counts (
        day TEXT NOT NULL,
        category TEXT NOT NULL,
        outcome TEXT NOT NULL,
        installation_id TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (day, category, outcome, installation_id)
      )`,
      `CREATE TABLE email_counts (
        day TEXT NOT NULL,
        detector TEXT NOT NULL,
        outcome TEXT NOT NULL,
        installation_id TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (day, detector, outcome, installation_id)
      )`,
      `CREATE TABLE installations (
        installation_id TEXT PRIMARY KEY,
        identity TEXT,
        first_seen BIGINT NOT NULL,
        last_seen BIGINT NOT NULL,
        batches BIGINT NOT NULL,
        status_created_ms BIGINT NOT NULL,
        extension_version TEXT NOT NULL,
        browser TEXT NOT NULL,
        policy_source TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        policy_error TEXT,
        rule_list_version BIGINT,
        rule_list_error TEXT,
        install_json TEXT,
        adapter_health_json TEXT
      )`,
      `CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        expires_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    // Named admin accounts with roles (server/roles.ts), sessions tied to an account, the audit
    // log, OpenID Connect sign-ins in progress, and indexes for pruning, quotas and paging.
    // Sessions from version 1 belonged to the one shared password and have no account: they are
    // ended (everyone signs in once more).
    version: 2,
    statements: [
      `CREATE TABLE accounts (
        account_id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
      'DELETE FROM sessions',
      'ALTER TABLE sessions ADD COLUMN account_id TEXT',
      `CREATE TABLE audit_log (
        entry_id TEXT PRIMARY KEY,
        at BIGINT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL
      )`,
      'CREATE INDEX audit_log_at ON audit_log (at, entry_id)',
      `CREATE TABLE sign_in_attempts (
        id_hash TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        nonce TEXT NOT NULL,
        code_verifier TEXT NOT NULL,
        expires_at BIGINT NOT NULL
      )`,
      'ALTER TABLE installations ADD COLUMN token_id TEXT',
      'ALTER TABLE installations ADD COLUMN quota_day TEXT',
      'ALTER TABLE installations ADD COLUMN quota_batches INTEGER',
      'CREATE INDEX installations_last_seen ON installations (last_seen, installation_id)',
      'CREATE INDEX installations_token_first_seen ON installations (token_id, first_seen)',
      'CREATE INDEX batches_received_at ON batches (received_at)',
    ],
  },
];

/**
 * Upsert of an installation's status. A batch that arrives late (a browser back from days
 * offline sends old batches after newer ones) must not overwrite newer status, so status
 * columns change only when the batch was created at or after the stored status.
 */
const NEWER = 'excluded.status_created_ms >= installations.status_created_ms';
const STATUS_COLUMNS = [
  'identity',
  'status_created_ms',
  'extension_version',
  'browser',
  'policy_source',
  'policy_version',
  'policy_error',
  'rule_list_version',
  'rule_list_error',
  'install_json',
  'adapter_health_json',
];

export const UPSERT_INSTALLATION = `INSERT INTO installations (
    installation_id, first_seen, last_seen, batches, ${STATUS_COLUMNS.join(', ')},
    token_id, quota_day, quota_batches
  ) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
  ON CONFLICT (installation_id) DO UPDATE SET
    last_seen = CASE WHEN excluded.last_seen > installations.last_seen
      THEN excluded.last_seen ELSE installations.last_seen END,
    batches = installations.batches + 1,
    quota_batches = CASE WHEN installations.quota_day = excluded.quota_day
      THEN installations.quota_batches + 1 ELSE 1 END,
    quota_day = excluded.quota_day,
    ${STATUS_COLUMNS.map((c) => `${c} = CASE WHEN ${NEWER} THEN excluded.${c} ELSE installations.${c} END`).join(',\n    ')}`;

/** An installation's batches today (its quota), or no row for a new installation. */
export const SELECT_QUOTA =
  'SELECT quota_day, quota_batches FROM installations WHERE installation_id = ?';
/** Installations a token brought in since a time (the per-token quota on new installations). */
export const COUNT_NEW_INSTALLATIONS =
  'SELECT COUNT(*) AS n FROM installations WHERE token_id = ? AND first_seen >= ?';
export const SELECT_BATCH_SEEN = 'SELECT 1 AS seen FROM batches WHERE batch_id = ?';

export const INSERT_BATCH = `INSERT INTO batches
  (batch_id, installation_id, token_id, created_at, received_at, navigation_rows, email_rows)
  VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (batch_id) DO NOTHING`;

export const SELECT_NAVIGATION = `SELECT day, category, outcome, SUM(count) AS count
  FROM navigation_counts WHERE day >= ? AND day <= ?
  GROUP BY day, category, outcome ORDER BY day, category, outcome`;

export const SELECT_EMAIL = `SELECT day, detector, outcome, SUM(count) AS count
  FROM email_counts WHERE day >= ? AND day <= ?
  GROUP BY day, detector, outcome ORDER BY day, detector, outcome`;

const INSTALLATION_COLUMNS = `installation_id, identity, first_seen, last_seen,
  batches, status_created_ms, extension_version, browser, policy_source, policy_version,
  policy_error, rule_list_version, rule_list_error, install_json, adapter_health_json`;

/** One page of installations, most recently seen first; keyset paging on (last_seen, id). */
export const SELECT_INSTALLATIONS_FIRST = `SELECT ${INSTALLATION_COLUMNS} FROM installations
  ORDER BY last_seen DESC, installation_id DESC LIMIT ?`;
export const SELECT_INSTALLATIONS_AFTER = `SELECT ${INSTALLATION_COLUMNS} FROM installations
  WHERE last_seen < ? OR (last_seen = ? AND installation_id < ?)
  ORDER BY last_seen DESC, installation_id DESC LIMIT ?`;
export const COUNT_INSTALLATIONS = 'SELECT COUNT(*) AS n FROM installations';

export const SELECT_AUDIT_FIRST = `SELECT entry_id, at, actor, action, target, detail FROM audit_log
  ORDER BY at DESC, entry_id DESC LIMIT ?`;
export const SELECT_AUDIT_AFTER = `SELECT entry_id, at, actor, action, target, detail FROM audit_log
  WHERE at < ? OR (at = ? AND entry_id < ?) ORDER BY at DESC, entry_id DESC LIMIT ?`;
export const INSERT_AUDIT =
  'INSERT INTO audit_log (entry_id, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)';

export const SELECT_ACCOUNTS = `SELECT account_id, email, name, role, password_hash, created_at,
  updated_at FROM accounts ORDER BY email`;
export const SELECT_ACCOUNT_BY_EMAIL = `SELECT account_id, email, name, role, password_hash,
  created_at, updated_at FROM accounts WHERE email = ?`;
export const INSERT_ACCOUNT = `INSERT INTO accounts
  (account_id, email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`;
export const SELECT_SESSION_ADMIN = `SELECT a.account_id, a.email, a.name, a.role, s.expires_at
  FROM sessions s JOIN accounts a ON a.account_id = s.account_id WHERE s.id_hash = ?`;

export interface InstallationDbRow {
  installation_id: string;
  identity: string | null;
  first_seen: number | string;
  last_seen: number | string;
  batches: number | string;
  status_created_ms: number | string;
  extension_version: string;
  browser: string;
  policy_source: string;
  policy_version: string;
  policy_error: string | null;
  rule_list_version: number | string | null;
  rule_list_error: string | null;
  install_json: string | null;
  adapter_health_json: string | null;
}

const iso = (ms: number | string): string => new Date(Number(ms)).toISOString();

export function toInstallation(row: InstallationDbRow): InstallationRow {
  return {
    installationId: row.installation_id,
    identity: row.identity,
    firstSeen: iso(row.first_seen),
    lastSeen: iso(row.last_seen),
    batches: Number(row.batches),
    statusCreatedAt: iso(row.status_created_ms),
    extensionVersion: row.extension_version,
    browser: row.browser,
    policySource: row.policy_source,
    policyVersion: row.policy_version,
    policyError: row.policy_error,
    ruleListVersion: row.rule_list_version === null ? null : Number(row.rule_list_version),
    ruleListError: row.rule_list_error,
    install: row.install_json ? JSON.parse(row.install_json) : null,
    adapterHealth: row.adapter_health_json ? JSON.parse(row.adapter_health_json) : [],
  };
}

export interface AccountDbRow {
  account_id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  created_at: number | string;
  updated_at: number | string;
}

export function toAccount(row: AccountDbRow): Account {
  return {
    accountId: row.account_id,
    email: row.email,
    name: row.name,
    // The role column is only ever written from a checked Role; an unknown one reads as the
    // least privileged, so a bad row can never grant more.
    role: isRole(row.role) ? row.role : 'governor',
    passwordHash: row.password_hash,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface AuditDbRow {
  entry_id: string;
  at: number | string;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

export const toAudit = (r: AuditDbRow): AuditEntry => ({
  entryId: r.entry_id,
  at: Number(r.at),
  actor: r.actor,
  action: r.action,
  target: r.target,
  detail: r.detail,
});

export interface SessionAdminDbRow {
  account_id: string;
  email: string;
  name: string;
  role: string;
  expires_at: number | string;
}

export function toSessionAdmin(row: SessionAdminDbRow | undefined, now: number): Admin | null {
  if (!row || Number(row.expires_at) <= now || !isRole(row.role)) return null;
  return { accountId: row.account_id, email: row.email, name: row.name, role: row.role };
}

/** A page of rows fetched with LIMIT n+1: the extra row says there is a next page. */
export function pageOf<T>(
  rows: T[],
  limit: number,
  total: number,
  keyOf: (item: T) => { at: number; id: string },
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    next: rows.length > limit && last ? encodeCursor(keyOf(last)) : null,
    total,
  };
}

export function encodeCursor(key: { at: number; id: string }): string {
  return Buffer.from(`${key.at}|${key.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(text: string): { at: number; id: string } | null {
  const raw = Buffer.from(text, 'base64url').toString('utf8');
  const bar = raw.indexOf('|');
  if (bar < 1) return null;
  const at = Number(raw.slice(0, bar));
  const id = raw.slice(bar + 1);
  if (!Number.isSafeInteger(at) || id === '' || id.length > 200) return null;
  return { at, id };
}

export const mapPage = <T, U>(page: Page<T>, map: (item: T) => U): Page<U> => ({
  ...page,
  items: page.items.map(map),
});

/** `SET` clause and values (in order, `?` placeholders) for an account change. */
export function accountUpdate(change: Partial<Pick<Account, 'name' | 'role' | 'passwordHash'>>): {
  sql: string;
  values: (string | null)[];
} {
  const sets: string[] = [];
  const values: (string | null)[] = [];
  if (change.name !== undefined) {
    sets.push('name = ?');
    values.push(change.name);
  }
  if (change.role !== undefined) {
    sets.push('role = ?');
    values.push(change.role);
  }
  if (change.passwordHash !== undefined) {
    sets.push('password_hash = ?');
    values.push(change.passwordHash);
  }
  // Nothing to change still touches updated_at, so the statement stays valid.
  if (sets.length === 0) sets.push('name = name');
  return { sql: sets.join(', '), values };
}

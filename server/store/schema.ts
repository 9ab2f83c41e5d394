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
  {
    // Issue 12 parts 4 and 5: the installation's group (policy reportGroup), detailed events
    // (policy reportDetail "events"; kept for the retention period in settings), and settings.
    version: 3,
    statements: [
      'ALTER TABLE installations ADD COLUMN report_group TEXT',
      'CREATE INDEX installations_group ON installations (report_group)',
      `CREATE TABLE events (
        at_ms BIGINT NOT NULL,
        installation_id TEXT NOT NULL,
        identity TEXT,
        report_group TEXT,
        category TEXT NOT NULL,
        outcome TEXT NOT NULL,
        domain TEXT NOT NULL
      )`,
      'CREATE INDEX events_at ON events (at_ms)',
      'CREATE INDEX events_identity ON events (identity, at_ms)',
      'CREATE INDEX events_installation ON events (installation_id, at_ms)',
      `CREATE TABLE settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
      )`,
    ],
  },
  {
    // How often an installation's worker needed help (status.workerRecovery, lib/worker-recovery.ts):
    // the counts are increments, added up here whatever order batches arrive in, and the time of
    // the newest batch that said a restart was needed (the health problem "needed_restart").
    version: 4,
    statements: [
      'ALTER TABLE installations ADD COLUMN restarts_needed BIGINT NOT NULL DEFAULT 0',
      'ALTER TABLE installations ADD COLUMN registrations_repaired BIGINT NOT NULL DEFAULT 0',
      'ALTER TABLE installations ADD COLUMN last_restart_needed_ms BIGINT',
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
  'report_group',
];

export const UPSERT_INSTALLATION = `INSERT INTO installations (
    installation_id, first_seen, last_seen, batches, ${STATUS_COLUMNS.join(', ')},
    token_id, quota_day, quota_batches,
    restarts_needed, registrations_repaired, last_restart_needed_ms
  ) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
  ON CONFLICT (installation_id) DO UPDATE SET
    restarts_needed = installations.restarts_needed + excluded.restarts_needed,
    registrations_repaired = installations.registrations_repaired + excluded.registrations_repaired,
    last_restart_needed_ms = CASE WHEN excluded.last_restart_needed_ms IS NOT NULL
      AND (installations.last_restart_needed_ms IS NULL
        OR excluded.last_restart_needed_ms > installations.last_restart_needed_ms)
      THEN excluded.last_restart_needed_ms ELSE installations.last_restart_needed_ms END,
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

/**
 * Counts of one group's installations (the group each installation last reported): the same
 * shape as SELECT_NAVIGATION / SELECT_EMAIL, joined to installations. Parameters: from, to, group.
 */
export const SELECT_NAVIGATION_OF_GROUP = `SELECT n.day, n.category, n.outcome, SUM(n.count) AS count
  FROM navigation_counts n JOIN installations i ON i.installation_id = n.installation_id
  WHERE n.day >= ? AND n.day <= ? AND i.report_group = ?
  GROUP BY n.day, n.category, n.outcome ORDER BY n.day, n.category, n.outcome`;

export const SELECT_EMAIL_OF_GROUP = `SELECT e.day, e.detector, e.outcome, SUM(e.count) AS count
  FROM email_counts e JOIN installations i ON i.installation_id = e.installation_id
  WHERE e.day >= ? AND e.day <= ? AND i.report_group = ?
  GROUP BY e.day, e.detector, e.outcome ORDER BY e.day, e.detector, e.outcome`;

/** Totals per group, category and outcome over from..to (no group: ''). */
export const SELECT_GROUP_TOTALS = `SELECT COALESCE(i.report_group, '') AS report_group,
  n.category, n.outcome, SUM(n.count) AS count
  FROM navigation_counts n JOIN installations i ON i.installation_id = n.installation_id
  WHERE n.day >= ? AND n.day <= ?
  GROUP BY COALESCE(i.report_group, ''), n.category, n.outcome
  ORDER BY 1, n.category, n.outcome`;

export const INSERT_EVENT = `INSERT INTO events
  (at_ms, installation_id, identity, report_group, category, outcome, domain)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;

export const DELETE_EVENTS_BEFORE = 'DELETE FROM events WHERE at_ms < ?';

export const SELECT_SETTING = 'SELECT value FROM settings WHERE name = ?';
export const UPSERT_SETTING = `INSERT INTO settings (name, value) VALUES (?, ?)
  ON CONFLICT (name) DO UPDATE SET value = excluded.value`;

/** An event search: every filter optional except the time range. */
export interface EventQuery {
  fromMs: number;
  /** Exclusive. */
  toMs: number;
  identity?: string;
  installationId?: string;
  category?: string;
  group?: string;
  limit: number;
  offset: number;
}

export interface EventRecord {
  at: string;
  installationId: string;
  identity: string | null;
  group: string | null;
  category: string;
  outcome: string;
  domain: string;
}

/** The search as SQL with `?` placeholders, newest first. */
export function eventSearchSql(q: EventQuery): { sql: string; params: (string | number)[] } {
  const where = ['at_ms >= ?', 'at_ms < ?'];
  const params: (string | number)[] = [q.fromMs, q.toMs];
  if (q.identity !== undefined) {
    where.push('identity = ?');
    params.push(q.identity);
  }
  if (q.installationId !== undefined) {
    where.push('installation_id = ?');
    params.push(q.installationId);
  }
  if (q.category !== undefined) {
    where.push('category = ?');
    params.push(q.category);
  }
  if (q.group !== undefined) {
    where.push('report_group = ?');
    params.push(q.group);
  }
  params.push(q.limit, q.offset);
  return {
    sql: `SELECT at_ms, installation_id, identity, report_group, category, outcome, domain
      FROM events WHERE ${where.join(' AND ')} ORDER BY at_ms DESC LIMIT ? OFFSET ?`,
    params,
  };
}

export interface EventDbRow {
  at_ms: number | string;
  installation_id: string;
  identity: string | null;
  report_group: string | null;
  category: string;
  outcome: string;
  domain: string;
}

export function toEvent(row: EventDbRow): EventRecord {
  return {
    at: new Date(Number(row.at_ms)).toISOString(),
    installationId: row.installation_id,
    identity: row.identity,
    group: row.report_group,
    category: row.category,
    outcome: row.outcome,
    domain: row.domain,
  };
}

const INSTALLATION_COLUMNS = `installation_id, identity, first_seen, last_seen,
  batches, status_created_ms, extension_version, browser, policy_source, policy_version,
  policy_error, rule_list_version, rule_list_error, install_json, adapter_health_json, report_group,
  restarts_needed, registrations_repaired, last_restart_needed_ms`;

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
  report_group: string | null;
  restarts_needed: number | string;
  registrations_repaired: number | string;
  last_restart_needed_ms: number | string | null;
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
    group: row.report_group,
    restartsNeeded: Number(row.restarts_needed),
    registrationsRepaired: Number(row.registrations_repaired),
    lastRestartNeeded: row.last_restart_needed_ms === null ? null : iso(row.last_restart_needed_ms),
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

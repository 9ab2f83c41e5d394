/**
 * The schema, as numbered migrations shared by SQLite and PostgreSQL. Only portable SQL:
 * TEXT, INTEGER, BIGINT; times as epoch milliseconds; days as 'YYYY-MM-DD' text (sorts and
 * compares as a date). Append new migrations; never edit an applied one.
 */
import type { InstallationRow } from './types.ts';

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
    // Issue 12 parts 4 and 5: the installation's group (policy reportGroup), detailed events
    // (policy reportDetail "events"; kept for the retention period in settings), and settings.
    version: 2,
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
    installation_id, first_seen, last_seen, batches, ${STATUS_COLUMNS.join(', ')}
  ) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (installation_id) DO UPDATE SET
    last_seen = CASE WHEN excluded.last_seen > installations.last_seen
      THEN excluded.last_seen ELSE installations.last_seen END,
    batches = installations.batches + 1,
    ${STATUS_COLUMNS.map((c) => `${c} = CASE WHEN ${NEWER} THEN excluded.${c} ELSE installations.${c} END`).join(',\n    ')}`;

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

export const SELECT_INSTALLATIONS = `SELECT installation_id, identity, first_seen, last_seen,
  batches, status_created_ms, extension_version, browser, policy_source, policy_version,
  policy_error, rule_list_version, rule_list_error, install_json, adapter_health_json, report_group
  FROM installations ORDER BY last_seen DESC`;

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
  };
}

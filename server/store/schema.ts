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
    installation_id, first_seen, last_seen, batches, ${STATUS_COLUMNS.join(', ')}
  ) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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

export const SELECT_INSTALLATIONS = `SELECT installation_id, identity, first_seen, last_seen,
  batches, status_created_ms, extension_version, browser, policy_source, policy_version,
  policy_error, rule_list_version, rule_list_error, install_json, adapter_health_json
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

/**
 * One storage interface for the admin server, two implementations with the same schema:
 * embedded SQLite (`sqlite.ts`, one instance) and PostgreSQL (`postgres.ts`, several stateless
 * instances behind a load balancer). Exactly-once delivery rests here: a batch id is recorded
 * and its counts added in ONE transaction, guarded by the unique key on `batches.batch_id`.
 */
import type { ReportBatch } from '../../lib/report/payload.ts';
import type { EventQuery, EventRecord } from './schema.ts';

export type { EventQuery, EventRecord } from './schema.ts';

import type { Admin, Role } from '../roles.ts';

export interface IngestResult {
  duplicate: boolean;
  /** Set when a quota refused the batch: nothing was stored, the browser retries tomorrow. */
  refused?: 'installation_quota' | 'token_quota';
}

/** Limits applied inside the ingest transaction (server/config.ts documents each). */
export interface IngestLimits {
  /** Batches one installation may add per UTC day. */
  batchesPerInstallationPerDay: number;
  /** New installations one report token may bring in per UTC day. */
  newInstallationsPerTokenPerDay: number;
  /** A batch's createdAt may be at most this far after its receipt (clock skew allowed). */
  clockSkewMs: number;
}

export interface Retention {
  /** Batch ids (the duplicate check) are kept this many days after receipt. */
  batchDays: number;
  /** Installations not seen for this many days are removed (their counts stay). */
  installationDays: number;
}

export interface PruneResult {
  batches: number;
  installations: number;
  sessions: number;
}

/** One page of a list, newest first; `next` is the cursor of the following page, or null. */
export interface Page<T> {
  items: T[];
  next: string | null;
  total: number;
}

export interface PageRequest {
  limit: number;
  cursor: { at: number; id: string } | null;
}

export interface Account {
  accountId: string;
  email: string;
  name: string;
  role: Role;
  /** scrypt hash (server/passwords.ts), or null for an account that signs in only with OpenID Connect. */
  passwordHash: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AuditEntry {
  entryId: string;
  at: number;
  /** The account's email, or "system" for the server itself (start-up migration, pruning). */
  actor: string;
  action: string;
  target: string;
  detail: string;
}

export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface DayCount {
  day: string;
  category: string;
  outcome: string;
  count: number;
}

export interface EmailCount {
  day: string;
  detector: string;
  outcome: string;
  count: number;
}

export interface Summary {
  from: string;
  to: string;
  navigation: DayCount[];
  email: EmailCount[];
  batches: number;
}

export interface InstallationRow {
  installationId: string;
  identity: string | null;
  firstSeen: string;
  lastSeen: string;
  batches: number;
  statusCreatedAt: string;
  extensionVersion: string;
  browser: string;
  policySource: string;
  policyVersion: string;
  policyError: string | null;
  ruleListVersion: number | null;
  ruleListError: string | null;
  install: { policyInstalled: boolean; incognito: string } | null;
  adapterHealth: { service: string; problem: string; count: number }[];
  /** The group (policy `reportGroup`) the installation last reported, or null. */
  group: string | null;
  /**
   * Browser sessions in which Steward's worker heard nothing from the browser, so staff were asked
   * to restart it (`status.workerRecovery`, added up over every batch).
   */
  restartsNeeded: number;
  /** Times a page of Steward's registered the lost worker again (added up likewise). */
  registrationsRepaired: number;
  /** When the newest batch that reported a restart needed was made, or null. */
  lastRestartNeeded: string | null;
}

/** Totals of one group (`''`: installations that report no group). */
export interface GroupTotal {
  group: string;
  category: string;
  outcome: string;
  count: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Create or upgrade the schema; safe when several instances start at once. */
  migrate(): Promise<void>;
  /** Record a batch once. A batch id seen before adds nothing and returns duplicate: true. */
  ingest(
    batch: ReportBatch,
    receivedAt: number,
    tokenId: string,
    limits: IngestLimits,
  ): Promise<IngestResult>;
  /**
   * Counts summed over installations for days from..to inclusive (YYYY-MM-DD); with `group`, only
   * the installations whose last report named that group.
   */
  summary(from: string, to: string, group?: string): Promise<Summary>;
  /** Navigation totals per group, category and outcome, for a trust's per-school tables. */
  groupTotals(from: string, to: string): Promise<GroupTotal[]>;
  installations(page: PageRequest): Promise<Page<InstallationRow>>;
  /** Detailed events, newest first (policy `reportDetail: "events"`). */
  searchEvents(query: EventQuery): Promise<EventRecord[]>;
  /** Delete events before `beforeMs`; returns how many went. */
  pruneEvents(beforeMs: number): Promise<number>;
  getSetting(name: string): Promise<string | null>;
  setSetting(name: string, value: string): Promise<void>;
  /** A cheap query that proves the database answers. */
  ping(): Promise<void>;
  createSession(idHash: string, accountId: string, expiresAt: number): Promise<void>;
  /** The account of a session that exists and has not expired, else null. */
  sessionAdmin(idHash: string, now: number): Promise<Admin | null>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of an account (its role changed, or it was removed). */
  deleteSessionsOf(accountId: string): Promise<void>;
  accounts(): Promise<Account[]>;
  accountByEmail(email: string): Promise<Account | null>;
  /** Adds an account; false when the email is taken. */
  createAccount(account: Account): Promise<boolean>;
  /** Changes the fields given; false when there is no such account. */
  updateAccount(
    accountId: string,
    change: Partial<Pick<Account, 'name' | 'role' | 'passwordHash'>>,
    now: number,
  ): Promise<boolean>;
  deleteAccount(accountId: string): Promise<boolean>;
  addAudit(entry: AuditEntry): Promise<void>;
  audit(page: PageRequest): Promise<Page<AuditEntry>>;
  /** An OpenID Connect sign-in started in this browser (state, nonce, PKCE verifier). */
  savePendingSignIn(idHash: string, pending: PendingSignIn, expiresAt: number): Promise<void>;
  /** Returns and deletes it: each attempt can be completed once. */
  takePendingSignIn(idHash: string, now: number): Promise<PendingSignIn | null>;
  /** Deletes what retention says is old. */
  prune(now: number, retention: Retention): Promise<PruneResult>;
  close(): Promise<void>;
}

/** Rows of one batch merged by key and sorted, so upserts lock rows in one order (no deadlocks). */
export function mergeRows<R extends { count: number }>(
  rows: readonly R[],
  keyOf: (row: R) => string,
): R[] {
  const merged = new Map<string, R>();
  for (const row of rows) {
    const key = keyOf(row);
    const seen = merged.get(key);
    if (seen) seen.count += row.count;
    else merged.set(key, { ...row });
  }
  return [...merged.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((e) => e[1]);
}

export const navigationKey = (r: { day: string; category: string; outcome: string }): string =>
  `${r.day}\u0000${r.category}\u0000${r.outcome}`;
export const emailKey = (r: { day: string; detector: string; outcome: string }): string =>
  `${r.day}\u0000${r.detector}\u0000${r.outcome}`;

/**
 * The parameters of the installation upsert (`upsertInstallation` in both stores), in its column
 * order: one list, so the SQLite and PostgreSQL stores cannot drift apart.
 */
export function installationValues(
  installationId: string,
  receivedAt: number,
  batch: ReportBatch,
  tokenId: string,
  clockSkewMs: number,
): (string | number | null)[] {
  const s = batch.status;
  return [
    installationId,
    receivedAt,
    receivedAt,
    batch.identity ?? null,
    statusTime(batch.createdAt, receivedAt, clockSkewMs),
    s.extensionVersion,
    s.browser,
    s.policySource,
    s.policyVersion,
    s.policyError,
    s.ruleListVersion,
    s.ruleListError,
    s.install ? JSON.stringify(s.install) : null,
    s.adapterHealth?.length ? JSON.stringify(s.adapterHealth) : null,
    s.group ?? null,
    tokenId,
    utcDay(receivedAt),
    s.workerRecovery?.restartsNeeded ?? 0,
    s.workerRecovery?.registrationsRepaired ?? 0,
    s.workerRecovery && s.workerRecovery.restartsNeeded > 0
      ? statusTime(batch.createdAt, receivedAt, clockSkewMs)
      : null,
  ];
}

/**
 * The time a batch's status counts from: its createdAt, but never later than its receipt plus
 * the allowed clock skew. Without the clamp a browser with a wrong clock (or a token holder)
 * sending createdAt 9999-12-31 would freeze the installation's status: no later batch is newer.
 */
export function statusTime(createdAt: string, receivedAt: number, clockSkewMs: number): number {
  return Math.min(Date.parse(createdAt), receivedAt + clockSkewMs);
}

export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** True when an installation has used its batches for today (shared by both stores). */
export function installationQuotaUsed(
  existing: { quota_day: string | null; quota_batches: number | string | null },
  receivedAt: number,
  limits: IngestLimits,
): boolean {
  return (
    existing.quota_day === utcDay(receivedAt) &&
    Number(existing.quota_batches) >= limits.batchesPerInstallationPerDay
  );
}

/** Start (epoch ms) of the UTC day of a time: the per-token quota counts from it. */
export const dayStart = (ms: number): number => Date.parse(`${utcDay(ms)}T00:00:00Z`);

/** Events further in the future than this (a wrong clock) are not stored. */
export const EVENT_FUTURE_SKEW_MS = 10 * 60 * 1000;
/** Events older than the longest retention an admin may set are not stored. */
export const MAX_EVENT_RETENTION_DAYS = 365;

/**
 * The event rows of a batch in INSERT_EVENT's column order. Events timed in the future (beyond a
 * clock skew) or older than the longest retention are left out: they would be wrong or deleted
 * at once. The identity is the batch's (the one the policy names), never anything per event.
 */
export function eventValues(
  batch: ReportBatch,
  receivedAt: number,
): [number, string, string | null, string | null, string, string, string][] {
  const newest = receivedAt + EVENT_FUTURE_SKEW_MS;
  const oldest = receivedAt - MAX_EVENT_RETENTION_DAYS * 86_400_000;
  const out: [number, string, string | null, string | null, string, string, string][] = [];
  for (const e of batch.events ?? []) {
    const at = Date.parse(e.at);
    if (!Number.isFinite(at) || at > newest || at < oldest) continue;
    out.push([
      at,
      batch.installationId,
      batch.identity ?? null,
      batch.status.group ?? null,
      e.category,
      e.outcome,
      e.domain,
    ]);
  }
  return out;
}

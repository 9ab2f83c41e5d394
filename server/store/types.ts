/**
 * One storage interface for the admin server, two implementations with the same schema:
 * embedded SQLite (`sqlite.ts`, one instance) and PostgreSQL (`postgres.ts`, several stateless
 * instances behind a load balancer). Exactly-once delivery rests here: a batch id is recorded
 * and its counts added in ONE transaction, guarded by the unique key on `batches.batch_id`.
 */
import type { ReportBatch } from '../../lib/report/payload.ts';
import type { EventQuery, EventRecord } from './schema.ts';

export type { EventQuery, EventRecord } from './schema.ts';

export interface IngestResult {
  duplicate: boolean;
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
  ingest(batch: ReportBatch, receivedAt: number, tokenId: string): Promise<IngestResult>;
  /**
   * Counts summed over installations for days from..to inclusive (YYYY-MM-DD); with `group`, only
   * the installations whose last report named that group.
   */
  summary(from: string, to: string, group?: string): Promise<Summary>;
  /** Navigation totals per group, category and outcome, for a trust's per-school tables. */
  groupTotals(from: string, to: string): Promise<GroupTotal[]>;
  installations(): Promise<InstallationRow[]>;
  /** Detailed events, newest first (policy `reportDetail: "events"`). */
  searchEvents(query: EventQuery): Promise<EventRecord[]>;
  /** Delete events before `beforeMs`; returns how many went. */
  pruneEvents(beforeMs: number): Promise<number>;
  getSetting(name: string): Promise<string | null>;
  setSetting(name: string, value: string): Promise<void>;
  /** A cheap query that proves the database answers. */
  ping(): Promise<void>;
  createSession(idHash: string, expiresAt: number): Promise<void>;
  /** True when the session exists and has not expired. */
  sessionValid(idHash: string, now: number): Promise<boolean>;
  deleteSession(idHash: string): Promise<void>;
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

/** The status columns of an installation, from a batch. */
/**
 * The parameters of the installation upsert (`upsertInstallation` in both stores), in its column
 * order: one list, so the SQLite and PostgreSQL stores cannot drift apart.
 */
export function installationValues(
  installationId: string,
  receivedAt: number,
  batch: ReportBatch,
): (string | number | null)[] {
  const s = batch.status;
  return [
    installationId,
    receivedAt,
    receivedAt,
    batch.identity ?? null,
    Date.parse(batch.createdAt),
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
  ];
}

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

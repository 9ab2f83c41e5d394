/**
 * Embedded store: one SQLite file in the data folder (better-sqlite3), for a school that runs
 * one server instance. WAL journal with synchronous=NORMAL: a committed batch survives a
 * process crash; a power cut may lose the last moments of commits, which clients then resend
 * (they keep a batch until a 2xx), so nothing is counted twice or lost for good.
 * For several instances use PostgreSQL: SQLite here is one process only.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ReportBatch } from '../../lib/report/payload.ts';
import {
  type AccountDbRow,
  type AuditDbRow,
  accountUpdate,
  COUNT_INSTALLATIONS,
  COUNT_NEW_INSTALLATIONS,
  DELETE_EVENTS_BEFORE,
  type EventDbRow,
  eventSearchSql,
  INSERT_ACCOUNT,
  INSERT_AUDIT,
  INSERT_BATCH,
  INSERT_EVENT,
  type InstallationDbRow,
  MIGRATIONS,
  mapPage,
  pageOf,
  SELECT_ACCOUNT_BY_EMAIL,
  SELECT_ACCOUNTS,
  SELECT_AUDIT_AFTER,
  SELECT_AUDIT_FIRST,
  SELECT_BATCH_SEEN,
  SELECT_EMAIL,
  SELECT_EMAIL_OF_GROUP,
  SELECT_GROUP_TOTALS,
  SELECT_INSTALLATIONS_AFTER,
  SELECT_INSTALLATIONS_FIRST,
  SELECT_NAVIGATION,
  SELECT_NAVIGATION_OF_GROUP,
  SELECT_QUOTA,
  SELECT_SESSION_ADMIN,
  SELECT_SETTING,
  type SessionAdminDbRow,
  toAccount,
  toAudit,
  toEvent,
  toInstallation,
  toSessionAdmin,
  UPSERT_INSTALLATION,
  UPSERT_SETTING,
} from './schema.ts';
import {
  type DayCount,
  dayStart,
  type EmailCount,
  emailKey,
  eventValues,
  type GroupTotal,
  type IngestLimits,
  type IngestResult,
  installationQuotaUsed,
  installationValues,
  mergeRows,
  navigationKey,
  type PendingSignIn,
  type Store,
  type Summary,
} from './types.ts';

/** At most this many batches share one commit; more are committed at once, not held back. */
const GROUP_COMMIT_MAX = 256;

export function openSqliteStore(dataDir: string): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'steward.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');

  function migrate(): void {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const applied = new Set(
      (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
        (r) => r.version,
      ),
    );
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      db.transaction(() => {
        for (const sql of m.statements) db.exec(sql);
        db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
          m.version,
          Date.now(),
        );
      }).immediate();
    }
  }
  migrate();

  // Prepared once: parsing SQL per request would cost more than the insert itself.
  const insertBatch = db.prepare(INSERT_BATCH);
  const upsertNavigation = db.prepare(
    `INSERT INTO navigation_counts (day, category, outcome, installation_id, count)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (day, category, outcome, installation_id)
     DO UPDATE SET count = navigation_counts.count + excluded.count`,
  );
  const upsertEmail = db.prepare(
    `INSERT INTO email_counts (day, detector, outcome, installation_id, count)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (day, detector, outcome, installation_id)
     DO UPDATE SET count = email_counts.count + excluded.count`,
  );
  const upsertInstallation = db.prepare(UPSERT_INSTALLATION);
  const selectNavigation = db.prepare(SELECT_NAVIGATION);
  const selectEmail = db.prepare(SELECT_EMAIL);
  const selectNavigationOfGroup = db.prepare(SELECT_NAVIGATION_OF_GROUP);
  const selectEmailOfGroup = db.prepare(SELECT_EMAIL_OF_GROUP);
  const selectGroupTotals = db.prepare(SELECT_GROUP_TOTALS);
  const insertEvent = db.prepare(INSERT_EVENT);
  const deleteEventsBefore = db.prepare(DELETE_EVENTS_BEFORE);
  const selectSetting = db.prepare(SELECT_SETTING);
  const upsertSetting = db.prepare(UPSERT_SETTING);
  const selectInstallationsFirst = db.prepare(SELECT_INSTALLATIONS_FIRST);
  const selectInstallationsAfter = db.prepare(SELECT_INSTALLATIONS_AFTER);
  const countInstallations = db.prepare(COUNT_INSTALLATIONS);
  const selectQuota = db.prepare(SELECT_QUOTA);
  const countNewInstallations = db.prepare(COUNT_NEW_INSTALLATIONS);
  const selectBatchSeen = db.prepare(SELECT_BATCH_SEEN);
  const countBatches = db.prepare('SELECT COUNT(*) AS n FROM batches');
  const insertSession = db.prepare(
    'INSERT INTO sessions (id_hash, account_id, expires_at) VALUES (?, ?, ?)',
  );
  const selectSessionAdmin = db.prepare(SELECT_SESSION_ADMIN);
  const deleteSessionStmt = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  const deleteSessionsOfStmt = db.prepare('DELETE FROM sessions WHERE account_id = ?');
  const purgeSessions = db.prepare('DELETE FROM sessions WHERE expires_at < ?');
  const selectAccounts = db.prepare(SELECT_ACCOUNTS);
  const selectAccountByEmail = db.prepare(SELECT_ACCOUNT_BY_EMAIL);
  const insertAccount = db.prepare(INSERT_ACCOUNT);
  const insertAudit = db.prepare(INSERT_AUDIT);
  const selectAuditFirst = db.prepare(SELECT_AUDIT_FIRST);
  const selectAuditAfter = db.prepare(SELECT_AUDIT_AFTER);
  const countAudit = db.prepare('SELECT COUNT(*) AS n FROM audit_log');
  const insertPending = db.prepare(
    'INSERT INTO sign_in_attempts (id_hash, state, nonce, code_verifier, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const selectPending = db.prepare(
    'SELECT state, nonce, code_verifier, expires_at FROM sign_in_attempts WHERE id_hash = ?',
  );
  const deletePending = db.prepare('DELETE FROM sign_in_attempts WHERE id_hash = ?');
  const purgePending = db.prepare('DELETE FROM sign_in_attempts WHERE expires_at < ?');
  const pruneBatches = db.prepare('DELETE FROM batches WHERE received_at < ?');
  const pruneInstallations = db.prepare('DELETE FROM installations WHERE last_seen < ?');

  const ingestOne = (
    batch: ReportBatch,
    receivedAt: number,
    tokenId: string,
    limits: IngestLimits,
  ): IngestResult => {
    const id = batch.installationId;
    const quota = selectQuota.get(id) as
      | { quota_day: string | null; quota_batches: number | null }
      | undefined;
    const refused = quota
      ? installationQuotaUsed(quota, receivedAt, limits) && 'installation_quota'
      : Number((countNewInstallations.get(tokenId, dayStart(receivedAt)) as { n: number }).n) >=
          limits.newInstallationsPerTokenPerDay && 'token_quota';
    if (refused) {
      // A resend of a batch already stored is still a duplicate (the browser may forget it).
      if (selectBatchSeen.get(batch.batchId)) return { duplicate: true };
      return { duplicate: false, refused };
    }
    const inserted = insertBatch.run(
      batch.batchId,
      batch.installationId,
      tokenId,
      batch.createdAt,
      receivedAt,
      batch.navigation.length,
      batch.email.length,
    );
    if (inserted.changes === 0) return { duplicate: true };
    for (const r of mergeRows(batch.navigation, navigationKey)) {
      upsertNavigation.run(r.day, r.category, r.outcome, id, r.count);
    }
    for (const r of mergeRows(batch.email, emailKey)) {
      upsertEmail.run(r.day, r.detector, r.outcome, id, r.count);
    }
    for (const e of eventValues(batch, receivedAt)) insertEvent.run(...e);
    upsertInstallation.run(
      ...installationValues(id, receivedAt, batch, tokenId, limits.clockSkewMs),
    );
    return { duplicate: false };
  };
  const ingestTx = db.transaction(ingestOne);

  // Group commit. The cost of a batch was its own transaction: BEGIN, the WAL frames of five
  // b-trees and COMMIT, for ten rows (issue 12's profile: two thirds of the server's CPU time).
  // Batches that arrive in one turn of the event loop are written in ONE transaction instead.
  // First all together with no savepoints (a savepoint per batch cost about a fifth of the
  // store's time: 0.107 → 0.087 ms CPU per batch writing 30,000 batches straight to the store);
  // if any batch throws, that whole transaction is rolled back and the group is written again
  // with each batch in its own savepoint (better-sqlite3 nests transactions as savepoints), so
  // the batch that fails fails alone and the others still commit. Every batch is answered only
  // after the COMMIT that holds it, so "200 means stored" is kept; a failed COMMIT fails them
  // all and the browsers resend, as they would after any 5xx.
  type Waiting = {
    args: [ReportBatch, number, string, IngestLimits];
    resolve: (r: IngestResult) => void;
    reject: (e: unknown) => void;
  };
  let waiting: Waiting[] = [];
  let commitScheduled = false;
  const commitTogether = db.transaction((group: Waiting[]) =>
    group.map((w): IngestResult => ingestOne(...w.args)),
  );
  const commitEachAlone = db.transaction((group: Waiting[]) =>
    group.map((w): IngestResult | { failed: unknown } => {
      try {
        return ingestTx(...w.args);
      } catch (failed) {
        return { failed };
      }
    }),
  );
  function commitWaiting(): void {
    commitScheduled = false;
    const group = waiting;
    waiting = [];
    if (group.length === 0) return;
    let results: (IngestResult | { failed: unknown })[];
    try {
      results = commitTogether.immediate(group);
    } catch {
      try {
        results = commitEachAlone.immediate(group);
      } catch (err) {
        for (const w of group) w.reject(err);
        return;
      }
    }
    group.forEach((w, i) => {
      const r = results[i]!;
      if ('failed' in r) w.reject(r.failed);
      else w.resolve(r);
    });
  }

  return {
    kind: 'sqlite',
    async migrate() {
      migrate();
    },
    ingest(batch, receivedAt, tokenId, limits) {
      return new Promise<IngestResult>((resolve, reject) => {
        waiting.push({ args: [batch, receivedAt, tokenId, limits], resolve, reject });
        if (waiting.length >= GROUP_COMMIT_MAX) commitWaiting();
        else if (!commitScheduled) {
          commitScheduled = true;
          setImmediate(commitWaiting);
        }
      });
    },
    async summary(from, to, group): Promise<Summary> {
      const nav =
        group === undefined
          ? selectNavigation.all(from, to)
          : selectNavigationOfGroup.all(from, to, group);
      const mail =
        group === undefined ? selectEmail.all(from, to) : selectEmailOfGroup.all(from, to, group);
      const navigation = (nav as DayCount[]).map((r) => ({
        ...r,
        count: Number(r.count),
      }));
      const email = (mail as EmailCount[]).map((r) => ({
        ...r,
        count: Number(r.count),
      }));
      const batches = Number((countBatches.get() as { n: number }).n);
      return { from, to, navigation, email, batches };
    },
    async installations({ limit, cursor }) {
      const rows = (
        cursor
          ? selectInstallationsAfter.all(cursor.at, cursor.at, cursor.id, limit + 1)
          : selectInstallationsFirst.all(limit + 1)
      ) as InstallationDbRow[];
      const total = Number((countInstallations.get() as { n: number }).n);
      return mapPage(
        pageOf(rows, limit, total, (r) => ({ at: Number(r.last_seen), id: r.installation_id })),
        toInstallation,
      );
    },
    async groupTotals(from, to): Promise<GroupTotal[]> {
      return (
        selectGroupTotals.all(from, to) as {
          report_group: string;
          category: string;
          outcome: string;
          count: number;
        }[]
      ).map((r) => ({
        group: r.report_group,
        category: r.category,
        outcome: r.outcome,
        count: Number(r.count),
      }));
    },
    async searchEvents(query) {
      const { sql, params } = eventSearchSql(query);
      return (db.prepare(sql).all(...params) as EventDbRow[]).map(toEvent);
    },
    async pruneEvents(beforeMs) {
      return deleteEventsBefore.run(beforeMs).changes;
    },
    async getSetting(name) {
      const row = selectSetting.get(name) as { value: string } | undefined;
      return row?.value ?? null;
    },
    async setSetting(name, value) {
      upsertSetting.run(name, value);
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async createSession(idHash, accountId, expiresAt) {
      purgeSessions.run(Date.now());
      insertSession.run(idHash, accountId, expiresAt);
    },
    async sessionAdmin(idHash, now) {
      return toSessionAdmin(selectSessionAdmin.get(idHash) as SessionAdminDbRow | undefined, now);
    },
    async deleteSession(idHash) {
      deleteSessionStmt.run(idHash);
    },
    async deleteSessionsOf(accountId) {
      deleteSessionsOfStmt.run(accountId);
    },
    async accounts() {
      return (selectAccounts.all() as AccountDbRow[]).map(toAccount);
    },
    async accountByEmail(email) {
      const row = selectAccountByEmail.get(email) as AccountDbRow | undefined;
      return row ? toAccount(row) : null;
    },
    async createAccount(a) {
      try {
        insertAccount.run(
          a.accountId,
          a.email,
          a.name,
          a.role,
          a.passwordHash,
          a.createdAt,
          a.updatedAt,
        );
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
        throw err;
      }
    },
    async updateAccount(accountId, change, now) {
      const { sql, values } = accountUpdate(change);
      const result = db
        .prepare(`UPDATE accounts SET ${sql}, updated_at = ? WHERE account_id = ?`)
        .run(...values, now, accountId);
      return result.changes > 0;
    },
    async deleteAccount(accountId) {
      const removed = db.transaction(() => {
        deleteSessionsOfStmt.run(accountId);
        return db.prepare('DELETE FROM accounts WHERE account_id = ?').run(accountId).changes;
      })();
      return removed > 0;
    },
    async addAudit(e) {
      insertAudit.run(e.entryId, e.at, e.actor, e.action, e.target, e.detail);
    },
    async audit({ limit, cursor }) {
      const rows = (
        cursor
          ? selectAuditAfter.all(cursor.at, cursor.at, cursor.id, limit + 1)
          : selectAuditFirst.all(limit + 1)
      ) as AuditDbRow[];
      const total = Number((countAudit.get() as { n: number }).n);
      return mapPage(
        pageOf(rows, limit, total, (r) => ({ at: Number(r.at), id: r.entry_id })),
        toAudit,
      );
    },
    async savePendingSignIn(idHash, p, expiresAt) {
      purgePending.run(Date.now());
      insertPending.run(idHash, p.state, p.nonce, p.codeVerifier, expiresAt);
    },
    async takePendingSignIn(idHash, now): Promise<PendingSignIn | null> {
      const row = db.transaction(() => {
        const found = selectPending.get(idHash) as
          | { state: string; nonce: string; code_verifier: string; expires_at: number }
          | undefined;
        deletePending.run(idHash);
        return found;
      })();
      if (!row || Number(row.expires_at) <= now) return null;
      return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier };
    },
    async prune(now, retention) {
      const day = 86_400_000;
      return db.transaction(() => ({
        batches: pruneBatches.run(now - retention.batchDays * day).changes,
        installations: pruneInstallations.run(now - retention.installationDays * day).changes,
        sessions: purgeSessions.run(now).changes + purgePending.run(now).changes,
      }))();
    },
    async close() {
      db.close();
    },
  };
}

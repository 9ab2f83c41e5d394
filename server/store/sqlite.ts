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
  DELETE_EVENTS_BEFORE,
  type EventDbRow,
  eventSearchSql,
  INSERT_BATCH,
  INSERT_EVENT,
  type InstallationDbRow,
  MIGRATIONS,
  SELECT_EMAIL,
  SELECT_EMAIL_OF_GROUP,
  SELECT_GROUP_TOTALS,
  SELECT_INSTALLATIONS,
  SELECT_NAVIGATION,
  SELECT_NAVIGATION_OF_GROUP,
  SELECT_SETTING,
  toEvent,
  toInstallation,
  UPSERT_INSTALLATION,
  UPSERT_SETTING,
} from './schema.ts';
import {
  type DayCount,
  type EmailCount,
  emailKey,
  eventValues,
  type GroupTotal,
  type IngestResult,
  type InstallationRow,
  installationValues,
  mergeRows,
  navigationKey,
  type Store,
  type Summary,
} from './types.ts';

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
  const selectInstallations = db.prepare(SELECT_INSTALLATIONS);
  const selectNavigationOfGroup = db.prepare(SELECT_NAVIGATION_OF_GROUP);
  const selectEmailOfGroup = db.prepare(SELECT_EMAIL_OF_GROUP);
  const selectGroupTotals = db.prepare(SELECT_GROUP_TOTALS);
  const insertEvent = db.prepare(INSERT_EVENT);
  const deleteEventsBefore = db.prepare(DELETE_EVENTS_BEFORE);
  const selectSetting = db.prepare(SELECT_SETTING);
  const upsertSetting = db.prepare(UPSERT_SETTING);
  const countBatches = db.prepare('SELECT COUNT(*) AS n FROM batches');
  const insertSession = db.prepare('INSERT INTO sessions (id_hash, expires_at) VALUES (?, ?)');
  const selectSession = db.prepare('SELECT expires_at FROM sessions WHERE id_hash = ?');
  const deleteSessionStmt = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  const purgeSessions = db.prepare('DELETE FROM sessions WHERE expires_at < ?');

  const ingestTx = db.transaction(
    (batch: ReportBatch, receivedAt: number, tokenId: string): IngestResult => {
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
      const id = batch.installationId;
      for (const r of mergeRows(batch.navigation, navigationKey)) {
        upsertNavigation.run(r.day, r.category, r.outcome, id, r.count);
      }
      for (const r of mergeRows(batch.email, emailKey)) {
        upsertEmail.run(r.day, r.detector, r.outcome, id, r.count);
      }
      for (const e of eventValues(batch, receivedAt)) insertEvent.run(...e);
      upsertInstallation.run(...installationValues(id, receivedAt, batch));
      return { duplicate: false };
    },
  );

  return {
    kind: 'sqlite',
    async migrate() {
      migrate();
    },
    async ingest(batch, receivedAt, tokenId) {
      return ingestTx.immediate(batch, receivedAt, tokenId);
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
    async installations(): Promise<InstallationRow[]> {
      return (selectInstallations.all() as InstallationDbRow[]).map(toInstallation);
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
    async createSession(idHash, expiresAt) {
      purgeSessions.run(Date.now());
      insertSession.run(idHash, expiresAt);
    },
    async sessionValid(idHash, now) {
      const row = selectSession.get(idHash) as { expires_at: number } | undefined;
      return row !== undefined && Number(row.expires_at) > now;
    },
    async deleteSession(idHash) {
      deleteSessionStmt.run(idHash);
    },
    async close() {
      db.close();
    },
  };
}

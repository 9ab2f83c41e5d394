/**
 * PostgreSQL store, for a trust that runs several stateless server instances behind a load
 * balancer on one database. Same schema and statements as the SQLite store. Exactly-once across
 * instances: the batch row and its counts commit in one transaction; a second instance inserting
 * the same batch id waits on the unique index, then finds the row and adds nothing.
 */
import pg from 'pg';
import type { ReportBatch } from '../../lib/report/payload.ts';
import {
  DELETE_EVENTS_BEFORE,
  type EventDbRow,
  eventSearchSql,
  INSERT_BATCH,
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
  emailKey,
  eventValues,
  type IngestResult,
  installationValues,
  mergeRows,
  navigationKey,
  type Store,
} from './types.ts';

/** `?` placeholders (shared with SQLite) to PostgreSQL's `$1, $2, …`. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

// Deadlock and serialisation failures are safe to retry: the whole transaction rolled back.
const RETRYABLE = new Set(['40P01', '40001']);
// Any constant: serialises migrations when several instances start at once.
const MIGRATION_LOCK = 727_274_001;

const NAVIGATION_UPSERT = `INSERT INTO navigation_counts (day, category, outcome, installation_id, count)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
  ON CONFLICT (day, category, outcome, installation_id)
  DO UPDATE SET count = navigation_counts.count + excluded.count`;
const EVENTS_INSERT = `INSERT INTO events
  (at_ms, installation_id, identity, report_group, category, outcome, domain)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`;
const EMAIL_UPSERT = `INSERT INTO email_counts (day, detector, outcome, installation_id, count)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
  ON CONFLICT (day, detector, outcome, installation_id)
  DO UPDATE SET count = email_counts.count + excluded.count`;

export function openPostgresStore(connectionString: string, poolSize = 10): Store {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});

  async function inTransaction<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        const code = (err as { code?: string }).code;
        if (attempt < 4 && code && RETRYABLE.has(code)) continue;
        throw err;
      } finally {
        client.release();
      }
    }
  }

  const insertBatch = numbered(INSERT_BATCH);
  const upsertInstallation = numbered(UPSERT_INSTALLATION);
  const selectNavigation = numbered(SELECT_NAVIGATION);
  const selectEmail = numbered(SELECT_EMAIL);
  const selectNavigationOfGroup = numbered(SELECT_NAVIGATION_OF_GROUP);
  const selectEmailOfGroup = numbered(SELECT_EMAIL_OF_GROUP);

  async function ingestOnce(
    c: pg.PoolClient,
    batch: ReportBatch,
    receivedAt: number,
    tokenId: string,
  ): Promise<IngestResult> {
    const inserted = await c.query({
      name: 'steward_insert_batch',
      text: insertBatch,
      values: [
        batch.batchId,
        batch.installationId,
        tokenId,
        batch.createdAt,
        receivedAt,
        batch.navigation.length,
        batch.email.length,
      ],
    });
    if (inserted.rowCount === 0) return { duplicate: true };
    const id = batch.installationId;
    const nav = mergeRows(batch.navigation, navigationKey);
    if (nav.length > 0) {
      await c.query({
        name: 'steward_upsert_navigation',
        text: NAVIGATION_UPSERT,
        values: [
          nav.map((r) => r.day),
          nav.map((r) => r.category),
          nav.map((r) => r.outcome),
          nav.map(() => id),
          nav.map((r) => r.count),
        ],
      });
    }
    const mail = mergeRows(batch.email, emailKey);
    if (mail.length > 0) {
      await c.query({
        name: 'steward_upsert_email',
        text: EMAIL_UPSERT,
        values: [
          mail.map((r) => r.day),
          mail.map((r) => r.detector),
          mail.map((r) => r.outcome),
          mail.map(() => id),
          mail.map((r) => r.count),
        ],
      });
    }
    const events = eventValues(batch, receivedAt);
    if (events.length > 0) {
      await c.query({
        name: 'steward_insert_events',
        text: EVENTS_INSERT,
        values: [0, 1, 2, 3, 4, 5, 6].map((i) => events.map((e) => e[i])),
      });
    }
    await c.query({
      name: 'steward_upsert_installation',
      text: upsertInstallation,
      values: installationValues(id, receivedAt, batch),
    });
    return { duplicate: false };
  }

  return {
    kind: 'postgres',
    async migrate() {
      await inTransaction(async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await c.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
        );
        const { rows } = await c.query<{ version: number }>(
          'SELECT version FROM schema_migrations',
        );
        const applied = new Set(rows.map((r) => Number(r.version)));
        for (const m of MIGRATIONS) {
          if (applied.has(m.version)) continue;
          for (const sql of m.statements) await c.query(sql);
          await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
            m.version,
            Date.now(),
          ]);
        }
      });
    },
    ingest(batch, receivedAt, tokenId) {
      return inTransaction((c) => ingestOnce(c, batch, receivedAt, tokenId));
    },
    async summary(from, to, group) {
      const params = group === undefined ? [from, to] : [from, to, group];
      const [nav, mail, batches] = await Promise.all([
        pool.query<{ day: string; category: string; outcome: string; count: string }>(
          group === undefined ? selectNavigation : selectNavigationOfGroup,
          params,
        ),
        pool.query<{ day: string; detector: string; outcome: string; count: string }>(
          group === undefined ? selectEmail : selectEmailOfGroup,
          params,
        ),
        pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM batches'),
      ]);
      return {
        from,
        to,
        navigation: nav.rows.map((r) => ({ ...r, count: Number(r.count) })),
        email: mail.rows.map((r) => ({ ...r, count: Number(r.count) })),
        batches: Number(batches.rows[0]?.n ?? 0),
      };
    },
    async installations() {
      const { rows } = await pool.query<InstallationDbRow>(SELECT_INSTALLATIONS);
      return rows.map(toInstallation);
    },
    async groupTotals(from, to) {
      const { rows } = await pool.query<{
        report_group: string;
        category: string;
        outcome: string;
        count: string;
      }>(numbered(SELECT_GROUP_TOTALS), [from, to]);
      return rows.map((r) => ({
        group: r.report_group,
        category: r.category,
        outcome: r.outcome,
        count: Number(r.count),
      }));
    },
    async searchEvents(query) {
      const { sql, params } = eventSearchSql(query);
      const { rows } = await pool.query<EventDbRow>(numbered(sql), params);
      return rows.map(toEvent);
    },
    async pruneEvents(beforeMs) {
      const result = await pool.query(numbered(DELETE_EVENTS_BEFORE), [beforeMs]);
      return result.rowCount ?? 0;
    },
    async getSetting(name) {
      const { rows } = await pool.query<{ value: string }>(numbered(SELECT_SETTING), [name]);
      return rows[0]?.value ?? null;
    },
    async setSetting(name, value) {
      await pool.query(numbered(UPSERT_SETTING), [name, value]);
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async createSession(idHash, expiresAt) {
      await pool.query('DELETE FROM sessions WHERE expires_at < $1', [Date.now()]);
      await pool.query('INSERT INTO sessions (id_hash, expires_at) VALUES ($1, $2)', [
        idHash,
        expiresAt,
      ]);
    },
    async sessionValid(idHash, now) {
      const { rows } = await pool.query<{ expires_at: string }>(
        'SELECT expires_at FROM sessions WHERE id_hash = $1',
        [idHash],
      );
      return rows.length > 0 && Number(rows[0]!.expires_at) > now;
    },
    async deleteSession(idHash) {
      await pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    },
    async close() {
      await pool.end();
    },
  };
}

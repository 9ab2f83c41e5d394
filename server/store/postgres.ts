/**
 * PostgreSQL store, for a trust that runs several stateless server instances behind a load
 * balancer on one database. Same schema and statements as the SQLite store. Exactly-once across
 * instances: the batch row and its counts commit in one transaction; a second instance inserting
 * the same batch id waits on the unique index, then finds the row and adds nothing.
 */
import pg from 'pg';
import type { ReportBatch } from '../../lib/report/payload.ts';
import {
  type AccountDbRow,
  type AuditDbRow,
  accountUpdate,
  COUNT_INSTALLATIONS,
  COUNT_NEW_INSTALLATIONS,
  INSERT_ACCOUNT,
  INSERT_AUDIT,
  INSERT_BATCH,
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
  SELECT_INSTALLATIONS_AFTER,
  SELECT_INSTALLATIONS_FIRST,
  SELECT_NAVIGATION,
  SELECT_QUOTA,
  SELECT_SESSION_ADMIN,
  type SessionAdminDbRow,
  toAccount,
  toAudit,
  toInstallation,
  toSessionAdmin,
  UPSERT_INSTALLATION,
} from './schema.ts';
import {
  dayStart,
  emailKey,
  type IngestLimits,
  type IngestResult,
  installationQuotaUsed,
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
  const selectQuota = numbered(SELECT_QUOTA);
  const countNewInstallations = numbered(COUNT_NEW_INSTALLATIONS);

  async function quotaRefusal(
    c: pg.PoolClient,
    batch: ReportBatch,
    receivedAt: number,
    tokenId: string,
    limits: IngestLimits,
  ): Promise<IngestResult['refused'] | null> {
    const quota = await c.query<{ quota_day: string | null; quota_batches: string | null }>({
      name: 'steward_select_quota',
      text: selectQuota,
      values: [batch.installationId],
    });
    const existing = quota.rows[0];
    if (existing)
      return installationQuotaUsed(existing, receivedAt, limits) ? 'installation_quota' : null;
    const fresh = await c.query<{ n: string }>({
      name: 'steward_count_new_installations',
      text: countNewInstallations,
      values: [tokenId, dayStart(receivedAt)],
    });
    return Number(fresh.rows[0]?.n ?? 0) >= limits.newInstallationsPerTokenPerDay
      ? 'token_quota'
      : null;
  }

  async function ingestOnce(
    c: pg.PoolClient,
    batch: ReportBatch,
    receivedAt: number,
    tokenId: string,
    limits: IngestLimits,
  ): Promise<IngestResult> {
    const refused = await quotaRefusal(c, batch, receivedAt, tokenId, limits);
    if (refused) {
      const seen = await c.query(numbered(SELECT_BATCH_SEEN), [batch.batchId]);
      return seen.rowCount ? { duplicate: true } : { duplicate: false, refused };
    }
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
    await c.query({
      name: 'steward_upsert_installation',
      text: upsertInstallation,
      values: installationValues(id, receivedAt, batch, tokenId, limits.clockSkewMs),
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
    ingest(batch, receivedAt, tokenId, limits) {
      return inTransaction((c) => ingestOnce(c, batch, receivedAt, tokenId, limits));
    },
    async summary(from, to) {
      const [nav, mail, batches] = await Promise.all([
        pool.query<{ day: string; category: string; outcome: string; count: string }>(
          selectNavigation,
          [from, to],
        ),
        pool.query<{ day: string; detector: string; outcome: string; count: string }>(selectEmail, [
          from,
          to,
        ]),
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
    async installations({ limit, cursor }) {
      const [{ rows }, count] = await Promise.all([
        cursor
          ? pool.query<InstallationDbRow>(numbered(SELECT_INSTALLATIONS_AFTER), [
              cursor.at,
              cursor.at,
              cursor.id,
              limit + 1,
            ])
          : pool.query<InstallationDbRow>(numbered(SELECT_INSTALLATIONS_FIRST), [limit + 1]),
        pool.query<{ n: string }>(COUNT_INSTALLATIONS),
      ]);
      return mapPage(
        pageOf(rows, limit, Number(count.rows[0]?.n ?? 0), (r) => ({
          at: Number(r.last_seen),
          id: r.installation_id,
        })),
        toInstallation,
      );
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async createSession(idHash, accountId, expiresAt) {
      await pool.query('DELETE FROM sessions WHERE expires_at < $1', [Date.now()]);
      await pool.query(
        'INSERT INTO sessions (id_hash, account_id, expires_at) VALUES ($1, $2, $3)',
        [idHash, accountId, expiresAt],
      );
    },
    async sessionAdmin(idHash, now) {
      const { rows } = await pool.query<SessionAdminDbRow>(numbered(SELECT_SESSION_ADMIN), [
        idHash,
      ]);
      return toSessionAdmin(rows[0], now);
    },
    async deleteSession(idHash) {
      await pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    },
    async deleteSessionsOf(accountId) {
      await pool.query('DELETE FROM sessions WHERE account_id = $1', [accountId]);
    },
    async accounts() {
      const { rows } = await pool.query<AccountDbRow>(SELECT_ACCOUNTS);
      return rows.map(toAccount);
    },
    async accountByEmail(email) {
      const { rows } = await pool.query<AccountDbRow>(numbered(SELECT_ACCOUNT_BY_EMAIL), [email]);
      return rows[0] ? toAccount(rows[0]) : null;
    },
    async createAccount(a) {
      try {
        await pool.query(numbered(INSERT_ACCOUNT), [
          a.accountId,
          a.email,
          a.name,
          a.role,
          a.passwordHash,
          a.createdAt,
          a.updatedAt,
        ]);
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === '23505') return false;
        throw err;
      }
    },
    async updateAccount(accountId, change, now) {
      const { sql, values } = accountUpdate(change);
      const result = await pool.query(
        numbered(`UPDATE accounts SET ${sql}, updated_at = ? WHERE account_id = ?`),
        [...values, now, accountId],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async deleteAccount(accountId) {
      return inTransaction(async (c) => {
        await c.query('DELETE FROM sessions WHERE account_id = $1', [accountId]);
        const result = await c.query('DELETE FROM accounts WHERE account_id = $1', [accountId]);
        return (result.rowCount ?? 0) > 0;
      });
    },
    async addAudit(e) {
      await pool.query(numbered(INSERT_AUDIT), [
        e.entryId,
        e.at,
        e.actor,
        e.action,
        e.target,
        e.detail,
      ]);
    },
    async audit({ limit, cursor }) {
      const [{ rows }, count] = await Promise.all([
        cursor
          ? pool.query<AuditDbRow>(numbered(SELECT_AUDIT_AFTER), [
              cursor.at,
              cursor.at,
              cursor.id,
              limit + 1,
            ])
          : pool.query<AuditDbRow>(numbered(SELECT_AUDIT_FIRST), [limit + 1]),
        pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM audit_log'),
      ]);
      return mapPage(
        pageOf(rows, limit, Number(count.rows[0]?.n ?? 0), (r) => ({
          at: Number(r.at),
          id: r.entry_id,
        })),
        toAudit,
      );
    },
    async savePendingSignIn(idHash, p, expiresAt) {
      await pool.query('DELETE FROM sign_in_attempts WHERE expires_at < $1', [Date.now()]);
      await pool.query(
        'INSERT INTO sign_in_attempts (id_hash, state, nonce, code_verifier, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [idHash, p.state, p.nonce, p.codeVerifier, expiresAt],
      );
    },
    async takePendingSignIn(idHash, now) {
      const { rows } = await pool.query<{
        state: string;
        nonce: string;
        code_verifier: string;
        expires_at: string;
      }>(
        'DELETE FROM sign_in_attempts WHERE id_hash = $1 RETURNING state, nonce, code_verifier, expires_at',
        [idHash],
      );
      const row = rows[0];
      if (!row || Number(row.expires_at) <= now) return null;
      return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier };
    },
    async prune(now, retention) {
      const day = 86_400_000;
      const [batches, installations, sessions, pending] = await Promise.all([
        pool.query('DELETE FROM batches WHERE received_at < $1', [now - retention.batchDays * day]),
        pool.query('DELETE FROM installations WHERE last_seen < $1', [
          now - retention.installationDays * day,
        ]),
        pool.query('DELETE FROM sessions WHERE expires_at < $1', [now]),
        pool.query('DELETE FROM sign_in_attempts WHERE expires_at < $1', [now]),
      ]);
      return {
        batches: batches.rowCount ?? 0,
        installations: installations.rowCount ?? 0,
        sessions: (sessions.rowCount ?? 0) + (pending.rowCount ?? 0),
      };
    },
    async close() {
      await pool.end();
    },
  };
}

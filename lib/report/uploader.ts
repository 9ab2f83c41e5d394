/**
 * The uploader: sends pending batches to `reportUrl`, oldest first, and forgets a batch only
 * after the server has answered 2xx. State machine and guarantees: `docs/reporting-client.md`.
 *
 * In short, per run (`uploadDue`):
 *   prune → (no pending batch? cut one from the counters, in one transaction) → if due, record
 *   the attempt → POST → 2xx: delete the batch and go on with the next
 *                      → retryable: keep it, nextAttemptAt = now + backoff; stop
 *                      → rejected: keep it marked rejected with the server's message; go on
 *
 * Exactly once = at-least-once here (a batch is deleted only after a 2xx, and a re-send carries
 * the same batch id and the same rows) + the server's dedupe on batch id.
 *
 * Pure module: store, fetch, clock, randomness, status and policy are injected.
 */
import { isHttpsOrLocalhost } from '../policy.ts';
import { dayOf } from './day.ts';
import { getInstallationId, type KeyValueStore, reportIdentity } from './identity.ts';
import {
  classifyStatus,
  DEFAULT_LIMITS,
  type Limits,
  MAX_RETRY_MS,
  MIN_RETRY_MS,
  parseRetryAfter,
  planCut,
  planPrune,
  retryDelay,
  splitBatch,
} from './outbox.ts';
import {
  describeProblems,
  fitStatus,
  type InstallationStatus,
  MAX_ERROR_LENGTH,
  parseReportBatch,
  REPORT_SCHEMA,
  type ReportBatch,
} from './payload.ts';
import type { DropRecord, PendingBatch, ReportStore } from './store.ts';

/** The policy keys the report client reads (a subset of `StewardPolicy` in lib/policy.ts). */
export interface ReportPolicy {
  reportUrl?: string | undefined;
  reportToken?: string | undefined;
  reportIntervalMinutes: number;
  reportIdentity: 'installation' | 'email';
  /** `events`: detailed events are kept and sent as well as counts (default `counts`). */
  reportDetail?: 'counts' | 'events';
  timeZone: string;
  orgDomains: readonly string[];
}

/** The part of a fetch Response the uploader reads. */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface RequestLike {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
  credentials?: 'omit';
  cache?: 'no-store';
  /** 'error': a redirect fails the upload (retried later) instead of sending the counts on. */
  redirect?: 'error';
}

/** `globalThis.fetch` fits; tests pass a fake server. */
export type FetchLike = (url: string, init: RequestLike) => Promise<ResponseLike>;

export interface UploaderDeps {
  store: ReportStore;
  fetch: FetchLike;
  /** Epoch ms. */
  now: () => number;
  /** [0, 1), for backoff jitter. */
  random: () => number;
  /** Lowercase UUID v4, for batch and installation ids; defaults to crypto.randomUUID. */
  uuid?: () => string;
  /** The installation's status at send time (extension version, policy and rule-list state…). */
  getStatus: () => InstallationStatus | Promise<InstallationStatus>;
  /**
   * A batch carrying this status was delivered (2xx): what it reported (adapter health since the
   * last report) can be forgotten. Called after the batch is deleted; a failure here is logged,
   * never undoes the delivery.
   */
  statusDelivered?: (status: InstallationStatus) => void | Promise<void>;
  /**
   * Whether the status has news the school should hear even when nothing was counted (the
   * worker's recovery, a webmail check problem): a batch with no rows is then sent to carry it.
   * Without it (or false), a status-only batch goes only once a day (STATUS_ONLY_AFTER_MS).
   */
  statusToTell?: () => boolean | Promise<boolean>;
  getPolicy: () => ReportPolicy | Promise<ReportPolicy>;
  /** Signed-in account's email (chrome.identity.getProfileUserInfo); only used in email mode. */
  getAccountEmail?: () => Promise<string | null | undefined>;
  /** Where the installation id lives; defaults to the report store's meta. */
  kv?: KeyValueStore;
  limits?: Partial<Limits>;
  /** A request that takes longer is abandoned (and the batch re-sent later). Default 30 s. */
  requestTimeoutMs?: number;
  /** Most batches sent in one run, so one run cannot keep the service worker busy for long. */
  maxBatchesPerRun?: number;
}

export type UploadOutcome =
  /** Nothing to send. */
  | 'idle'
  /** Everything due was delivered (or rejected for good). */
  | 'done'
  /** The oldest pending batch is waiting for its next attempt. */
  | 'waiting'
  /** An attempt failed; the batch is kept for a later attempt. */
  | 'failed'
  /** No reportUrl or reportToken in policy: counts are kept (bounded) until there is. */
  | 'not_configured'
  /** reportUrl is not HTTPS (or localhost over http): nothing sent. */
  | 'insecure_url';

export interface UploadResult {
  outcome: UploadOutcome;
  delivered: string[];
  rejected: string[];
  /** When to run again (epoch ms), or null when nothing is pending: schedule a one-shot alarm. */
  nextAttemptAt: number | null;
  error?: string;
}

/** How an upload run was asked for. */
export interface UploadOptions {
  /**
   * An explicit admin action ("Send counts now"): attempt the oldest pending batch even if its
   * backoff (or a Retry-After) has not run out. Same batch, same batch id, so still exactly once;
   * one click is one attempt, and a failure sets a fresh backoff as usual.
   */
  sendNow?: boolean;
}

export interface BatchSummary {
  batchId: string;
  createdAt: string;
  rows: number;
  count: number;
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt?: number;
  lastError?: string;
  rejection?: PendingBatch['rejection'];
}

/** What the popup, the options page or the status block can show about reporting. */
export interface ReportState {
  /** Counts not yet cut into a batch. */
  unsent: { rows: number; count: number };
  pending: BatchSummary[];
  /** Batches the server refused as malformed: kept, shown, not retried (see retryRejected). */
  rejected: BatchSummary[];
  drops: DropRecord;
  lastDeliveredAt: number | null;
  lastError: { message: string; at: number } | null;
  nextAttemptAt: number | null;
}

export type UrlCheck = { ok: true; url: string } | { ok: false; error: string };

/** HTTPS only, except http://localhost and http://127.0.0.1 (and [::1]) for testing. */
export function checkReportUrl(value: string): UrlCheck {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, error: `reportUrl "${value}" is not a URL; nothing was sent` };
  }
  if (isHttpsOrLocalhost(url)) return { ok: true, url: url.href };
  return {
    ok: false,
    error:
      `reportUrl must start with https:// (http is allowed only for localhost); ` +
      `"${url.protocol}//${url.host}" was refused and nothing was sent`,
  };
}

const LAST_ERROR = 'lastError';
const LAST_DELIVERED = 'lastDeliveredAt';

/**
 * A browser that counts nothing still tells its school it is there (its status, "last seen") once
 * this long after its last delivered batch, with a batch of no rows (the contract's heartbeat).
 * Without it a browser where nothing was blocked for a week showed as "not seen recently".
 */
export const STATUS_ONLY_AFTER_MS = 24 * 60 * 60_000;

function truncate(text: string | null, max: number): string | null {
  if (text === null) return null;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function summarise(b: PendingBatch): BatchSummary {
  let count = 0;
  for (const r of b.navigation) count += r.count;
  for (const r of b.email) count += r.count;
  const s: BatchSummary = {
    batchId: b.batchId,
    createdAt: b.createdAt,
    rows: b.navigation.length + b.email.length,
    count,
    attempts: b.attempts,
    nextAttemptAt: b.nextAttemptAt,
  };
  if (b.lastAttemptAt !== undefined) s.lastAttemptAt = b.lastAttemptAt;
  if (b.lastError !== undefined) s.lastError = b.lastError;
  if (b.rejection !== undefined) s.rejection = b.rejection;
  return s;
}

function messageOf(error: unknown): string {
  if (error instanceof Error)
    return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}

/** The server's explanation from an error body: `{error, problems}` JSON or plain text. */
function explain(status: number, body: string): string {
  let text = body.trim();
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const o = parsed as Record<string, unknown>;
      const parts: string[] = [];
      for (const k of ['error', 'message'])
        if (typeof o[k] === 'string') parts.push(o[k] as string);
      if (Array.isArray(o.problems)) {
        for (const p of o.problems.slice(0, 5)) {
          if (p && typeof p === 'object' && 'path' in p && 'message' in p) {
            parts.push(`${String(p.path)}: ${String(p.message)}`);
          } else if (typeof p === 'string') parts.push(p);
        }
      }
      if (parts.length > 0) text = parts.join('; ');
    }
  } catch {
    // not JSON: keep the text
  }
  return truncate(`HTTP ${status}${text ? `: ${text}` : ''}`, MAX_ERROR_LENGTH) ?? '';
}

type Retry = { kind: 'retry'; error: string; retryAfterMs: number | null };
type Rejected = { kind: 'rejected'; status: number; message: string };
/** What one POST came to. */
type Delivered = { kind: 'delivered'; status: InstallationStatus };
type PostResult = Delivered | Retry | Rejected | { kind: 'too_large'; message: string };
/** What one attempt at a batch came to, after the bookkeeping. */
type SendResult = Delivered | Retry | Rejected | { kind: 'split' };

export class Uploader {
  private readonly deps: UploaderDeps;
  private readonly limits: Limits;
  private readonly uuid: () => string;
  private readonly kv: KeyValueStore;

  constructor(deps: UploaderDeps) {
    this.deps = deps;
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    this.uuid = deps.uuid ?? (() => crypto.randomUUID());
    this.kv = deps.kv ?? {
      get: (key) => deps.store.getMeta(key),
      set: (key, value) => deps.store.setMeta(key, value),
    };
  }

  installationId(): Promise<string> {
    return getInstallationId(this.kv, this.uuid);
  }

  /** Drop what the storage bounds say must go (oldest first), recording the drop. */
  async prune(policy: ReportPolicy): Promise<void> {
    const now = this.deps.now();
    const today = dayOf(now, policy.timeZone);
    await this.deps.store.prune((counters, batches, drops) =>
      planPrune(counters, batches, drops, today, now, this.limits),
    );
  }

  /** Send what is due. Never throws for a network or server problem; the result says what happened. */
  async uploadDue(options: UploadOptions = {}): Promise<UploadResult> {
    const { store } = this.deps;
    const policy = await this.deps.getPolicy();
    await this.prune(policy);
    const result: UploadResult = {
      outcome: 'idle',
      delivered: [],
      rejected: [],
      nextAttemptAt: null,
    };

    if (!policy.reportUrl || !policy.reportToken) {
      result.outcome = 'not_configured';
      return result;
    }
    const url = checkReportUrl(policy.reportUrl);
    if (!url.ok) {
      await this.setError(url.error);
      result.outcome = 'insecure_url';
      result.error = url.error;
      result.nextAttemptAt = await this.earliestPending();
      return result;
    }

    const maxRuns = this.deps.maxBatchesPerRun ?? 20;
    // At most one batch of status alone per run, whatever its delivery leaves behind.
    let statusOnlySent = false;
    for (let i = 0; i < maxRuns; i++) {
      const batches = await store.listBatches();
      let batch = batches.find((b) => b.state === 'pending');
      // A new batch is cut only when none is pending: while the server is away, new counts keep
      // aggregating in the counters (days × categories) instead of piling up as batches.
      if (!batch) {
        // Not while a batch is refused: the server needs IT's attention first, and empty batches
        // piling up as refused would push real counts out of the bounded queue.
        const statusOnly: boolean =
          !statusOnlySent &&
          !batches.some((b) => b.state === 'rejected') &&
          (await this.statusOnlyDue());
        statusOnlySent ||= statusOnly;
        const cut = await this.cut(policy, statusOnly);
        if (!cut) {
          if (result.outcome === 'idle' && result.delivered.length + result.rejected.length > 0) {
            result.outcome = 'done';
          }
          return result;
        }
        batch = cut;
      }
      if (!options.sendNow && batch.nextAttemptAt > this.deps.now()) {
        result.outcome = 'waiting';
        result.nextAttemptAt = batch.nextAttemptAt;
        return result;
      }
      const sent = await this.send(batch, policy, url.url);
      if (sent.kind === 'delivered') {
        await store.deleteBatch(batch.batchId);
        await store.setMeta(LAST_DELIVERED, this.deps.now());
        await store.setMeta(LAST_ERROR, null);
        result.delivered.push(batch.batchId);
        try {
          await this.deps.statusDelivered?.(sent.status);
        } catch (error) {
          console.warn('[steward] could not clear what the delivered status reported', error);
        }
      } else if (sent.kind === 'rejected') {
        result.rejected.push(batch.batchId);
      } else if (sent.kind === 'split') {
        // The halves are next in the queue; send them in this run.
      } else {
        result.outcome = 'failed';
        result.error = sent.error;
        result.nextAttemptAt = await this.earliestPending();
        return result;
      }
    }
    // More remains than one run may send: come back soon.
    result.outcome = 'done';
    result.nextAttemptAt = this.deps.now() + MIN_RETRY_MS;
    return result;
  }

  /** Put rejected batches back in the queue (after the admin fixed the server or the client). */
  async retryRejected(): Promise<number> {
    const now = this.deps.now();
    let n = 0;
    for (const b of await this.deps.store.listBatches()) {
      if (b.state !== 'rejected') continue;
      const { rejection: _gone, ...rest } = b;
      await this.deps.store.updateBatch({
        ...rest,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: now,
      });
      n++;
    }
    return n;
  }

  async state(): Promise<ReportState> {
    const { store } = this.deps;
    const [counters, batches, drops, lastDelivered, lastError] = await Promise.all([
      store.listCounters(),
      store.listBatches(),
      store.getDrops(),
      store.getMeta(LAST_DELIVERED),
      store.getMeta(LAST_ERROR),
    ]);
    const pending = batches.filter((b) => b.state === 'pending');
    // Counts only: detailed events repeat blocked and warned visits already counted.
    const counts = counters.filter((r) => r.kind !== 'event');
    return {
      unsent: { rows: counts.length, count: counts.reduce((n, r) => n + r.count, 0) },
      pending: pending.map(summarise),
      rejected: batches.filter((b) => b.state === 'rejected').map(summarise),
      drops,
      lastDeliveredAt: typeof lastDelivered === 'number' ? lastDelivered : null,
      lastError: isLastError(lastError) ? lastError : null,
      nextAttemptAt: pending[0]?.nextAttemptAt ?? null,
    };
  }

  private async earliestPending(): Promise<number | null> {
    const pending = (await this.deps.store.listBatches()).filter((b) => b.state === 'pending');
    return pending[0]?.nextAttemptAt ?? null;
  }

  private async setError(message: string): Promise<void> {
    await this.deps.store.setMeta(LAST_ERROR, { message, at: this.deps.now() });
  }

  /** Whether a batch with no rows should carry the status now (STATUS_ONLY_AFTER_MS, statusToTell). */
  private async statusOnlyDue(): Promise<boolean> {
    try {
      if (await this.deps.statusToTell?.()) return true;
      const last = await this.deps.store.getMeta(LAST_DELIVERED);
      return typeof last !== 'number' || this.deps.now() - last >= STATUS_ONLY_AFTER_MS;
    } catch (error) {
      console.warn('[steward] could not tell whether the status is due', error);
      return false;
    }
  }

  private async cut(policy: ReportPolicy, statusOnly = false): Promise<PendingBatch | null> {
    // Everything async (ids, identity lookup) happens before the transaction; the plan inside it
    // is synchronous.
    const installationId = await this.installationId();
    const identity = await reportIdentity(
      policy.reportIdentity,
      policy.orgDomains,
      this.deps.getAccountEmail ?? (async () => null),
    );
    const now = this.deps.now();
    const batchId = this.uuid().toLowerCase();
    const input = {
      batchId,
      createdAt: new Date(now).toISOString(),
      installationId,
      now,
      maxRowsPerBatch: this.limits.maxRowsPerBatch,
      events: policy.reportDetail === 'events',
      statusOnly,
      ...(identity !== undefined ? { identity } : {}),
    };
    return this.deps.store.cutBatch((rows) => planCut(rows, input));
  }

  private retryBaseMs(policy: ReportPolicy): number {
    const interval = policy.reportIntervalMinutes * 60_000;
    return Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, Number.isFinite(interval) ? interval : 0));
  }

  private async send(batch: PendingBatch, policy: ReportPolicy, url: string): Promise<SendResult> {
    const { store } = this.deps;
    const attempts = batch.attempts + 1;
    const started = this.deps.now();
    const backoff = retryDelay(attempts, this.retryBaseMs(policy), this.deps.random);
    // The attempt is recorded before the request: if the worker is killed mid-request the batch
    // is re-sent after its backoff, not in a tight loop against a server that may be the cause.
    const attempted: PendingBatch = {
      ...batch,
      attempts,
      lastAttemptAt: started,
      nextAttemptAt: started + backoff,
    };
    await store.updateBatch(attempted);

    const posted = await this.post(batch, policy, url);
    const now = this.deps.now();
    if (posted.kind === 'delivered') return posted;
    let outcome: Retry | Rejected;
    if (posted.kind === 'too_large') {
      // Refused batches are stored nowhere, so the halves may carry new ids without double counting.
      const parts = splitBatch(batch, this.uuid, now);
      if (parts && (await store.replaceBatch(batch.batchId, parts))) return { kind: 'split' };
      outcome = { kind: 'rejected', status: 413, message: posted.message };
    } else {
      outcome = posted;
    }
    if (outcome.kind === 'rejected') {
      await store.updateBatch({
        ...attempted,
        state: 'rejected',
        lastError: outcome.message,
        rejection: { status: outcome.status, message: outcome.message, at: now },
      });
      await this.setError(`batch ${batch.batchId} was refused: ${outcome.message}`);
      return outcome;
    }
    const nextAttemptAt =
      outcome.retryAfterMs !== null
        ? now + Math.max(MIN_RETRY_MS, outcome.retryAfterMs)
        : now + retryDelay(attempts, this.retryBaseMs(policy), this.deps.random);
    await store.updateBatch({ ...attempted, lastError: outcome.error, nextAttemptAt });
    await this.setError(outcome.error);
    return outcome;
  }

  private async post(
    batch: PendingBatch,
    policy: ReportPolicy,
    url: string,
    retryWithout?: readonly OptionalStatusPart[],
  ): Promise<PostResult> {
    // Whatever the status holds, it is made to fit the contract, and a status that cannot be read
    // at all is sent as a neutral one: a bad status must never hold back the counts (issue 10).
    let raw: unknown;
    try {
      raw = await this.deps.getStatus();
    } catch (error) {
      console.warn('[steward] status unavailable; the counts go with a neutral status', error);
      raw = {};
    }
    const status = fitStatus(raw).status;
    const sentStatus = retryWithout ? withoutParts(status, retryWithout) : status;
    const payload: ReportBatch = {
      schema: REPORT_SCHEMA,
      batchId: batch.batchId,
      installationId: batch.installationId,
      ...(batch.identity !== undefined ? { identity: batch.identity } : {}),
      createdAt: batch.createdAt,
      status: sentStatus,
      navigation: batch.navigation,
      email: batch.email,
      ...(batch.events?.length ? { events: batch.events } : {}),
    };
    const checked = parseReportBatch(payload);
    if (!checked.ok) {
      const message = `not sent, it does not match ${REPORT_SCHEMA}: ${describeProblems(checked.problems)}`;
      // The status always fits (fitStatus), so this is a bad row, which would never pass: the
      // batch is rejected and shown rather than retried for ever.
      return { kind: 'rejected', status: 0, message: truncate(message, MAX_ERROR_LENGTH) ?? '' };
    }

    let response: ResponseLike;
    try {
      response = await this.deps.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${policy.reportToken ?? ''}`,
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.deps.requestTimeoutMs ?? 30_000),
        credentials: 'omit',
        cache: 'no-store',
        // Counts go to the address in the policy and nowhere else: a redirect (a captive
        // portal, a hijacked or misconfigured server) would resend the token and counts to
        // whatever address it names.
        redirect: 'error',
      });
    } catch (error) {
      return {
        kind: 'retry',
        error: `could not reach the report server: ${messageOf(error)}`,
        retryAfterMs: null,
      };
    }

    const kind = classifyStatus(response.status);
    if (kind === 'delivered') return { kind: 'delivered', status };
    let body = '';
    try {
      body = await response.text();
    } catch {
      // the connection dropped while reading the error: the status is enough
    }
    const message = explain(response.status, body);
    if (kind === 'rejected') {
      // A server older than this extension refuses a part of the status it does not know yet
      // (`status.workerRecovery` before it was added there). What the status says must never hold
      // back the counts: the same batch goes again at once without the parts the server named.
      // It stored nothing (it refused the batch), so the same id cannot count twice.
      const unheard = refusedStatusParts(status, body);
      if (!retryWithout && unheard.length > 0) {
        console.warn(
          `[steward] the report server does not take status.${unheard.join(', status.')}; the counts go without`,
        );
        const again = await this.post(batch, policy, url, unheard);
        // Delivered: what the server cannot take counts as told, so it is not sent for ever.
        return again.kind === 'delivered' ? { kind: 'delivered', status } : again;
      }
      return { kind: 'rejected', status: response.status, message };
    }
    if (kind === 'too_large') return { kind: 'too_large', message };
    const retryAfterMs =
      response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers.get('retry-after'), this.deps.now())
        : null;
    const error =
      kind === 'refused'
        ? `the report server refused the token (check reportToken): ${message}`
        : `the report server answered ${message}`;
    return { kind: 'retry', error, retryAfterMs };
  }
}

/** The parts of the status the contract makes optional: a server may not know a newer one. */
export type OptionalStatusPart = 'install' | 'adapterHealth' | 'group' | 'workerRecovery';
export const OPTIONAL_STATUS_PARTS: readonly OptionalStatusPart[] = [
  'install',
  'adapterHealth',
  'group',
  'workerRecovery',
];

/** Optional parts of `status` that a refusal's body names (`status.workerRecovery: …`). */
export function refusedStatusParts(status: InstallationStatus, body: string): OptionalStatusPart[] {
  return OPTIONAL_STATUS_PARTS.filter(
    (part) => status[part] !== undefined && new RegExp(`\\bstatus\\.${part}\\b`).test(body),
  );
}

function withoutParts(
  status: InstallationStatus,
  parts: readonly OptionalStatusPart[],
): InstallationStatus {
  const out = { ...status };
  for (const part of parts) delete out[part];
  return out;
}

function isLastError(value: unknown): value is { message: string; at: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { at?: unknown }).at === 'number'
  );
}

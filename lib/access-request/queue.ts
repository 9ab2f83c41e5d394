/**
 * The browser's side of access requests: a small outbox like the report client's (lib/report),
 * so a request made offline is not lost, and the outcomes the school's server has decided.
 *
 * - `enqueue` stores the request under a random id before anything is sent.
 * - `sendDue` posts each request that is due; a request leaves the queue only after the server
 *   answered 2xx (a re-send carries the same id, and the server stores an id once: exactly once).
 *   A passing failure (offline, 5xx, 429) waits with exponential backoff and jitter; a refused
 *   token keeps the request and retries (the admin's fix is a policy change); a request the
 *   server says is wrong is kept aside with the server's message, shown to staff.
 * - `checkOutcomes` asks the server how this browser's requests were decided.
 *
 * Pure module: storage, fetch, clock and randomness are injected.
 */
import type { KeyValueStore } from '../report/identity.ts';
import { classifyStatus, parseRetryAfter, retryDelay } from '../report/outbox.ts';
import {
  ACCESS_REQUEST_SCHEMA,
  type AccessRequest,
  parseAccessRequest,
  parseOutcomes,
  type RequestOutcome,
} from './payload.ts';

export const ACCESS_REQUESTS_KEY = 'accessRequests';
/** Requests waiting to be sent; more are refused (staff see why) so storage stays small. */
export const MAX_QUEUED = 20;
const RETRY_BASE_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

export type QueuedRequest = {
  request: AccessRequest;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
};

export type AccessRequestsState = {
  queue: QueuedRequest[];
  /** Requests the server refused as wrong, with its message (kept so staff see it). */
  refused: { request: AccessRequest; message: string }[];
  /** The server's last answer about this browser's requests. */
  outcomes: RequestOutcome[];
  lastCheckAt: number | null;
  lastError: string | null;
};

/** A fresh empty state (new arrays each time: callers change what they read). */
export function emptyState(): AccessRequestsState {
  return { queue: [], refused: [], outcomes: [], lastCheckAt: null, lastError: null };
}

export type FetchLike = (
  url: string,
  init: {
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    body?: string;
    signal?: AbortSignal;
    credentials: 'omit';
    cache: 'no-store';
    redirect: 'error';
  },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface AccessRequestDeps {
  kv: KeyValueStore;
  fetch: FetchLike;
  now: () => number;
  random: () => number;
  uuid?: () => string;
  /** Where to send (accessRequestEndpoint) and the report token, or null when not configured. */
  target: () => Promise<{ endpoint: string; token: string } | null>;
  installationId: () => Promise<string>;
}

export async function readState(kv: KeyValueStore): Promise<AccessRequestsState> {
  const stored = (await kv.get(ACCESS_REQUESTS_KEY)) as Partial<AccessRequestsState> | undefined;
  return { ...emptyState(), ...(stored ?? {}) };
}

async function writeState(kv: KeyValueStore, state: AccessRequestsState): Promise<void> {
  await kv.set(ACCESS_REQUESTS_KEY, state);
}

export type EnqueueResult =
  | { ok: true; requestId: string }
  | { ok: false; reason: 'not_configured' | 'too_many' | 'invalid'; message: string };

/** Queue a request (validated against the contract first). Nothing is sent here. */
export async function enqueue(
  deps: AccessRequestDeps,
  input: { site: string; category: string; reason: string; identity?: string | undefined },
): Promise<EnqueueResult> {
  if (!(await deps.target())) {
    return {
      ok: false,
      reason: 'not_configured',
      message: 'Your school has not set up access requests in Steward.',
    };
  }
  const state = await readState(deps.kv);
  if (state.queue.length >= MAX_QUEUED) {
    return {
      ok: false,
      reason: 'too_many',
      message: `${state.queue.length} requests are still waiting to be sent; try again when Steward is back online.`,
    };
  }
  const candidate = {
    schema: ACCESS_REQUEST_SCHEMA,
    requestId: (deps.uuid ?? (() => crypto.randomUUID()))().toLowerCase(),
    installationId: await deps.installationId(),
    createdAt: new Date(deps.now()).toISOString(),
    site: input.site,
    category: input.category,
    reason: input.reason,
    ...(input.identity ? { identity: input.identity } : {}),
  };
  const parsed = parseAccessRequest(candidate);
  if (!parsed.ok) {
    const first = parsed.problems[0]!;
    return { ok: false, reason: 'invalid', message: `${first.path}: ${first.message}` };
  }
  state.queue.push({ request: parsed.request, attempts: 0, nextAttemptAt: 0, lastError: null });
  await writeState(deps.kv, state);
  return { ok: true, requestId: parsed.request.requestId };
}

export type SendResult = {
  sent: string[];
  /** When to try again (epoch ms), or null when nothing is waiting. */
  nextAttemptAt: number | null;
};

/** Send every request that is due (all of them with `force`), oldest first. */
export async function sendDue(deps: AccessRequestDeps, force = false): Promise<SendResult> {
  const target = await deps.target();
  const state = await readState(deps.kv);
  const sent: string[] = [];
  if (!target || state.queue.length === 0) {
    return { sent, nextAttemptAt: state.queue.length > 0 ? deps.now() + RETRY_BASE_MS : null };
  }
  for (const item of [...state.queue]) {
    const now = deps.now();
    if (!force && item.nextAttemptAt > now) continue;
    item.attempts += 1;
    let status = 0;
    let retryAfter: string | null = null;
    let message = '';
    try {
      const res = await withTimeout((signal) =>
        deps.fetch(target.endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${target.token}` },
          body: JSON.stringify(item.request),
          signal,
          credentials: 'omit',
          cache: 'no-store',
          redirect: 'error',
        }),
      );
      status = res.status;
      retryAfter = res.headers.get('Retry-After');
      message = serverMessage(await res.text().catch(() => ''));
    } catch (error) {
      message = `The school's server could not be reached (${error instanceof Error ? error.message : String(error)}).`;
    }
    const kind = status === 0 ? 'retry' : classifyStatus(status);
    const current = await readState(deps.kv);
    const index = current.queue.findIndex((q) => q.request.requestId === item.request.requestId);
    if (index < 0) continue;
    if (kind === 'delivered') {
      current.queue.splice(index, 1);
      const waiting: RequestOutcome = {
        requestId: item.request.requestId,
        site: item.request.site,
        status: 'pending',
      };
      current.outcomes = [
        waiting,
        ...current.outcomes.filter((o) => o.requestId !== item.request.requestId),
      ].slice(0, 50);
      sent.push(item.request.requestId);
    } else if (kind === 'rejected' || kind === 'too_large') {
      current.queue.splice(index, 1);
      current.refused = [
        { request: item.request, message: message || `The server answered ${status}.` },
        ...current.refused,
      ].slice(0, 10);
    } else {
      const wait =
        parseRetryAfter(retryAfter, now) ?? retryDelay(item.attempts, RETRY_BASE_MS, deps.random);
      current.queue[index] = {
        ...item,
        nextAttemptAt: now + wait,
        lastError: message || `The server answered ${status}.`,
      };
    }
    await writeState(deps.kv, current);
  }
  const after = await readState(deps.kv);
  const next = after.queue.reduce<number | null>(
    (min, q) => (min === null || q.nextAttemptAt < min ? q.nextAttemptAt : min),
    null,
  );
  return { sent, nextAttemptAt: next };
}

/** Ask the server how this browser's requests were decided; keeps the last answer on failure. */
export async function checkOutcomes(deps: AccessRequestDeps): Promise<AccessRequestsState> {
  const target = await deps.target();
  const state = await readState(deps.kv);
  if (!target) return state;
  const url = new URL(target.endpoint);
  url.searchParams.set('installationId', await deps.installationId());
  let error: string | null = null;
  let outcomes: RequestOutcome[] | null = null;
  try {
    const res = await withTimeout((signal) =>
      deps.fetch(url.toString(), {
        method: 'GET',
        headers: { Authorization: `Bearer ${target.token}` },
        signal,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
      }),
    );
    const text = await res.text();
    if (res.status === 200) {
      outcomes = parseOutcomes(JSON.parse(text));
      if (!outcomes) error = "The school's server answered in a form Steward does not know.";
    } else error = serverMessage(text) || `The server answered ${res.status}.`;
  } catch (e) {
    error = `The school's server could not be reached (${e instanceof Error ? e.message : String(e)}).`;
  }
  const current = await readState(deps.kv);
  const next: AccessRequestsState = {
    ...current,
    lastCheckAt: deps.now(),
    lastError: error,
    ...(outcomes ? { outcomes } : {}),
  };
  await writeState(deps.kv, next);
  return next;
}

async function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return typeof body.message === 'string' ? body.message.slice(0, 300) : '';
  } catch {
    return '';
  }
}

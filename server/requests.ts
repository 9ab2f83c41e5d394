/**
 * Access requests on the server (issue 12, part 1): the inbox the block page's "Ask for access"
 * fills, and the decisions the IT team makes on the dashboard. Kept in
 * `<data folder>/access-requests.json` (written atomically, see json-state.ts).
 *
 * Exactly once: the browser queues each request under a random id and sends it until the server
 * answers 2xx; the server stores an id once and answers `duplicate: true` to a re-send.
 * An approval grants access to everyone or to one group (the policy's `reportGroup`), for a number
 * of days or for good, as an allow-list entry in the next published list (server/lists.ts: a
 * group's entries go in the list's `groupAllowLists`, which only that group's browsers apply); the browser that asked learns the outcome when it
 * next asks `GET /v1/access-requests?installationId=…`.
 */
import path from 'node:path';
import type { AccessRequest, Decision, RequestOutcome } from '../lib/access-request/payload.ts';
import type { RequestTotals } from './governors-report.ts';
import { JsonState } from './json-state.ts';
import type { HistoryEntry, ListSource } from './lists.ts';

export type StoredRequest = AccessRequest & {
  receivedAt: string;
  status: Decision;
  entry?: string | null;
  /** The group an approval is for (the policy's reportGroup); null or absent: everyone. */
  group?: string | null;
  until?: string | null;
  note?: string | null;
  decidedAt?: string | null;
  listVersion?: number | null;
};

type Inbox = { requests: StoredRequest[] };

/** Pending requests one browser may have waiting: a token holder cannot fill the inbox. */
export const MAX_PENDING_PER_INSTALLATION = 20;
/** Requests kept in all; the oldest decided ones go first. */
export const MAX_STORED = 20_000;
/** A request's createdAt may be at most this far ahead of the server's clock. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

export class RequestError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class AccessRequests {
  private readonly state: JsonState<Inbox>;

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.state = new JsonState(path.join(dataDir, 'access-requests.json'), () => ({
      requests: [],
    }));
  }

  /** Store a request once; a re-send of the same id is a duplicate, stored nothing. */
  async receive(request: AccessRequest): Promise<{ duplicate: boolean }> {
    return this.state.update<{ duplicate: boolean }>((inbox) => {
      if (inbox.requests.some((r) => r.requestId === request.requestId)) {
        return { value: inbox, result: { duplicate: true } };
      }
      const pending = inbox.requests.filter(
        (r) => r.installationId === request.installationId && r.status === 'pending',
      ).length;
      if (pending >= MAX_PENDING_PER_INSTALLATION) {
        throw new RequestError(
          `This browser already has ${pending} requests waiting for the IT team; wait for them to be decided.`,
          429,
        );
      }
      const now = this.now();
      const created = Math.min(Date.parse(request.createdAt), now + CLOCK_SKEW_MS);
      inbox.requests.push({
        ...request,
        createdAt: new Date(created).toISOString(),
        receivedAt: new Date(now).toISOString(),
        status: 'pending',
      });
      if (inbox.requests.length > MAX_STORED) {
        const decided = inbox.requests
          .filter((r) => r.status !== 'pending')
          .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
        const drop = new Set(
          decided.slice(0, inbox.requests.length - MAX_STORED).map((r) => r.requestId),
        );
        inbox.requests = inbox.requests.filter((r) => !drop.has(r.requestId));
      }
      return { value: inbox, result: { duplicate: false } };
    });
  }

  /** One browser's requests, newest first, as the browser is told them. */
  async outcomesFor(installationId: string): Promise<RequestOutcome[]> {
    const inbox = await this.state.read();
    return inbox.requests
      .filter((r) => r.installationId === installationId)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .slice(0, 50)
      .map((r) => ({
        requestId: r.requestId,
        site: r.site,
        status: r.status,
        entry: r.entry ?? null,
        until: r.until ?? null,
        note: r.note ?? null,
        decidedAt: r.decidedAt ?? null,
        listVersion: r.listVersion ?? null,
      }));
  }

  /** The inbox for the dashboard: pending first (oldest first), then decided (newest first). */
  async list(
    filter: 'pending' | 'decided' | 'all',
    offset: number,
    limit: number,
  ): Promise<{ total: number; pending: number; requests: StoredRequest[] }> {
    const inbox = await this.state.read();
    const pending = inbox.requests
      .filter((r) => r.status === 'pending')
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    const decided = inbox.requests
      .filter((r) => r.status !== 'pending')
      .sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''));
    const chosen =
      filter === 'pending' ? pending : filter === 'decided' ? decided : [...pending, ...decided];
    return {
      total: chosen.length,
      pending: pending.length,
      requests: chosen.slice(offset, offset + limit),
    };
  }

  /**
   * The governors' report: requests received in [fromMs, toMs), and of those how many were
   * approved, declined (a withdrawn approval counts as approved: it was, until a rollback) or
   * are still waiting.
   */
  async totals(fromMs: number, toMs: number): Promise<RequestTotals> {
    const inbox = await this.state.read();
    const totals: RequestTotals = { received: 0, approved: 0, declined: 0, pending: 0 };
    for (const r of inbox.requests) {
      const at = Date.parse(r.receivedAt);
      if (!(at >= fromMs && at < toMs)) continue;
      totals.received += 1;
      if (r.status === 'pending') totals.pending += 1;
      else if (r.status === 'declined') totals.declined += 1;
      else totals.approved += 1;
    }
    return totals;
  }

  async get(requestId: string): Promise<StoredRequest | null> {
    return (await this.state.read()).requests.find((r) => r.requestId === requestId) ?? null;
  }

  /** Record a decision (the caller has already put an approval's entry into the list source). */
  async decide(
    requestId: string,
    decision:
      | {
          status: 'approved';
          entry: string;
          group: string | null;
          until: string | null;
          note: string | null;
        }
      | { status: 'declined'; note: string | null },
  ): Promise<StoredRequest> {
    return this.state.update((inbox) => {
      const r = inbox.requests.find((x) => x.requestId === requestId);
      if (!r) throw new RequestError('There is no such request.', 404);
      r.status = decision.status;
      r.note = decision.note;
      r.decidedAt = new Date(this.now()).toISOString();
      if (decision.status === 'approved') {
        r.entry = decision.entry;
        r.group = decision.group;
        r.until = decision.until;
        r.listVersion = null;
      } else {
        r.entry = null;
        r.group = null;
        r.until = null;
        r.listVersion = null;
      }
      return { value: inbox, result: { ...r } };
    });
  }

  /**
   * After a publish: approvals the list now carries get its version; approvals a rollback took
   * out of the list are withdrawn, so staff are not told a site is open when it is not.
   */
  async published(entry: HistoryEntry, source: ListSource): Promise<void> {
    const granted = new Set(source.grants.map((g) => g.requestId).filter(Boolean));
    await this.state.update((inbox) => {
      for (const r of inbox.requests) {
        if (r.status !== 'approved') continue;
        if (granted.has(r.requestId)) {
          if (r.listVersion === null || r.listVersion === undefined) r.listVersion = entry.version;
        } else if (entry.how === 'rollback') {
          r.status = 'withdrawn';
          r.note = 'The IT team rolled the list back to a version from before this approval.';
          r.decidedAt = new Date(this.now()).toISOString();
        }
      }
      return { value: inbox, result: undefined };
    });
  }
}

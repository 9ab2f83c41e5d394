/**
 * A fake report server for the client's tests: it validates batches with the real contract,
 * records them by batch id (idempotent, like the reference server) and can be told to fail in the
 * ways a real network does.
 */
import { parseReportBatch, type ReportBatch } from '../../../lib/report/payload.ts';
import type { FetchLike, RequestLike, ResponseLike } from '../../../lib/report/uploader.ts';

export type Behaviour =
  | 'ok'
  /** Refused before the server saw it (DNS, offline, connection refused). */
  | 'network'
  /** The server stored the batch, then the connection dropped before the answer arrived. */
  | 'lost'
  /** The request timed out / was aborted before the server stored it. */
  | 'abort'
  | { status: number; body?: string; headers?: Record<string, string> };

export class FakeServer {
  /** Accepted batches by id: what the admin's database holds. */
  readonly stored = new Map<string, ReportBatch>();
  readonly requests: { url: string; init: RequestLike; batchId: string }[] = [];
  duplicates = 0;
  private script: Behaviour[] = [];
  fallback: Behaviour = 'ok';

  /** The next requests behave like this, in order; afterwards `fallback`. */
  answer(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  readonly fetch: FetchLike = async (url, init) => {
    const behaviour = this.script.shift() ?? this.fallback;
    const batchId = String((JSON.parse(init.body) as { batchId?: unknown }).batchId);
    this.requests.push({ url, init, batchId });
    if (behaviour === 'network') throw new TypeError('Failed to fetch');
    if (behaviour === 'abort') throw new DOMException('The operation was aborted.', 'AbortError');
    if (typeof behaviour === 'object')
      return response(behaviour.status, behaviour.body ?? '', behaviour.headers);
    const answer = this.ingest(init.body);
    if (behaviour === 'lost') throw new TypeError('network error: connection reset');
    return answer;
  };

  private ingest(body: string): ResponseLike {
    const parsed = parseReportBatch(JSON.parse(body));
    if (!parsed.ok)
      return response(400, JSON.stringify({ error: 'invalid batch', problems: parsed.problems }));
    if (this.stored.has(parsed.batch.batchId)) {
      this.duplicates++;
      return response(200, JSON.stringify({ duplicate: true }));
    }
    this.stored.set(parsed.batch.batchId, parsed.batch);
    return response(201, JSON.stringify({ stored: true }));
  }

  /** Sum of counts per `kind|day|key|outcome` over stored batches. */
  totals(): Map<string, number> {
    const out = new Map<string, number>();
    const add = (k: string, n: number) => out.set(k, (out.get(k) ?? 0) + n);
    for (const b of this.stored.values()) {
      for (const r of b.navigation) add(`navigation|${r.day}|${r.category}|${r.outcome}`, r.count);
      for (const r of b.email) add(`email|${r.day}|${r.detector}|${r.outcome}`, r.count);
    }
    return out;
  }

  total(): number {
    let n = 0;
    for (const v of this.totals().values()) n += v;
    return n;
  }
}

export function response(
  status: number,
  body = '',
  headers: Record<string, string> = {},
): ResponseLike {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status,
    headers: { get: (name) => lower.get(name.toLowerCase()) ?? null },
    text: async () => body,
  };
}

/** A settable clock. */
export class Clock {
  constructor(public t: number) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Deterministic UUID v4s. */
export function uuidSequence(prefix = 0): () => string {
  let n = prefix;
  return () => {
    n++;
    const hex = n.toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${hex}`;
  };
}

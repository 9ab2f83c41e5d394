/**
 * Per-token rate limit: a token bucket per report token, kept in this process's memory. With
 * several instances behind a load balancer each instance has its own buckets, so the effective
 * limit is (instances × rate). That is deliberate: the limit protects one instance from one
 * school's misbehaving fleet; it is not a quota, and keeping it out of the database keeps the
 * ingest path at one transaction per batch.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** 0 when allowed (and one request is counted), else the seconds to wait before retrying. */
  take(key: string, now = Date.now()): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.burst, updated: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.updated) / 1000) * this.perSecond,
    );
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    if (this.perSecond <= 0) return 3600;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }
}

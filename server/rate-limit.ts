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

/**
 * The password sign-in throttle: at most `perAddress` wrong passwords per client address and
 * `global` from everyone together in a window. An attempt is counted when it ARRIVES, before its
 * body is read: otherwise an attacker opens hundreds of connections, sends every request's
 * headers, then every body, and all of them are checked against a count that has not moved yet.
 * A reserved attempt is released if the password was right, and becomes a failure if not.
 * The global limit only stops password sign-in; OpenID Connect sign-in still works while it holds.
 */
export class LoginThrottle {
  private readonly byAddress = new Map<
    string,
    { failures: number; inFlight: number; since: number }
  >();
  private global = { failures: 0, inFlight: 0, since: 0 };

  constructor(
    private readonly perAddress: number,
    private readonly globalLimit: number,
    private readonly windowMs = 15 * 60 * 1000,
  ) {}

  private entry(address: string, now: number) {
    let e = this.byAddress.get(address);
    if (!e || (now - e.since > this.windowMs && e.inFlight === 0)) {
      e = { failures: 0, inFlight: 0, since: now };
      this.byAddress.set(address, e);
    }
    if (now - this.global.since > this.windowMs && this.global.inFlight === 0) {
      this.global = { failures: 0, inFlight: 0, since: now };
    }
    if (this.byAddress.size > 100_000) this.forgetOld(now);
    return e;
  }

  private forgetOld(now: number) {
    for (const [k, v] of this.byAddress) {
      if (now - v.since > this.windowMs && v.inFlight === 0) this.byAddress.delete(k);
    }
  }

  /**
   * Reserve an attempt. Returns null when allowed (call `settle` once the password is checked),
   * else the seconds until the window ends.
   */
  reserve(address: string, now = Date.now()): number | null {
    const e = this.entry(address, now);
    const blockedBy =
      e.failures + e.inFlight >= this.perAddress
        ? e
        : this.global.failures + this.global.inFlight >= this.globalLimit
          ? this.global
          : null;
    if (blockedBy) return Math.max(1, Math.ceil((blockedBy.since + this.windowMs - now) / 1000));
    e.inFlight += 1;
    this.global.inFlight += 1;
    return null;
  }

  /** The reserved attempt's outcome: a right password clears the address's failures. */
  settle(address: string, succeeded: boolean): void {
    const e = this.byAddress.get(address);
    if (e) e.inFlight = Math.max(0, e.inFlight - 1);
    this.global.inFlight = Math.max(0, this.global.inFlight - 1);
    if (succeeded) {
      if (e) e.failures = 0;
      return;
    }
    if (e) e.failures += 1;
    this.global.failures += 1;
  }
}

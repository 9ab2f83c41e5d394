/**
 * Load generator for bench/server.ts, run as its own process so that it does not share an event
 * loop with the server: N keep-alive connections on loopback, each posting valid, unique report
 * batches (~10 rows) back to back, bounded by a count and a time limit. Prints one JSON line.
 *
 *   node --import tsx bench/server-load.ts <url> <token> <connections> <maxBatches> <maxSeconds> [eventShare]
 *
 * `eventShare` (default 0.1): the share of browsers whose policy sets `reportDetail: "events"`;
 * their batches also carry 5 detailed events each.
 */
import net from 'node:net';
import type { ReportBatch } from '../lib/report/payload.ts';

const [
  url = '',
  token = '',
  connArg = '32',
  countArg = '20000',
  secondsArg = '10',
  shareArg = '0.1',
] = process.argv.slice(2);
const target = new URL('/v1/reports', url);
if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') {
  throw new Error('the load generator only talks to loopback');
}
const connections = Number(connArg);
const maxBatches = Number(countArg);
const maxMs = Number(secondsArg) * 1000;

const CATEGORIES = ['streaming', 'social', 'gambling', 'webmail', 'adult', 'chat', 'proxy'];
const installations = Array.from({ length: 200 }, () => crypto.randomUUID());
const eventShare = Number(shareArg);
const withEvents = (i: number) => (i % installations.length) % 100 < eventShare * 100;
const DOMAINS = ['bet365.com', 'reddit.com', 'netflix.com', 'discord.com', 'skybet.com'];

/** ~10 rows: a browser's counts for a couple of days. */
function batchBody(i: number): string {
  const batch: ReportBatch = {
    schema: 'steward.report/1',
    batchId: crypto.randomUUID(),
    installationId: installations[i % installations.length]!,
    createdAt: new Date().toISOString(),
    status: {
      extensionVersion: '0.1.0',
      browser: 'chrome',
      policySource: 'managed',
      policyVersion: 'a1b2c3d4',
      policyError: null,
      ruleListVersion: 12,
      ruleListError: null,
    },
    navigation: Array.from({ length: 8 }, (_, r) => ({
      day: `2025-03-${String(1 + ((i + r) % 28)).padStart(2, '0')}`,
      category: CATEGORIES[(i + r) % CATEGORIES.length]!,
      outcome: r % 3 === 0 ? ('warned' as const) : ('blocked' as const),
      count: 1 + (r % 3),
    })),
    email: [
      { day: '2025-03-04', detector: 'upn', outcome: 'went_back', count: 1 },
      { day: '2025-03-05', detector: 'nino', outcome: 'warned', count: 2 },
    ],
  };
  if (withEvents(i)) {
    batch.events = Array.from({ length: 5 }, (_, e) => ({
      at: new Date(Date.now() - (i + e) * 1000).toISOString(),
      category: CATEGORIES[(i + e) % CATEGORIES.length]!,
      outcome: e % 3 === 0 ? ('warned' as const) : ('blocked' as const),
      domain: DOMAINS[(i + e) % DOMAINS.length]!,
    }));
  }
  return JSON.stringify(batch);
}

// Requests are built before the clock starts, as raw HTTP/1.1 bytes written on plain sockets:
// node:http's client costs about as much CPU per request as the server's handling of it, and
// on a 2-core machine the generator shares the cores with the server, so with it the figure
// measured the generator. Each connection still has one request in flight at a time (no
// pipelining), as a browser's uploader does, and every response is read and its status counted.
const requests = Array.from({ length: maxBatches }, (_, i) => {
  const body = batchBody(i);
  return Buffer.from(
    `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\n` +
      `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
  );
});

const sockets: net.Socket[] = [];

/** One keep-alive connection: send a request, read one whole response, resolve its status. */
function connection(): Promise<(request: Buffer) => Promise<number>> {
  return new Promise((resolveConnect, rejectConnect) => {
    const socket = net.connect(Number(target.port), target.hostname);
    sockets.push(socket);
    let buffered: Buffer = Buffer.alloc(0);
    let waiting: { resolve: (s: number) => void; reject: (e: Error) => void } | null = null;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = buffered.subarray(0, headEnd).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < headEnd + 4 + length) return;
      buffered = buffered.subarray(headEnd + 4 + length);
      const status = Number(head.slice(9, 12));
      const w = waiting;
      waiting = null;
      w?.resolve(status);
    });
    const fail = (err: Error) => {
      const w = waiting;
      waiting = null;
      w?.reject(err);
    };
    socket.on('error', (err) => {
      rejectConnect(err);
      fail(err);
    });
    socket.on('close', () => fail(new Error('connection closed')));
    socket.on('connect', () =>
      resolveConnect(
        (request) =>
          new Promise<number>((resolve, reject) => {
            waiting = { resolve, reject };
            socket.write(request);
          }),
      ),
    );
  });
}

let next = 0;
let errors = 0;
let sentRows = 0;
const statuses: Record<string, number> = {};
const latencies: number[] = [];
const started = performance.now();

async function worker(): Promise<void> {
  let post = await connection();
  while (next < requests.length && performance.now() - started < maxMs) {
    const request = requests[next++]!;
    const t0 = performance.now();
    try {
      const status = await post(request);
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === 200) sentRows += 1;
    } catch {
      errors += 1;
      post = await connection();
    }
  }
}

await Promise.all(Array.from({ length: connections }, worker));
const elapsed = (performance.now() - started) / 1000;
for (const s of sockets) s.destroy();
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({
    batches: latencies.length,
    accepted: sentRows,
    errors,
    statuses,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50: pct(0.5),
    p99: pct(0.99),
    max: latencies[latencies.length - 1] ?? 0,
  })}\n`,
);

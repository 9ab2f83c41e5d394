/**
 * Test harness for the admin server: starts the REAL server process (node + tsx on
 * server/main.ts, PORT=0 so the OS picks a free port, a temporary data folder) and talks to it
 * over HTTP. Also starts a throwaway PostgreSQL with scripts/postgres.sh when it can.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ReportBatch } from '../../lib/report/payload.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

export interface RunningServer {
  url: string;
  dataDir: string;
  logs: string[];
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = env.STEWARD_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'steward-srv-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'server/main.ts')],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        PORT: '0',
        HOST: '127.0.0.1',
        STEWARD_DATA_DIR: dataDir,
        STEWARD_REPORT_TOKENS: 'token-a,token-b',
        STEWARD_ADMIN_PASSWORD: 'correct horse battery staple',
        // The cheapest cost the server accepts, so tests on a busy 2-core machine stay quick;
        // production uses 17 (server/passwords.ts). Same code path either way.
        STEWARD_PASSWORD_COST: '14',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string; error?: string };
          if (entry.msg === 'listening' && entry.url) {
            clearTimeout(timer);
            resolve(entry.url);
          }
          if (entry.msg === 'could not start') reject(new Error(entry.error));
        } catch {
          // not a log line
        }
        nl = buffered.indexOf('\n');
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    dataDir,
    logs,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Postgres {
  databaseUrl: string;
  stop(): Promise<void>;
}

/** A throwaway cluster, or the reason there is none (the PostgreSQL suite then skips). */
export async function startPostgres(): Promise<Postgres | { unavailable: string }> {
  try {
    const { stdout } = await run('bash', [path.join(repoRoot, 'scripts/postgres.sh'), 'start'], {
      timeout: 300_000,
    });
    const databaseUrl = /^DATABASE_URL=(.+)$/m.exec(stdout)?.[1];
    const dir = /^STEWARD_PG_DIR=(.+)$/m.exec(stdout)?.[1];
    if (!databaseUrl || !dir) return { unavailable: `postgres.sh printed no URL: ${stdout}` };
    return {
      databaseUrl,
      async stop() {
        await run('bash', [path.join(repoRoot, 'scripts/postgres.sh'), 'stop', dir]);
      },
    };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { unavailable: (e.stderr || e.message).trim() };
  }
}

export function makeBatch(overrides: Partial<ReportBatch> = {}): ReportBatch {
  return {
    schema: 'steward.report/1',
    batchId: crypto.randomUUID(),
    installationId: crypto.randomUUID(),
    createdAt: new Date().toISOString(),
    status: {
      extensionVersion: '0.1.0',
      browser: 'chrome',
      policySource: 'managed',
      policyVersion: 'p0licy1',
      policyError: null,
      ruleListVersion: 7,
      ruleListError: null,
    },
    navigation: [],
    email: [],
    ...overrides,
  };
}

export async function postReport(
  base: string,
  body: unknown,
  options: { token?: string | null; contentType?: string; raw?: string } = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const headers: Record<string, string> = {
    'Content-Type': options.contentType ?? 'application/json',
  };
  const token = options.token === undefined ? 'token-a' : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/v1/reports`, {
    method: 'POST',
    headers,
    body: options.raw ?? JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, headers: res.headers, json };
}

/** Signs in to the dashboard and returns the session cookie (the bootstrap IT account by default). */
export async function signIn(
  base: string,
  password = 'correct horse battery staple',
  username = 'admin',
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ username, password }).toString(),
    redirect: 'manual',
  });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { status: res.status, setCookie, cookie: setCookie.split(';')[0] ?? '' };
}

export async function getJson(base: string, pathname: string, cookie: string) {
  const res = await fetch(`${base}${pathname}`, { headers: { Cookie: cookie } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as import('node:net').AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A state-changing dashboard request: JSON, with the session cookie. */
export async function postJson(base: string, pathname: string, cookie: string, body: unknown) {
  const res = await fetch(`${base}${pathname}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

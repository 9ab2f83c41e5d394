/**
 * A real Roundcube webmail (Debian packages) for end-to-end tests of the send warning.
 *
 * Everything runs as child processes of the test with throwaway config in one temp folder, so
 * nothing clashes with (or needs) system services and a crashed run leaves nothing behind
 * except that folder:
 *   - dovecot (IMAP only) with its own config file, ports and state dirs;
 *   - an in-process SMTP sink (npm `smtp-server`) that records every delivery, so a test can
 *     prove that "Go back" delivered nothing and "Send anyway" delivered exactly once;
 *   - Roundcube served by `php -S`, pointed at our config through ROUNDCUBE_CONFIG_DIR (read by
 *     Roundcube's program/include/iniset.php), so /etc/roundcube is never touched.
 *
 * Packages: scripts/roundcube/install.sh. Debug: STEWARD_RC_KEEP=1 keeps the temp folder (logs
 * in <tempDir>/logs) after stop(); STEWARD_RC_DEBUG=1 echoes child output to stderr.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

const ROUNDCUBE_PUBLIC = '/var/lib/roundcube/public_html';
const ROUNDCUBE_SQL = '/usr/share/roundcube/SQL/sqlite.initial.sql';
const ROUNDCUBE_ETC = '/etc/roundcube';
const INSTALL_HINT = 'run scripts/roundcube/install.sh (as root) to install them';

export interface MailUser {
  email: string;
  password: string;
}

/** One message as the SMTP sink received it: the envelope is what was really delivered. */
export interface DeliveredMessage {
  /** SMTP MAIL FROM. */
  envelopeFrom: string;
  /** SMTP RCPT TO, lower-cased: every address the message was delivered to (incl. Bcc). */
  envelopeTo: string[];
  /** Header addresses, lower-cased. */
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  /** Plain-text body (for HTML-only messages, postal-mime's text rendering if any). */
  text: string;
  html: string;
  raw: string;
  receivedAt: Date;
}

export interface RoundcubeOptions {
  /** Mailbox users; default one teacher, `teacher@stmarys.sch.uk` / `password`. */
  users?: MailUser[];
  /** Compose in HTML (TinyMCE) instead of the plain `textarea#composebody`. Default false. */
  htmlEditor?: boolean;
  /** Extra Roundcube `$config[...]` values (JSON-serialisable), merged last. */
  config?: Record<string, unknown>;
  /** Give up waiting for the services after this long. Default 20 s. */
  readyTimeoutMs?: number;
}

export interface RoundcubeEnv {
  /** Base URL of the webmail, e.g. http://127.0.0.1:41234/ */
  url: string;
  imapPort: number;
  smtpPort: number;
  users: MailUser[];
  tempDir: string;
  /** Milliseconds from startRoundcube() to everything answering. */
  startupMs: number;
  /** Everything the SMTP sink has received since start (or the last clear()). */
  messages(): DeliveredMessage[];
  /** Resolves once at least `count` messages arrived; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<DeliveredMessage[]>;
  clear(): void;
  /** The tail of every log we own (dovecot, php, roundcube), for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

/** Which pieces are missing on this machine (empty when the environment can run). */
export function missingRoundcubePackages(): string[] {
  const missing: string[] = [];
  const need: Array<[string, string]> = [
    ['/usr/sbin/dovecot', 'dovecot-imapd'],
    ['/usr/lib/dovecot/imap', 'dovecot-imapd'],
    ['/usr/bin/php', 'php-cli'],
    [path.join(ROUNDCUBE_PUBLIC, 'index.php'), 'roundcube-core'],
    [path.join(ROUNDCUBE_ETC, 'defaults.inc.php'), 'roundcube-core'],
    [ROUNDCUBE_SQL, 'roundcube-core'],
  ];
  for (const [file, pkg] of need) {
    if (!existsSync(file) && !missing.includes(pkg)) missing.push(pkg);
  }
  // Roundcube talks to SQLite through PDO; the module ships in php8.2-sqlite3.
  const pdoSqlite = existsSync('/etc/php')
    ? readdirSync('/etc/php').some((v) =>
        existsSync(path.join('/etc/php', v, 'mods-available', 'pdo_sqlite.ini')),
      )
    : false;
  if (!pdoSqlite) missing.push('roundcube-sqlite3');
  return missing;
}

/**
 * Skips the calling spec file on a machine without the packages. Only locally: in CI a missing
 * package is a failure, otherwise the send-warning proof would silently never run.
 */
export function skipWithoutRoundcube(test: {
  skip(condition: boolean, description: string): void;
}): void {
  const missing = missingRoundcubePackages();
  test.skip(
    missing.length > 0 && !process.env.CI,
    `Roundcube packages missing (${missing.join(', ')}): run scripts/roundcube/install.sh`,
  );
}

const DEFAULT_USERS: MailUser[] = [{ email: 'teacher@stmarys.sch.uk', password: 'password' }];

/** Starts dovecot, the SMTP sink and Roundcube; call stop() when done. */
export async function startRoundcube(opts: RoundcubeOptions = {}): Promise<RoundcubeEnv> {
  const started = performance.now();
  const missing = missingRoundcubePackages();
  if (missing.length > 0) {
    throw new Error(`Roundcube test environment: missing ${missing.join(', ')}; ${INSTALL_HINT}`);
  }
  const users = opts.users ?? DEFAULT_USERS;
  const timeoutMs = opts.readyTimeoutMs ?? 20_000;
  const debug = process.env.STEWARD_RC_DEBUG === '1';

  const tempDir = mkdtempSync(path.join(tmpdir(), 'steward-rc-'));
  // dovecot drops to an unprivileged uid for mail, so it must be able to walk into the folder.
  chmodSync(tempDir, 0o755);
  const dirs = {
    logs: path.join(tempDir, 'logs'),
    temp: path.join(tempDir, 'temp'),
    config: path.join(tempDir, 'config'),
    mail: path.join(tempDir, 'mail'),
    run: path.join(tempDir, 'run'),
    state: path.join(tempDir, 'state'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { mode: 0o755 });

  const children: ChildProcess[] = [];
  const received: DeliveredMessage[] = [];
  const waiters = new Set<() => void>();
  let smtp: SMTPServer | undefined;
  let stopped = false;

  const killAll = (signal: NodeJS.Signals): void => {
    for (const child of children) killGroup(child, signal);
  };
  // If the test process dies without calling stop(), do not leave dovecot/php running.
  const onExit = (): void => killAll('SIGKILL');
  process.once('exit', onExit);

  const logs = (): string => tailLogs(dirs.logs);

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    await Promise.all([
      smtp ? new Promise<void>((resolve) => smtp?.close(() => resolve())) : Promise.resolve(),
      ...children.map((child) => terminate(child)),
    ]);
    if (process.env.STEWARD_RC_KEEP === '1') {
      process.stderr.write(`[roundcube] kept ${tempDir} (STEWARD_RC_KEEP=1)\n`);
    } else {
      rmSync(tempDir, { recursive: true, force: true });
    }
  };

  try {
    // --- SMTP sink: in-process, no auth, no TLS; parse before answering 250 so that when
    // Roundcube reports "sent", messages() already contains the message.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          parseDelivery(raw, session)
            .then((msg) => {
              received.push(msg);
              for (const w of waiters) w();
              callback();
            })
            .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
        });
      },
    });
    const smtpServer = smtp;
    const smtpPort = await new Promise<number>((resolve, reject) => {
      smtpServer.once('error', reject);
      smtpServer.listen(0, '127.0.0.1', () => {
        const addr = smtpServer.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : 0);
      });
    });

    const [imapPort = 0, httpPort = 0] = await freePorts(2);

    // --- dovecot
    const mailUser = mailOwner();
    const passwd = users.map((u) => `${u.email}:{PLAIN}${u.password}::::::`).join('\n');
    writeFileSync(path.join(tempDir, 'passwd'), `${passwd}\n`, { mode: 0o644 });
    if (mailUser.chown) chownSync(dirs.mail, mailUser.uid, mailUser.gid);
    const dovecotConf = path.join(tempDir, 'dovecot.conf');
    writeFileSync(dovecotConf, dovecotConfig(tempDir, dirs, imapPort, mailUser));
    const dovecot = spawnChild('dovecot', ['-c', dovecotConf, '-F'], dirs.logs, 'dovecot', debug);
    children.push(dovecot);

    // --- Roundcube config + database
    const dbFile = path.join(tempDir, 'roundcube.sqlite');
    const db = new Database(dbFile);
    db.exec(readFileSync(ROUNDCUBE_SQL, 'utf8'));
    db.close();
    for (const f of ['defaults.inc.php', 'mimetypes.php']) {
      if (existsSync(path.join(ROUNDCUBE_ETC, f))) {
        symlinkSync(path.join(ROUNDCUBE_ETC, f), path.join(dirs.config, f));
      }
    }
    const rcConfig: Record<string, unknown> = {
      db_dsnw: `sqlite:///${dbFile}`,
      imap_host: `127.0.0.1:${imapPort}`,
      smtp_host: `127.0.0.1:${smtpPort}`,
      smtp_user: '',
      smtp_pass: '',
      smtp_helo_host: 'localhost',
      smtp_log: true,
      log_dir: dirs.logs,
      temp_dir: dirs.temp,
      log_driver: 'file',
      des_key: randomBytes(12).toString('hex'), // 24 chars, as Roundcube requires
      enable_installer: false,
      skin: 'elastic',
      plugins: [],
      product_name: 'Roundcube Webmail',
      support_url: '',
      htmleditor: opts.htmlEditor ? 1 : 0,
      enable_spellcheck: false,
      login_rate_limit: 0, // a failed login in one test must not lock out the next
      create_default_folders: true,
      draft_autosave: 0, // no background IMAP saves racing the test
      refresh_interval: 0,
      session_lifetime: 60,
      ...opts.config,
    };
    writeFileSync(path.join(dirs.config, 'config.inc.php'), phpConfig(rcConfig));

    // --- php -S with ONE worker (default). With PHP_CLI_SERVER_WORKERS>1 parallel requests
    // race on the DB session and a freshly opened compose fails with "Requested compose
    // session not found"; Apache/FPM have the same race but rarely hit it at human speed.
    const php = spawnChild(
      'php',
      [
        '-d',
        'display_errors=0',
        '-d',
        'log_errors=1',
        '-d',
        `error_log=${path.join(dirs.logs, 'php-errors.log')}`,
        '-S',
        `127.0.0.1:${httpPort}`,
        '-t',
        ROUNDCUBE_PUBLIC,
      ],
      dirs.logs,
      'php',
      debug,
      {
        ROUNDCUBE_CONFIG_DIR: dirs.config,
        PHP_CLI_SERVER_WORKERS: process.env.STEWARD_RC_PHP_WORKERS ?? '1',
      },
    );
    children.push(php);

    const url = `http://127.0.0.1:${httpPort}/`;
    const deadline = Date.now() + timeoutMs;
    await Promise.all([
      waitFor('dovecot IMAP greeting', deadline, dovecot, logs, () => imapGreets(imapPort)),
      waitFor('Roundcube login page', deadline, php, logs, () => loginPageReady(url)),
    ]);

    const startupMs = Math.round(performance.now() - started);
    return {
      url,
      imapPort,
      smtpPort,
      users,
      tempDir,
      startupMs,
      messages: () => [...received],
      waitForMessages: (count, waitMs = 10_000) =>
        new Promise((resolve, reject) => {
          const check = (): void => {
            if (received.length >= count) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve([...received]);
            }
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            reject(new Error(`expected ${count} message(s), sink has ${received.length}`));
          }, waitMs);
          waiters.add(check);
          check();
        }),
      clear: () => {
        received.length = 0;
      },
      logs,
      stop,
    };
  } catch (err) {
    const detail = logs();
    await stop();
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`Roundcube test environment failed to start: ${message}\n${detail}`);
  }
}

// ---------------------------------------------------------------- Playwright helpers

export interface ComposeFields {
  to: string | string[];
  cc?: string | string[];
  subject: string;
  body: string;
  /** Which mailbox user logs in; default the first. */
  user?: MailUser;
}

/** Logs in through the real login form and waits for the mailbox. */
export async function login(page: Page, env: RoundcubeEnv, user = env.users[0]): Promise<void> {
  if (!user) throw new Error('no mailbox user configured');
  await page.goto(env.url);
  // A page whose context already holds a session lands straight in the mailbox.
  await page.locator('#rcmloginuser, #messagelist').first().waitFor({ state: 'attached' });
  if (await page.locator('#messagelist').count()) return;
  await page.locator('#rcmloginuser').fill(user.email);
  await page.locator('#rcmloginpwd').fill(user.password);
  await Promise.all([
    page.waitForURL(/_task=mail/, { timeout: 15_000 }),
    page.locator('#rcmloginsubmit').click(),
  ]);
  await page.locator('#messagelist').waitFor({ state: 'attached', timeout: 15_000 });
}

/**
 * Logs in, opens a new message and fills it the way a person would: recipients typed into the
 * recipient-input widget (and checked to have reached `textarea#_to`/`#_cc`, which is what
 * Roundcube sends), subject, and body (plain textarea, or TinyMCE when the HTML editor is on).
 */
export async function loginAndCompose(
  page: Page,
  env: RoundcubeEnv,
  fields: ComposeFields,
): Promise<void> {
  await login(page, env, fields.user);
  // The Compose button in the task menu, as a person would; Roundcube then redirects to add a
  // compose _id, and the form is usable once rcmail is no longer busy.
  await Promise.all([
    page.waitForURL(/_action=compose/, { timeout: 15_000 }),
    page.locator('#taskmenu a.compose').click(),
  ]);
  await page.locator('#compose-subject').waitFor({ timeout: 15_000 });
  await page.waitForFunction(
    () => (window as unknown as { rcmail?: { busy?: boolean } }).rcmail?.busy === false,
    undefined,
    { timeout: 15_000 },
  );

  await fillRecipients(page, 'to', fields.to);
  if (fields.cc !== undefined && list(fields.cc).length > 0) {
    await page.locator('#compose_to a[href="#add-header"]').click();
    await page.locator('#headers-menu a[data-target="cc"]').click();
    await page.locator('#compose_cc').waitFor({ state: 'visible' });
    await fillRecipients(page, 'cc', fields.cc);
  }
  await page.locator('#compose-subject').fill(fields.subject);

  const tiny = page.locator('#composebody_ifr');
  if (await tiny.isVisible()) {
    await page.frameLocator('#composebody_ifr').locator('body').fill(fields.body);
  } else {
    await page.locator('textarea#composebody').fill(fields.body);
  }
}

async function fillRecipients(page: Page, field: 'to' | 'cc', value: string | string[]) {
  const addresses = list(value);
  const input = page.locator(`#compose_${field} ul.recipient-input li.input input`);
  await input.click();
  for (const address of addresses) {
    // Typing (not fill) fires the keydown handler that turns text into a recipient box on ','.
    await input.pressSequentially(`${address},`);
  }
  const textarea = page.locator(`textarea#_${field}`);
  const deadline = Date.now() + 5_000;
  for (;;) {
    const got = (await textarea.inputValue()).toLowerCase();
    if (addresses.every((a) => got.includes(a.toLowerCase()))) return;
    if (Date.now() > deadline) {
      throw new Error(`textarea#_${field} is "${got}", expected it to contain ${addresses}`);
    }
    await page.waitForTimeout(50);
  }
}

/** Clicks the compose form's Send button (the same `send` command a person triggers). */
export async function clickSend(page: Page): Promise<void> {
  await page.locator('button.send, a.send').filter({ visible: true }).first().click();
}

/** Waits for Roundcube's own "sent" confirmation (it leaves the compose screen). */
export async function waitForSent(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.waitForURL((u) => !u.search.includes('_action=compose'), { timeout: timeoutMs });
}

// ---------------------------------------------------------------- internals

function list(value: string | string[]): string[] {
  return (Array.isArray(value) ? value : [value]).map((s) => s.trim()).filter(Boolean);
}

async function parseDelivery(
  raw: string,
  session: { envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] } },
): Promise<DeliveredMessage> {
  const email = await PostalMime.parse(raw);
  const addrs = (xs: { address?: string }[] | undefined): string[] =>
    (xs ?? []).map((x) => (x.address ?? '').toLowerCase()).filter(Boolean);
  return {
    envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
    from: (email.from?.address ?? '').toLowerCase(),
    to: addrs(email.to),
    cc: addrs(email.cc),
    subject: email.subject ?? '',
    text: email.text ?? '',
    html: email.html ?? '',
    raw,
    receivedAt: new Date(),
  };
}

interface MailOwner {
  name: string;
  group: string;
  uid: number;
  gid: number;
  internalUser: string;
  loginUser: string;
  /** Whether we (root) must hand the mail folder to the owner. */
  chown: boolean;
}

/**
 * dovecot refuses uid 0 for mail. As root, store mail as `nobody` and use dovecot's own
 * service users; as an ordinary user, dovecot can only run everything as that user.
 */
function mailOwner(): MailOwner {
  const me = userInfo();
  if (me.uid === 0) {
    return {
      name: 'nobody',
      group: 'nogroup',
      uid: 65534,
      gid: 65534,
      internalUser: 'dovecot',
      loginUser: 'dovenull',
      chown: true,
    };
  }
  return {
    name: me.username,
    group: String(me.gid),
    uid: me.uid,
    gid: me.gid,
    internalUser: me.username,
    loginUser: me.username,
    chown: false,
  };
}

function dovecotConfig(
  tempDir: string,
  dirs: { logs: string; mail: string; run: string; state: string },
  imapPort: number,
  owner: MailOwner,
): string {
  return `# Generated by tests/e2e/support/roundcube.ts; throwaway.
protocols = imap
listen = 127.0.0.1
base_dir = ${dirs.run}
state_dir = ${dirs.state}
log_path = ${path.join(dirs.logs, 'dovecot.log')}
info_log_path = ${path.join(dirs.logs, 'dovecot.log')}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${owner.internalUser}
default_login_user = ${owner.loginUser}
first_valid_uid = 1
mail_location = maildir:${dirs.mail}/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${path.join(tempDir, 'passwd')}
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dirs.mail}/%u
}
namespace inbox {
  inbox = yes
  mailbox Drafts {
    auto = subscribe
    special_use = \\Drafts
  }
  mailbox Sent {
    auto = subscribe
    special_use = \\Sent
  }
  mailbox Trash {
    auto = subscribe
    special_use = \\Trash
  }
  mailbox Junk {
    auto = subscribe
    special_use = \\Junk
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

/** Renders a PHP config file; values go through JSON, which PHP literals accept for our types. */
function phpConfig(values: Record<string, unknown>): string {
  const lines = [
    '<?php',
    '// Generated by tests/e2e/support/roundcube.ts; throwaway.',
    '$config = [];',
  ];
  for (const [key, value] of Object.entries(values)) {
    lines.push(`$config[${phpLiteral(key)}] = ${phpLiteral(value)};`);
  }
  return `${lines.join('\n')}\n`;
}

function phpLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(phpLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `[${entries.map(([k, v]) => `${phpLiteral(k)} => ${phpLiteral(v)}`).join(', ')}]`;
  }
  throw new Error(`cannot render ${typeof value} as PHP`);
}

function spawnChild(
  command: string,
  args: string[],
  logDir: string,
  name: string,
  debug: boolean,
  env: Record<string, string> = {},
): ChildProcess {
  // Own process group: `php -S` with workers forks children that outlive a SIGTERM to the
  // master (and keep our pipes open), so stop() signals the whole group.
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logFile = path.join(logDir, `${name}.out.log`);
  const record = (chunk: Buffer): void => {
    try {
      writeFileSync(logFile, chunk, { flag: 'a' });
    } catch {
      // the temp dir may already be gone during stop(); nothing left to record into
    }
    if (debug) process.stderr.write(`[${name}] ${chunk.toString()}`);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  child.on('error', (err) => record(Buffer.from(`spawn error: ${err.message}\n`)));
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // group already gone
  }
}

/** SIGTERM the child's group, SIGKILL it if still there after 3 s, then sweep stragglers. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
  // Workers may still be finishing a request after the leader exited.
  killGroup(child, 'SIGKILL');
  child.stdout?.destroy();
  child.stderr?.destroy();
}

async function freePorts(count: number): Promise<number[]> {
  // Hold all sockets open together so the ports differ; there is a small window between close
  // and the child's bind, which is why readiness is checked on the real services afterwards.
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Server>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === 'object' && a ? a.port : 0;
  });
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

async function waitFor(
  what: string,
  deadline: number,
  child: ChildProcess,
  logs: () => string,
  probe: () => Promise<boolean>,
): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what}: process exited (${child.exitCode ?? child.signalCode}) early`);
    }
    let last = '';
    try {
      if (await probe()) return;
    } catch (err) {
      if (err instanceof FatalProbe) throw new Error(`${what}: ${err.message}`);
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready in time (${last})\n${logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A readiness probe saw something that will not fix itself by waiting. */
class FatalProbe extends Error {}

function imapGreets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (d) => done(d.toString().startsWith('* OK')));
  });
}

async function loginPageReady(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  const body = await res.text();
  if (res.status === 200 && body.includes('rcmloginuser')) return true;
  // A Roundcube error page (bad config, DB) will not fix itself: fail fast with its text.
  if (res.status >= 500) throw new FatalProbe(`HTTP ${res.status}: ${body.slice(0, 500)}`);
  return false;
}

function tailLogs(logDir: string): string {
  if (!existsSync(logDir)) return '';
  const parts: string[] = [];
  for (const f of readdirSync(logDir)) {
    try {
      const text = readFileSync(path.join(logDir, f), 'utf8');
      if (text.trim()) parts.push(`--- ${f}\n${text.split('\n').slice(-20).join('\n')}`);
    } catch {
      // unreadable log: skip
    }
  }
  return parts.join('\n');
}

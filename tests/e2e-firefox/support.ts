/**
 * Debian's Firefox ESR with Steward deployed as a school would deploy it, shared by the Firefox
 * end-to-end test (firefox.test.ts) and the Firefox benchmark (bench/firefox.ts):
 *
 *  - the Firefox package built from this checkout (`buildFirefoxPackage`), served as an .xpi;
 *  - policies.json written to Firefox's system policy files (`installFirefoxPolicies`, which hands
 *    back the function that puts the machine back as it was);
 *  - privileged ports forwarded to a loopback server (`forward`), because Firefox has no
 *    --host-resolver-rules: `network.dns.forceResolve` sends every hostname to 127.0.0.1;
 *  - the browser launched through puppeteer-core over WebDriver BiDi (`launchFirefox`).
 *
 * Release Firefox installs only signed add-ons; ESR honours xpinstall.signatures.required=false,
 * so the unsigned package stands in for the school's signed one. Needs root (system policy files,
 * ports 80 and 443); run it through scripts/isolated.sh on a shared machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { exampleConfig, loadSchema } from '../../cli/package.ts';
import { DEFAULT_GECKO_ID } from '../../cli/packaging/build.ts';
import { generateTemplates, type TemplateInput } from '../../lib/policy-templates.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
export const FIREFOX = '/usr/bin/firefox-esr';
export const POLICY_FILES = [
  '/etc/firefox/policies/policies.json',
  '/usr/lib/firefox-esr/distribution/policies.json',
];
export { DEFAULT_GECKO_ID };

/** Why Firefox cannot be driven here, or null when it can. */
export function firefoxMissing(): string | null {
  if (!existsSync(FIREFOX)) return `${FIREFOX} is not installed`;
  if (process.getuid?.() !== 0) return 'not root (Firefox policy files and ports 80/443 need it)';
  return null;
}

/** Forward a privileged port to a loopback server (the site server tells HTTP from TLS itself). */
export function forward(port: number, to: number): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(to);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Build the Firefox package (in a child process: WXT's build is not re-entrant); returns its folder. */
export function buildFirefoxPackage(outDir: string): string {
  const script = `import('${path.join(repoRoot, 'cli/packaging/build.ts')}').then(async (m) => {
    const dir = await m.buildFirefox({ outDir: ${JSON.stringify(outDir)}, geckoId: ${JSON.stringify(DEFAULT_GECKO_ID)} });
    console.log(dir);
  })`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`Firefox build failed:\n${r.stderr}`);
  return r.stdout.trim().split('\n').pop()!;
}

/** The policies.json a school would deploy (from the generated templates) for this configuration. */
export function firefoxPolicies(config: Record<string, unknown>, installUrl: string): string {
  const input: TemplateInput = {
    schema: loadSchema(),
    config: { ...exampleConfig(), ...config } as TemplateInput['config'],
    chromeId: 'a'.repeat(32),
    chromeUpdateUrl: 'https://school.example/update.xml',
    firefox: { id: DEFAULT_GECKO_ID, installUrl },
  };
  return generateTemplates(input).find((f) => f.path === 'firefox/policies.json')!.content;
}

/**
 * Write policies.json to both of Firefox's system locations; returns the function that restores
 * what was there (and removes folders this created), so the machine is left as it was found.
 */
export function installFirefoxPolicies(policies: string): () => void {
  const backups = new Map<string, string | null>();
  const createdDirs: string[] = [];
  for (const file of POLICY_FILES) {
    backups.set(file, existsSync(file) ? readFileSync(file, 'utf8') : null);
    if (!existsSync(path.dirname(file))) {
      createdDirs.push(mkdirSync(path.dirname(file), { recursive: true }) ?? path.dirname(file));
    }
    writeFileSync(file, policies);
  }
  return () => {
    for (const [file, previous] of backups) {
      if (previous === null) rmSync(file, { force: true });
      else writeFileSync(file, previous);
    }
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
  };
}

/** Firefox ESR headless, every hostname resolved to 127.0.0.1, unsigned add-ons allowed. */
export function launchFirefox(
  options: { profile?: string; prefs?: Record<string, string | number | boolean> } = {},
): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    protocolTimeout: 300_000,
    ...(options.profile ? { userDataDir: options.profile } : {}),
    extraPrefsFirefox: {
      'network.dns.forceResolve': '127.0.0.1',
      'xpinstall.signatures.required': false,
      // No calls home to real services (they would land on the loopback server).
      'app.update.enabled': false,
      'browser.safebrowsing.update.enabled': false,
      ...options.prefs,
    },
  });
}

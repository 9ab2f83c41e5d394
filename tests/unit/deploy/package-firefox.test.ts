/**
 * `steward package crx` as an admin runs it (one real build for Chrome and Firefox), then:
 * the CRX verifies and carries the key's ID, the store zip has no key, the Firefox package has
 * its gecko ID and passes `web-ext lint` with no errors, and the built-in lists compiled for
 * Firefox fit Firefox's smaller rule limits with canonical domains.
 */
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GECKO_ID, FIREFOX_MIN_VERSION } from '../../../cli/packaging/build.ts';
import { readCrx3 } from '../../../cli/packaging/crx3.ts';
import { extensionIdFor } from '../../../config/extension.ts';
import { compileRules, LIMITS } from '../../../lib/compiler.ts';
import { DEFAULT_POLICY } from '../../../lib/policy.ts';
import { loadBuiltInCategories } from '../../../rules/load.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const webExt = path.join(repoRoot, 'node_modules/.bin/web-ext');
const VERSION = '2.3.4';

let out: string;
let key: string;
let stdout: string;

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function unzip(file: string, member: string): string {
  const r = spawnSync('unzip', ['-p', file, member], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`unzip ${member}: ${r.stderr}`);
  return r.stdout;
}

// The build takes a minute on a loaded machine: run it without blocking Vitest's worker, whose
// messages to the runner time out after 60 s (a synchronous spawn failed a run that way).
beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'steward-pkg-'));
  key = path.join(dir, 'key.pem');
  writeFileSync(
    key,
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }),
  );
  out = path.join(dir, 'out');
  const r = await run(
    process.execPath,
    [
      path.join(repoRoot, 'bin/steward.js'),
      'package',
      'crx',
      '--key',
      key,
      '--out',
      out,
      '--base-url',
      'https://school.example/steward',
      '--version',
      VERSION,
    ],
    repoRoot,
  );
  if (r.status !== 0) throw new Error(`steward package crx failed:\n${r.stderr}`);
  stdout = r.stdout;
}, 180_000);

describe('steward package crx', () => {
  it('writes a CRX3 signed with the school key, whose manifest carries that key', () => {
    const crx = readCrx3(readFileSync(path.join(out, `steward-${VERSION}.crx`)));
    expect(crx.signatureValid).toBe(true);
    const publicKey = crx.publicKey.toString('base64');
    const id = extensionIdFor(publicKey);
    expect(stdout).toContain(id);
    const manifest = JSON.parse(
      readFileSync(path.join(out, 'build/chrome-mv3/manifest.json'), 'utf8'),
    );
    expect(manifest).toMatchObject({
      key: publicKey,
      version: VERSION,
      update_url: 'https://school.example/steward/update.xml',
    });
    const xml = readFileSync(path.join(out, 'update.xml'), 'utf8');
    expect(xml).toContain(`appid='${id}'`);
    expect(xml).toContain(
      `codebase='https://school.example/steward/steward-${VERSION}.crx' version='${VERSION}'`,
    );
  });

  it('the store zip leaves out the key and the self-hosting update URL', () => {
    const manifest = JSON.parse(
      unzip(path.join(out, `steward-${VERSION}-store.zip`), 'manifest.json'),
    );
    expect(manifest.version).toBe(VERSION);
    expect(manifest).not.toHaveProperty('key');
    expect(manifest).not.toHaveProperty('update_url');
  });

  it("the static default names the block page of this key's ID, and by path in the store zip", () => {
    const crx = readCrx3(readFileSync(path.join(out, `steward-${VERSION}.crx`)));
    const id = extensionIdFor(crx.publicKey.toString('base64'));
    const manifest = JSON.parse(
      readFileSync(path.join(out, 'build/chrome-mv3/manifest.json'), 'utf8'),
    );
    expect(manifest.declarative_net_request.rule_resources).toEqual([
      { id: 'built_in_default_until_policy', enabled: true, path: 'rules/built-in-default.json' },
    ]);
    type Rule = { action: { redirect?: { regexSubstitution?: string; extensionPath?: string } } };
    const targets = (rules: Rule[]) =>
      // The block page's redirects (safe search's query rewrites are redirects too).
      rules.flatMap((r) =>
        r.action.redirect?.regexSubstitution || r.action.redirect?.extensionPath
          ? [r.action.redirect]
          : [],
      );
    const packed = JSON.parse(
      readFileSync(path.join(out, 'build/chrome-mv3/rules/built-in-default.json'), 'utf8'),
    ) as Rule[];
    expect(targets(packed).length).toBeGreaterThan(0);
    for (const t of targets(packed)) {
      expect(t.regexSubstitution).toMatch(
        new RegExp(`^chrome-extension://${id}/blocked\\.html\\?c=[a-z-]+&m=block#\\\\0$`),
      );
    }
    const store = JSON.parse(
      unzip(path.join(out, `steward-${VERSION}-store.zip`), 'rules/built-in-default.json'),
    ) as Rule[];
    expect(store.length).toBe(packed.length);
    expect(targets(store).length).toBe(targets(packed).length);
    for (const t of targets(store)) {
      expect(t).toEqual({
        extensionPath: expect.stringMatching(/^\/blocked\.html\?c=[a-z-]+&m=block$/),
      });
    }
  });

  it('the Firefox package has its gecko ID and passes web-ext lint with no errors', () => {
    const zip = path.join(out, `steward-${VERSION}-firefox.zip`);
    const manifest = JSON.parse(unzip(zip, 'manifest.json'));
    expect(manifest.browser_specific_settings.gecko).toMatchObject({
      id: DEFAULT_GECKO_ID,
      strict_min_version: FIREFOX_MIN_VERSION,
    });
    expect(manifest.browser_specific_settings.gecko.update_url).toBe(
      'https://school.example/steward/updates.json',
    );
    expect(manifest).not.toHaveProperty('key');
    const updates = JSON.parse(readFileSync(path.join(out, 'updates.json'), 'utf8'));
    expect(updates.addons[DEFAULT_GECKO_ID].updates).toEqual([
      { version: VERSION, update_link: `https://school.example/steward/steward-${VERSION}.xpi` },
    ]);
    expect(existsSync(webExt)).toBe(true);
    const lint = spawnSync(
      webExt,
      // --self-hosted: an add-on signed as unlisted and updated from the school's own
      // updates.json may carry update_url, which a listed (public AMO) add-on may not.
      [
        'lint',
        '--self-hosted',
        '--source-dir',
        path.join(out, 'build/firefox-mv3'),
        '--output',
        'json',
      ],
      {
        encoding: 'utf8',
      },
    );
    const report = JSON.parse(lint.stdout) as {
      summary: { errors: number };
      errors: { code: string; message: string }[];
      warnings: { code: string }[];
    };
    expect(report.errors.map((e) => `${e.code}: ${e.message}`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
    // Known and accepted: Preact's renderer assigns innerHTML (dangerouslySetInnerHTML support).
    expect(report.warnings.map((w) => w.code).filter((c) => c !== 'UNSAFE_VAR_ASSIGNMENT')).toEqual(
      [],
    );
  }, 60_000);
});

describe('built-in lists compiled for Firefox', () => {
  const { lists } = loadBuiltInCategories();
  const result = compileRules({
    policy: DEFAULT_POLICY,
    categoryLists: lists,
    blockPageUrl: 'moz-extension://00000000-0000-0000-0000-000000000000/blocked.html',
    target: 'firefox',
  });

  it("fit Firefox's limits (5,000 dynamic rules, 1,000 regex) with Steward's headroom", () => {
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.summary.rules).toBe(result.rules.length);
    expect(result.rules.length).toBeLessThanOrEqual(LIMITS.firefox.dynamic - 100);
    expect(result.summary.regexRules).toBeLessThanOrEqual(LIMITS.firefox.regex - 100);
    expect(result.summary.unsafeRules).toBeLessThanOrEqual(LIMITS.firefox.unsafe - 100);
    expect(
      Object.values(result.summary.domainsByCategory).reduce((a, b) => a + b, 0),
    ).toBeGreaterThan(100);
  });

  it('use only canonical domains, which Firefox requires (no upper case, no Unicode)', () => {
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const domains = result.rules.flatMap((r) => r.condition.requestDomains ?? []);
    expect(domains.length).toBeGreaterThan(100);
    const notCanonical = domains.filter((d) => new URL(`http://${d}`).hostname !== d);
    expect(notCanonical).toEqual([]);
  });
});

/**
 * The policy templates, checked against the one schema (public/managed_schema.json): every key
 * they set is a schema key with a value valid for it, and every format (Linux JSON, Windows .reg
 * and PowerShell, Google Admin JSON, Firefox policies.json) carries exactly the configuration.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleConfig, loadSchema } from '../../../cli/package.ts';
import { resolvePolicy } from '../../../lib/policy.ts';
import {
  generateTemplates,
  hardeningPolicies,
  type JsonSchema,
  REGISTRY_ROOT,
  type TemplateFile,
  type TemplateInput,
  validateAgainstSchema,
} from '../../../lib/policy-templates.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const schema = loadSchema();
const ID = 'abcdefghijklmnopabcdefghijklmnop';
const UPDATE = 'https://school.example/steward/update.xml';

/** Every schema key, with values that exercise each registry type and awkward text. */
const FULL_CONFIG = {
  schoolName: 'St Mary\'s "Academy" C:\\ Trust',
  orgDomains: ['stmarys.kent.sch.uk', 'stmarys-trust.org.uk'],
  categories: { streaming: 'warn', social: 'allow', gambling: 'block' },
  allowList: ['youtube.com/edu', 'bücher.de'],
  blockList: ['example.net'],
  clauses: {
    gambling: 'Clause 4.2: staff must not use school equipment for gambling.\nSee the handbook.',
  },
  accessRequest: {
    email: 'it@stmarys.kent.sch.uk',
    url: 'https://help.stmarys.kent.sch.uk',
    note: 'Ask IT',
  },
  warnContinueMinutes: 20,
  ruleListUrl: 'https://rules.stmarys.kent.sch.uk/list.json',
  ruleListPublicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
  ruleListPollMinutes: 60,
  reportUrl: 'https://steward.stmarys.kent.sch.uk/ingest',
  reportToken: 'token-123',
  reportIntervalMinutes: 30,
  reportIdentity: 'email',
  reportGroup: "St Mary's Junior",
  reportDetail: 'counts',
  timeZone: 'Europe/London',
  compose: {
    mode: 'warn',
    override: 'reason',
    minConfidence: 'medium',
    customPatterns: [{ name: 'Pupil UPN', pattern: '[A-Z]\\d{12}', keywords: ['UPN'] }],
    customWords: [{ name: 'Safeguarding', words: ['safeguarding', 'CP plan'] }],
    bulkRecipientThreshold: 10,
    blockMessage: 'Ask the data protection officer first.',
  },
  mailbox: {
    personalWebmail: 'label',
    subjectLabel: 'PERSONAL',
    suggestPersonalLabel: false,
    knownContacts: ['chair.governors@gmail.com'],
    restrictGoogleAccounts: true,
    restrictMicrosoftTenants: { tenantDomains: ['stmarys.kent.sch.uk'] },
    blockConsumerMicrosoft: true,
  },
  webmailSites: [{ service: 'roundcube', host: 'webmail.stmarys.kent.sch.uk' }],
  downloads: {
    mode: 'warn',
    allowFrom: ['software.stmarys.kent.sch.uk', 'vendor.example/school/'],
  },
  safeSearch: { enabled: true, youtube: 'strict' },
  personalUse: {
    windows: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '12:15', to: '13:15' },
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '16:30', to: '08:00' },
    ],
    closedDates: ['2026-12-21/2027-01-04'],
    modes: { social: 'allow', streaming: 'warn' },
  },
} as const;

function input(config: Record<string, unknown> = FULL_CONFIG): TemplateInput {
  return {
    schema,
    config: config as TemplateInput['config'],
    chromeId: ID,
    chromeUpdateUrl: UPDATE,
    firefox: {
      id: 'steward@stmarys.kent.sch.uk',
      installUrl: 'https://school.example/steward.xpi',
    },
  };
}

const byPath = (files: TemplateFile[]) => new Map(files.map((f) => [f.path, f]));
const file = (files: TemplateFile[], p: string) => {
  const f = byPath(files).get(p);
  if (!f) throw new Error(`no ${p}`);
  return f.content;
};

// ─── a .reg reader, strict enough to catch malformed output ───────────────────────────────────

type Reg = Map<string, Map<string, { type: 'sz' | 'dword'; value: string | number }>>;

function unescapeRegString(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\') {
      const next = raw[++i];
      if (next !== '\\' && next !== '"') throw new Error(`bad escape \\${next} in "${raw}"`);
      out += next;
    } else if (raw[i] === '"') throw new Error(`unescaped quote in "${raw}"`);
    else out += raw[i];
  }
  return out;
}

function parseReg(text: string): { reg: Reg; deleted: string[] } {
  const lines = text.split('\r\n');
  expect(lines[0]).toBe('Windows Registry Editor Version 5.00');
  expect(text.includes('\n') && !/[^\r]\n/.test(text)).toBe(true); // CRLF only
  const reg: Reg = new Map();
  const deleted: string[] = [];
  let current: string | null = null;
  for (const line of lines.slice(1)) {
    if (line === '' || line.startsWith(';')) continue;
    let m = /^\[-(HKEY_LOCAL_MACHINE\\[^\]]+)\]$/.exec(line);
    if (m) {
      deleted.push(m[1]!);
      current = null;
      continue;
    }
    m = /^\[(HKEY_LOCAL_MACHINE\\[^\]]+)\]$/.exec(line);
    if (m) {
      current = m[1]!;
      if (!reg.has(current)) reg.set(current, new Map());
      continue;
    }
    m = /^"((?:[^"\\]|\\.)*)"=(.*)$/.exec(line);
    if (!m || !current) throw new Error(`malformed .reg line: ${line}`);
    const name = unescapeRegString(m[1]!);
    const data = m[2]!;
    let value: { type: 'sz' | 'dword'; value: string | number };
    if (/^dword:[0-9a-f]{8}$/.test(data))
      value = { type: 'dword', value: Number.parseInt(data.slice(6), 16) };
    else if (/^"((?:[^"\\]|\\.)*)"$/.test(data))
      value = { type: 'sz', value: unescapeRegString(data.slice(1, -1)) };
    else if (/^hex\(1\):([0-9a-f]{2},)*[0-9a-f]{2}$/.test(data)) {
      const bytes = Buffer.from(
        data
          .slice(7)
          .split(',')
          .map((h) => Number.parseInt(h, 16)),
      );
      const textValue = bytes.toString('utf16le');
      expect(textValue.endsWith('\0')).toBe(true);
      value = { type: 'sz', value: textValue.slice(0, -1) };
    } else throw new Error(`malformed .reg data: ${data}`);
    reg.get(current)!.set(name, value);
  }
  return { reg, deleted };
}

/** Read a policy key back into JSON the way Chrome does, guided by the schema's types. */
function readPolicyKey(reg: Reg, key: string, properties: Record<string, JsonSchema>) {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(properties)) {
    const value = reg.get(key)?.get(name);
    const sub = reg.get(`${key}\\${name}`);
    if (s.type === 'array' && sub) {
      const numbered = [...sub.entries()].sort(([a], [b]) => Number(a) - Number(b));
      expect(numbered.map(([n]) => n)).toEqual(numbered.map((_, i) => String(i + 1)));
      out[name] = numbered.map(([, v]) => v.value);
    } else if (value === undefined) {
    } else if (s.type === 'integer') {
      expect(value.type, name).toBe('dword');
      out[name] = value.value;
    } else if (s.type === 'object' || s.type === 'array') {
      expect(value.type, name).toBe('sz');
      out[name] = JSON.parse(value.value as string);
    } else {
      expect(value.type, name).toBe('sz');
      out[name] = value.value;
    }
  }
  return out;
}

// ─── tests ────────────────────────────────────────────────────────────────────────────────────

describe('the schema validator', () => {
  it('accepts the full configuration, which Steward itself also accepts', () => {
    expect(validateAgainstSchema(schema, FULL_CONFIG)).toEqual([]);
    expect(resolvePolicy(FULL_CONFIG)).toMatchObject({ ok: true, warnings: [] });
    // A new schema key must be added here too, so that its templates are checked.
    expect(Object.keys(FULL_CONFIG).sort(), 'add new schema keys to FULL_CONFIG').toEqual(
      Object.keys(schema.properties!).sort(),
    );
  });

  it('names each wrong value and unknown key', () => {
    expect(
      validateAgainstSchema(schema, {
        orgDomains: 'school.uk',
        categories: { streaming: 'blocked' },
        warnContinueMinutes: 1.5,
        accessRequest: { email: 3 },
        blockList: ['a', 2],
        colour: 'red',
      }),
    ).toEqual([
      'orgDomains: expected a list',
      'categories.streaming: must be one of "block", "warn", "allow"',
      'warnContinueMinutes: expected a whole number',
      'accessRequest.email: expected text',
      'blockList[1]: expected text',
      'colour: not a setting in the schema',
    ]);
    expect(() => generateTemplates(input({ colour: 'red' }))).toThrow(/colour/);
  });
});

describe.each([
  ['the full configuration', FULL_CONFIG as Record<string, unknown>],
  ['the example configuration', exampleConfig()],
])('templates for %s', (_name, config) => {
  const files = generateTemplates(input(config));

  it('Linux: force-install and configure Chrome, Chromium and Edge; config is valid for the schema', () => {
    for (const folder of ['chrome', 'chromium', 'edge']) {
      const policy = JSON.parse(file(files, `linux/${folder}/steward.json`));
      expect(Object.keys(policy).sort()).toEqual(['3rdparty', 'ExtensionInstallForcelist']);
      expect(policy.ExtensionInstallForcelist).toEqual([`${ID};${UPDATE}`]);
      const ext = policy['3rdparty'].extensions[ID];
      expect(validateAgainstSchema(schema, ext)).toEqual([]);
      expect(ext).toEqual(config);
      expect(resolvePolicy(ext).ok).toBe(true);
    }
  });

  it('Linux hardening files set the documented policies for each browser', () => {
    const chrome = JSON.parse(file(files, 'linux/chrome/steward-hardening.json'));
    expect(chrome).toEqual({
      IncognitoModeAvailability: 1,
      BrowserGuestModeEnabled: false,
      BrowserAddPersonEnabled: false,
      DeveloperToolsAvailability: 0,
      ExtensionInstallBlocklist: ['*'],
      DownloadRestrictions: 4,
      ExtensionInstallAllowlist: [ID],
    });
    const edge = JSON.parse(file(files, 'linux/edge/steward-hardening.json'));
    expect(edge.InPrivateModeAvailability).toBe(1);
    expect(edge.BrowserAddProfileEnabled).toBe(false);
    expect(edge).not.toHaveProperty('IncognitoModeAvailability');
  });

  for (const browser of ['chrome', 'edge'] as const) {
    it(`Windows ${browser}: a well-formed .reg whose values read back as the configuration`, () => {
      const { reg, deleted } = parseReg(file(files, `windows/${browser}-steward.reg`));
      const root = REGISTRY_ROOT[browser];
      const policyKey = `${root}\\3rdparty\\extensions\\${ID}\\policy`;
      expect(deleted).toEqual([`${root}\\ExtensionInstallForcelist`, policyKey]);
      expect(reg.get(`${root}\\ExtensionInstallForcelist`)?.get('1')).toEqual({
        type: 'sz',
        value: `${ID};${UPDATE}`,
      });
      const read = readPolicyKey(reg, policyKey, schema.properties!);
      // Empty lists are left out of the registry: not set means empty for Steward's lists.
      const expected = Object.fromEntries(
        Object.entries(config).filter(([, v]) => !(Array.isArray(v) && v.length === 0)),
      );
      expect(read).toEqual(expected);
      expect(validateAgainstSchema(schema, read)).toEqual([]);
      // Nothing but schema keys under the policy key.
      const names = [...(reg.get(policyKey)?.keys() ?? [])];
      for (const n of names) expect(schema.properties).toHaveProperty(n);
    });

    it(`Windows ${browser}: the PowerShell script sets the same values as the .reg`, () => {
      const { reg } = parseReg(file(files, `windows/${browser}-steward.reg`));
      const ps = file(files, `windows/${browser}-steward.ps1`);
      const fromPs = new Map<string, string>();
      for (const m of ps.matchAll(
        /New-ItemProperty -Path '((?:[^']|'')*)' -Name '((?:[^']|'')*)' -PropertyType (DWord|String) -Value ('(?:[^']|'')*'|\d+)/g,
      )) {
        const value = m[4]!.startsWith("'") ? m[4]!.slice(1, -1).replace(/''/g, "'") : Number(m[4]);
        fromPs.set(`${m[1]!.replace(/''/g, "'")}|${m[2]}`, JSON.stringify(value));
      }
      const fromReg = new Map<string, string>();
      for (const [key, values] of reg)
        for (const [name, v] of values)
          fromReg.set(
            `${key.replace('HKEY_LOCAL_MACHINE\\', 'HKLM:\\')}|${name}`,
            JSON.stringify(v.value),
          );
      expect(fromPs).toEqual(fromReg);
    });

    it(`Windows ${browser}: hardening .reg uses REG_DWORD for numbers and flags`, () => {
      const { reg } = parseReg(file(files, `windows/${browser}-hardening.reg`));
      const root = REGISTRY_ROOT[browser];
      for (const p of hardeningPolicies(browser, ID)) {
        if (Array.isArray(p.value)) {
          expect([...(reg.get(`${root}\\${p.name}`)?.values() ?? [])].map((v) => v.value)).toEqual(
            p.value,
          );
        } else {
          expect(reg.get(root)?.get(p.name)).toEqual({ type: 'dword', value: Number(p.value) });
        }
      }
    });
  }

  it('Google Admin console: each setting wrapped as {"Value": …}', () => {
    const admin = JSON.parse(file(files, 'google-admin/policy-for-extensions.json'));
    for (const [key, wrapped] of Object.entries(admin)) {
      expect(schema.properties).toHaveProperty(key);
      expect(Object.keys(wrapped as object)).toEqual(['Value']);
    }
    const unwrapped = Object.fromEntries(
      Object.entries(admin).map(([k, v]) => [k, (v as { Value: unknown }).Value]),
    );
    expect(unwrapped).toEqual(config);
  });

  it('Firefox: force install with install_url, 3rdparty configuration, hardening', () => {
    const { policies } = JSON.parse(file(files, 'firefox/policies.json'));
    expect(policies.ExtensionSettings['steward@stmarys.kent.sch.uk']).toEqual({
      installation_mode: 'force_installed',
      install_url: 'https://school.example/steward.xpi',
      private_browsing: true,
    });
    expect(policies.ExtensionSettings['*']).toEqual({ installation_mode: 'blocked' });
    const ext = policies['3rdparty'].Extensions['steward@stmarys.kent.sch.uk'];
    expect(ext).toEqual(config);
    expect(validateAgainstSchema(schema, ext)).toEqual([]);
    expect(policies.PrivateBrowsingModeAvailability).toBe(1);
    expect(policies.DisableSafeMode).toBe(true);
  });

  it('the README explains every file and every hardening policy', () => {
    const readme = file(files, 'README.md');
    for (const f of files) {
      if (f.path === 'README.md') continue;
      const mentioned =
        readme.includes(f.path) ||
        readme.includes(f.path.replace(/(chrome|edge)-/, '*-')) ||
        readme.includes(f.path.replace(/\/(chrome|chromium|edge)\//, '/*/')) ||
        /\.ps1$/.test(f.path);
      expect(mentioned, f.path).toBe(true);
    }
    for (const p of [...hardeningPolicies('chrome', ID), ...hardeningPolicies('edge', ID)])
      expect(readme).toContain(`\`${p.name}\``);
  });
});

describe('steward package templates (CLI)', () => {
  const steward = path.join(repoRoot, 'bin/steward.js');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [steward, 'package', 'templates', ...args], { encoding: 'utf8' });

  it('writes UTF-16 .reg files with a byte-order mark, and the JSON files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'steward-templates-'));
    const result = run('--out', dir, '--id', ID, '--update-url', UPDATE);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const raw = readFileSync(path.join(dir, 'windows/chrome-steward.reg'));
    expect([raw[0], raw[1]]).toEqual([0xff, 0xfe]);
    expect(raw.subarray(2).toString('utf16le')).toMatch(
      /^Windows Registry Editor Version 5\.00\r\n/,
    );
    const linux = JSON.parse(readFileSync(path.join(dir, 'linux/chromium/steward.json'), 'utf8'));
    expect(linux['3rdparty'].extensions[ID]).toEqual(exampleConfig());
  });

  it('refuses a configuration Steward would reject, naming the problem', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'steward-templates-'));
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ blockList: ['not a domain'] }));
    const result = run('--out', path.join(dir, 'out'), '--config', config);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('blockList[0]');
  });

  it('writes per-group files for each --group, and refuses a group name Steward would reject', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'steward-templates-'));
    const result = run(
      '--out',
      dir,
      '--id',
      ID,
      '--group',
      "St Mary's (Junior)",
      '--group',
      'Office',
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const google = JSON.parse(
      readFileSync(
        path.join(dir, 'groups/st-mary-s-junior/google-admin/policy-for-extensions.json'),
        'utf8',
      ),
    );
    expect(google.reportGroup).toEqual({ Value: "St Mary's (Junior)" });
    expect(google.categories).toEqual({ Value: exampleConfig().categories });
    const reg = readFileSync(path.join(dir, 'groups/office/windows/edge-report-group.reg'))
      .subarray(2)
      .toString('utf16le');
    expect(reg).toContain(`\\3rdparty\\extensions\\${ID}\\policy]`);
    expect(reg).toContain('"reportGroup"="Office"');
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('groups/office/');
    const bad = run('--out', dir, '--id', ID, '--group', '<script>');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--group "<script>"');
  });

  it('rejects a malformed extension ID as a usage error', () => {
    const result = run('--out', tmpdir(), '--id', 'not-an-id');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('not an extension ID');
  });
});

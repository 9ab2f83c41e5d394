/**
 * Policy templates for every way a school deploys Steward, generated from the one schema
 * (`public/managed_schema.json`) and the school's configuration:
 *
 *   linux/…            JSON for Chrome, Chromium and Edge policy folders
 *   windows/….reg      registry files for Chrome and Edge (Group Policy Preferences or regedit)
 *   windows/….ps1      the same registry values as a PowerShell script (Intune platform script)
 *   google-admin/…     the JSON to paste into Google Admin console's "Policy for extensions"
 *   firefox/…          policies.json (3rdparty configuration, force install, hardening)
 *   README.md          what each file is and why each hardening policy matters
 *
 * Pure: no file system, no browser API. The CLI writes the files; the unit tests check every
 * generated value against the schema.
 */

// ─── the schema subset Chrome's managed_schema uses ────────────────────────────────────────────

export type JsonSchema = {
  type: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  enum?: unknown[];
};

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Checks a value against the schema the way Chrome's policy schema does (type, enum, properties,
 * additionalProperties, items). Unknown keys are errors here, although Chrome only drops them:
 * a template that names a key the extension does not know is a mistake worth stopping.
 */
export function validateAgainstSchema(schema: JsonSchema, value: unknown, at = ''): string[] {
  const where = at || 'the configuration';
  const errors: string[] = [];
  switch (schema.type) {
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        return [`${where}: expected an object`];
      }
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const path = at ? `${at}.${key}` : key;
        const childSchema =
          schema.properties?.[key] ??
          (typeof schema.additionalProperties === 'object'
            ? schema.additionalProperties
            : undefined);
        if (childSchema) errors.push(...validateAgainstSchema(childSchema, child, path));
        else if (schema.additionalProperties !== true && schema.properties) {
          errors.push(`${path}: not a setting in the schema`);
        }
      }
      break;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${where}: expected a list`];
      if (schema.items) {
        value.forEach((item, i) => {
          errors.push(...validateAgainstSchema(schema.items!, item, `${at}[${i}]`));
        });
      }
      break;
    case 'string':
      if (typeof value !== 'string') return [`${where}: expected text`];
      break;
    case 'integer':
      if (!Number.isInteger(value)) return [`${where}: expected a whole number`];
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return [`${where}: expected a number`];
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${where}: expected true or false`];
      break;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(`${where}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  return errors;
}

// ─── inputs and outputs ─────────────────────────────────────────────────────────────────────────

export const CHROME_WEB_STORE_UPDATE_URL = 'https://clients2.google.com/service/update2/crx';
export const EDGE_ADDONS_UPDATE_URL = 'https://edge.microsoft.com/extensionwebstorebase/v1/crx';

export type TemplateInput = {
  schema: JsonSchema;
  /** The school's Steward configuration (the `3rdparty` object), valid for the schema. */
  config: Record<string, JsonValue>;
  /** Chrome extension ID (from the school's key, or the Chrome Web Store listing). */
  chromeId: string;
  /** Update manifest URL for Chrome: the self-hosted update.xml or the Chrome Web Store's. */
  chromeUpdateUrl: string;
  /** Edge extension ID; the same as Chrome's when Edge installs the school's own CRX. */
  edgeId?: string;
  edgeUpdateUrl?: string;
  firefox: { id: string; installUrl: string };
  /**
   * Groups (schools of a trust, or teaching and office staff) that each get their own
   * `reportGroup`: one set of per-group files each, for the organisational unit it is set on.
   */
  groups?: string[];
};

export type TemplateFile = {
  path: string;
  content: string;
  /** Windows .reg files are UTF-16LE with a byte-order mark, as regedit writes them. */
  encoding: 'utf8' | 'utf16le-bom';
};

export type Browser = 'chrome' | 'edge';

/** One hardening policy: its value, and why a school sets it (shown in the README). */
export type HardeningPolicy = { name: string; value: JsonValue; why: string };

/** Chrome's and Edge's policy names differ for incognito/InPrivate and profiles. */
export function hardeningPolicies(browser: Browser, extensionId: string): HardeningPolicy[] {
  const chrome = browser === 'chrome';
  return [
    {
      name: chrome ? 'IncognitoModeAvailability' : 'InPrivateModeAvailability',
      value: 1,
      why:
        `Turns off ${chrome ? 'incognito' : 'InPrivate'} windows. Extensions do not run there ` +
        'unless each user allows it, and no policy can allow it for them, so browsing there would ' +
        'not be filtered.',
    },
    {
      name: 'BrowserGuestModeEnabled',
      value: false,
      why: 'Turns off guest browsing, which runs with no extensions at all.',
    },
    {
      name: chrome ? 'BrowserAddPersonEnabled' : 'BrowserAddProfileEnabled',
      value: false,
      why:
        'Stops staff adding browser profiles. A new profile is where a personal account gets ' +
        'signed in, and where policy set per user (Google Admin console user settings) does not ' +
        'reach, so Steward would not be installed there.',
    },
    {
      name: 'DeveloperToolsAvailability',
      value: 0,
      why:
        "0 blocks developer tools on extensions installed by policy, so Steward's pages and " +
        'service worker cannot be inspected or altered, and leaves them for web pages. It is the ' +
        'default, but set it so that no other policy source can turn it to 1 (allowed ' +
        'everywhere); 2 blocks developer tools everywhere. (Checked in Chromium by ' +
        "tests/e2e/force-install.spec.ts: with 0, automation cannot open Steward's pages.)",
    },
    {
      name: 'ExtensionInstallBlocklist',
      value: ['*'],
      why:
        'Blocks every extension not on the allow list (unpacked ones too), so no other extension ' +
        "can work against Steward's rules, for example a proxy extension or one with its own " +
        'allow rules. Force-installed extensions are never blocked.',
    },
    {
      name: 'DownloadRestrictions',
      value: 4,
      why:
        "Complements Steward's `downloads` setting. 4 blocks files Safe Browsing knows to be " +
        'malicious, which Steward cannot see: Steward decides by what a file is (installer, ' +
        'script, extension) and where it comes from, not by its contents. Use 1 to also have ' +
        'the browser refuse dangerous file types itself; note that 1 also refuses installers ' +
        'from sources your `downloads.allowFrom` approves.',
    },
    {
      name: 'ExtensionInstallAllowlist',
      value: [extensionId],
      why: 'The extensions staff may still install. Add the IDs of the others your school uses.',
    },
  ];
}

/** Firefox equivalents, in policies.json. */
export function firefoxHardening(firefoxId: string): HardeningPolicy[] {
  return [
    {
      name: 'PrivateBrowsingModeAvailability',
      value: 1,
      why:
        'Turns off private windows (Firefox 130, ESR 128.3 and later). Steward is also allowed ' +
        'into private windows (private_browsing in ExtensionSettings) for older versions.',
    },
    {
      name: 'ExtensionSettings["*"]',
      value: { installation_mode: 'blocked' },
      why: `Blocks every other add-on; ${firefoxId} is force-installed and so is not affected.`,
    },
    {
      name: 'DisableSafeMode',
      value: true,
      why:
        'Removes Troubleshoot Mode, which restarts Firefox with every add-on, Steward included, ' +
        'turned off. (The Shift-key shortcut can only be turned off by Group Policy on Windows.)',
    },
    {
      name: 'BlockAboutConfig',
      value: true,
      why: 'Blocks about:config, where preferences that get round filtering (DNS, proxies) live.',
    },
    {
      name: 'DisableDeveloperTools',
      value: false,
      why:
        'Left on (false): Firefox cannot block developer tools for add-ons only, and a ' +
        'force-installed add-on cannot be removed from them. Set true to block them everywhere.',
    },
  ];
}

// ─── Windows registry ───────────────────────────────────────────────────────────────────────────

export type RegValue =
  | { key: string; name: string; type: 'sz'; value: string }
  | { key: string; name: string; type: 'dword'; value: number };

export const REGISTRY_ROOT: Record<Browser, string> = {
  chrome: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome',
  edge: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge',
};

/**
 * Registry values for one policy, following Chrome's convention for the registry: strings are
 * REG_SZ, integers and booleans REG_DWORD, lists of strings a subkey of numbered REG_SZ values
 * ("1", "2", …), and objects (or lists of anything else) a REG_SZ holding JSON, which Chrome parses
 * against the schema.
 */
export function registryValues(key: string, name: string, value: JsonValue): RegValue[] {
  if (typeof value === 'string') return [{ key, name, type: 'sz', value }];
  if (typeof value === 'boolean') return [{ key, name, type: 'dword', value: value ? 1 : 0 }];
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      return [{ key, name, type: 'sz', value: String(value) }];
    }
    return [{ key, name, type: 'dword', value }];
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    // An empty list has no numbered values and so no key: the same as not set, which for
    // Steward's lists means empty. (The .reg files delete the policy key first, so a list
    // emptied since the last import does not keep old entries.)
    return value.map((v, i) => ({
      key: `${key}\\${name}`,
      name: String(i + 1),
      type: 'sz',
      value: v as string,
    }));
  }
  return [{ key, name, type: 'sz', value: JSON.stringify(value) }];
}

const regString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** REG_MULTI_SZ-free rendering; strings with line breaks are written as hex(1) (UTF-16LE). */
function regData(v: RegValue): string {
  if (v.type === 'dword') return `dword:${v.value.toString(16).padStart(8, '0')}`;
  if (!/[\r\n]/.test(v.value)) return regString(v.value);
  const bytes: string[] = [];
  for (const unit of `${v.value}\0`) {
    const code = unit.charCodeAt(0);
    bytes.push(
      (code & 0xff).toString(16).padStart(2, '0'),
      (code >> 8).toString(16).padStart(2, '0'),
    );
  }
  return `hex(1):${bytes.join(',')}`;
}

export function renderRegFile(
  comments: string[],
  values: RegValue[],
  clearKeys: string[] = [],
): string {
  const lines = ['Windows Registry Editor Version 5.00', ''];
  for (const c of comments) lines.push(c ? `; ${c}` : ';');
  lines.push('');
  // Deleting a list's key first means a shorter list does not keep stale numbered entries.
  for (const key of clearKeys) lines.push(`[-${key}]`, '');
  const byKey = new Map<string, RegValue[]>();
  for (const v of values) byKey.set(v.key, [...(byKey.get(v.key) ?? []), v]);
  for (const [key, list] of byKey) {
    lines.push(`[${key}]`);
    for (const v of list) lines.push(`${regString(v.name)}=${regData(v)}`);
    lines.push('');
  }
  return lines.join('\r\n');
}

const psString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The same values as a PowerShell script, for Intune platform scripts (run as SYSTEM). */
export function renderPowerShell(
  comments: string[],
  values: RegValue[],
  clearKeys: string[] = [],
): string {
  const psKey = (k: string) => k.replace(/^HKEY_LOCAL_MACHINE\\/, 'HKLM:\\');
  const lines = comments.map((c) => (c ? `# ${c}` : '#'));
  lines.push('$ErrorActionPreference = "Stop"', '');
  for (const key of clearKeys) {
    lines.push(
      `Remove-Item -Path ${psString(psKey(key))} -Recurse -Force -ErrorAction SilentlyContinue`,
    );
  }
  const keys = [...new Set(values.map((v) => v.key))];
  for (const key of keys) lines.push(`New-Item -Path ${psString(psKey(key))} -Force | Out-Null`);
  for (const v of values) {
    const data = v.type === 'dword' ? String(v.value) : psString(v.value);
    lines.push(
      `New-ItemProperty -Path ${psString(psKey(v.key))} -Name ${psString(v.name)} ` +
        `-PropertyType ${v.type === 'dword' ? 'DWord' : 'String'} -Value ${data} -Force | Out-Null`,
    );
  }
  lines.push('');
  return lines.join('\r\n');
}

// ─── generation ────────────────────────────────────────────────────────────────────────────────

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Throws with every problem when the configuration does not match the schema. */
export function assertValidConfig(schema: JsonSchema, config: unknown): void {
  const errors = validateAgainstSchema(schema, config);
  if (errors.length > 0) {
    throw new Error(
      `The configuration does not match managed_schema.json:\n  ${errors.join('\n  ')}`,
    );
  }
}

function forcelistEntry(id: string, updateUrl: string): string {
  return `${id};${updateUrl}`;
}

/** Every template file; see the module comment for the layout. */
export function generateTemplates(input: TemplateInput): TemplateFile[] {
  assertValidConfig(input.schema, input.config);
  const edgeId = input.edgeId ?? input.chromeId;
  const edgeUpdateUrl = input.edgeUpdateUrl ?? input.chromeUpdateUrl;
  const ids: Record<Browser, { id: string; updateUrl: string }> = {
    chrome: { id: input.chromeId, updateUrl: input.chromeUpdateUrl },
    edge: { id: edgeId, updateUrl: edgeUpdateUrl },
  };
  const files: TemplateFile[] = [];
  const utf8 = (path: string, content: string) => files.push({ path, content, encoding: 'utf8' });

  // Linux policy folders: one file for Steward (install + configure), one for hardening, so a
  // school that already manages the hardening policies can leave the second out.
  const linuxFolders: [string, Browser][] = [
    ['chrome', 'chrome'],
    ['chromium', 'chrome'],
    ['edge', 'edge'],
  ];
  for (const [folder, browser] of linuxFolders) {
    const { id, updateUrl } = ids[browser];
    utf8(
      `linux/${folder}/steward.json`,
      json({
        ExtensionInstallForcelist: [forcelistEntry(id, updateUrl)],
        '3rdparty': { extensions: { [id]: input.config } },
      }),
    );
    utf8(
      `linux/${folder}/steward-hardening.json`,
      json(Object.fromEntries(hardeningPolicies(browser, id).map((p) => [p.name, p.value]))),
    );
  }

  // Windows: registry files and the same values as PowerShell for Intune.
  for (const browser of ['chrome', 'edge'] as const) {
    const { id, updateUrl } = ids[browser];
    const root = REGISTRY_ROOT[browser];
    const policyKey = `${root}\\3rdparty\\extensions\\${id}\\policy`;
    const label = browser === 'chrome' ? 'Google Chrome' : 'Microsoft Edge';
    const stewardValues = [
      ...registryValues(root, 'ExtensionInstallForcelist', [forcelistEntry(id, updateUrl)]),
      ...Object.entries(input.config).flatMap(([name, value]) =>
        registryValues(policyKey, name, value),
      ),
    ];
    const stewardComments = [
      `Steward for ${label}: force-install (ExtensionInstallForcelist) and its configuration`,
      `(3rdparty policy for extension ${id}). Generated from managed_schema.json.`,
      'If ExtensionInstallForcelist already lists other extensions, add Steward as the next',
      'number instead of importing this key over them.',
    ];
    const clear = [`${root}\\ExtensionInstallForcelist`, policyKey];
    files.push({
      path: `windows/${browser}-steward.reg`,
      content: renderRegFile(stewardComments, stewardValues, clear),
      encoding: 'utf16le-bom',
    });
    utf8(`windows/${browser}-steward.ps1`, renderPowerShell(stewardComments, stewardValues, clear));

    const hardening = hardeningPolicies(browser, id);
    const hardeningValues = hardening.flatMap((p) => registryValues(root, p.name, p.value));
    const hardeningComments = [
      `Hardening policies for ${label} (see README.md):`,
      ...hardening.map((p) => `  ${p.name}: ${p.why}`),
    ];
    const hardeningClear = hardening
      .filter((p) => Array.isArray(p.value))
      .map((p) => `${root}\\${p.name}`);
    files.push({
      path: `windows/${browser}-hardening.reg`,
      content: renderRegFile(hardeningComments, hardeningValues, hardeningClear),
      encoding: 'utf16le-bom',
    });
    utf8(
      `windows/${browser}-hardening.ps1`,
      renderPowerShell(hardeningComments, hardeningValues, hardeningClear),
    );
  }

  // Google Admin console, "Policy for extensions": each setting wrapped as {"Value": …}.
  utf8(
    'google-admin/policy-for-extensions.json',
    json(Object.fromEntries(Object.entries(input.config).map(([k, v]) => [k, { Value: v }]))),
  );

  // Firefox: one policies.json holds everything.
  const ff = input.firefox;
  const ffHardening = firefoxHardening(ff.id);
  const ffTopLevel = Object.fromEntries(
    ffHardening
      .filter((p) => !p.name.startsWith('ExtensionSettings'))
      .map((p) => [p.name, p.value]),
  );
  utf8(
    'firefox/policies.json',
    json({
      policies: {
        ExtensionSettings: {
          '*': { installation_mode: 'blocked' },
          [ff.id]: {
            installation_mode: 'force_installed',
            install_url: ff.installUrl,
            private_browsing: true,
          },
        },
        '3rdparty': { Extensions: { [ff.id]: input.config } },
        ...ffTopLevel,
      },
    }),
  );

  files.push(...groupTemplates(input, ids));
  utf8('README.md', templatesReadme(input, ids, ffHardening));
  return files;
}

/** A folder-safe name for a group: `St Mary's (Junior)` → `st-mary-s-junior`. */
export function groupSlug(group: string): string {
  return (
    group
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'group'
  );
}

/**
 * Per group, what an organisational unit needs on top of the shared files: Google Admin's
 * "Policy for extensions" for that OU (the whole configuration plus `reportGroup`, since Google
 * Admin replaces the inherited JSON rather than merging it), and for Windows a registry file that
 * sets only `reportGroup` (a Group Policy Preferences item in a GPO linked to that OU).
 */
function groupTemplates(
  input: TemplateInput,
  ids: Record<Browser, { id: string; updateUrl: string }>,
): TemplateFile[] {
  const files: TemplateFile[] = [];
  const seen = new Set<string>();
  for (const group of input.groups ?? []) {
    const slug = groupSlug(group);
    if (seen.has(slug)) throw new Error(`two groups share the folder name "${slug}": rename one`);
    seen.add(slug);
    const config = { ...input.config, reportGroup: group };
    assertValidConfig(input.schema, config);
    files.push({
      path: `groups/${slug}/google-admin/policy-for-extensions.json`,
      content: json(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { Value: v }]))),
      encoding: 'utf8',
    });
    for (const browser of ['chrome', 'edge'] as const) {
      const policyKey = `${REGISTRY_ROOT[browser]}\\3rdparty\\extensions\\${ids[browser].id}\\policy`;
      files.push({
        path: `groups/${slug}/windows/${browser}-report-group.reg`,
        content: renderRegFile(
          [
            `Steward reportGroup "${group}" for ${browser === 'chrome' ? 'Google Chrome' : 'Microsoft Edge'}:`,
            'apply on the computers of this group only (a GPO linked to its OU), after',
            `windows/${browser}-steward.reg.`,
          ],
          registryValues(policyKey, 'reportGroup', group),
          [],
        ),
        encoding: 'utf16le-bom',
      });
    }
  }
  return files;
}

function templatesReadme(
  input: TemplateInput,
  ids: Record<Browser, { id: string; updateUrl: string }>,
  ffHardening: HardeningPolicy[],
): string {
  const table = (policies: HardeningPolicy[]) =>
    [
      '| Policy | Value | Why |',
      '|---|---|---|',
      ...policies.map((p) => `| \`${p.name}\` | \`${JSON.stringify(p.value)}\` | ${p.why} |`),
    ].join('\n');
  return `# Steward policy templates

Generated by \`steward package templates\` from \`managed_schema.json\`. See DEPLOYING.md in the
Steward repository for the step-by-step guide.

- Chrome extension ID: \`${ids.chrome.id}\`, update URL: ${ids.chrome.updateUrl}
- Edge extension ID: \`${ids.edge.id}\`, update URL: ${ids.edge.updateUrl}
- Firefox add-on ID: \`${input.firefox.id}\`, install URL: ${input.firefox.installUrl}

## Files

| File | Where it goes |
|---|---|
| \`linux/chrome/steward.json\` | \`/etc/opt/chrome/policies/managed/\` (Google Chrome on Linux) |
| \`linux/chromium/steward.json\` | \`/etc/chromium/policies/managed/\` (Debian/Ubuntu Chromium) |
| \`linux/edge/steward.json\` | \`/etc/opt/edge/policies/managed/\` (Microsoft Edge on Linux) |
| \`linux/*/steward-hardening.json\` | the same folder, next to \`steward.json\` |
| \`windows/chrome-steward.reg\`, \`windows/edge-steward.reg\` | import on each PC (\`reg import\`), or copy the values into Group Policy Preferences → Registry |
| \`windows/*-hardening.reg\` | the same way; or set the same policies with the Chrome/Edge ADMX templates |
| \`windows/*.ps1\` | the same registry values as PowerShell: Intune → Devices → Scripts (run as system, 64-bit) |
| \`google-admin/policy-for-extensions.json\` | Google Admin console → Chrome browser → Apps & extensions → Steward → Policy for extensions |
| \`firefox/policies.json\` | \`/etc/firefox/policies/\` (Linux), \`distribution\\\\\` next to firefox.exe (Windows), or convert to Group Policy |

\`steward.json\` force-installs Steward (\`ExtensionInstallForcelist\`) and holds its configuration
(\`3rdparty\` → \`extensions\` → the extension ID). Chrome reads every \`.json\` file in the folder,
but if two files set the same policy (for example both set \`ExtensionInstallForcelist\`) only one
wins: merge them into one list.

On Windows and macOS, Chrome and Edge only force-install an extension from your own server (not
a store) on machines joined to a domain or enrolled in MDM (Intune, Google's Chrome Browser Cloud
Management). Linux has no such limit.

In the registry, text is REG_SZ, whole numbers REG_DWORD, lists of text a key of numbered values
("1", "2", …), and objects (\`categories\`, \`clauses\`, \`accessRequest\`, \`compose\`, \`mailbox\`) a
REG_SZ holding JSON. The \`.reg\` files first delete Steward's policy key and the force-install
list, so that settings you removed do not linger.

## Groups (\`reportGroup\`)

A trust with several schools, or a school with teaching and office staff on different policies,
sets \`reportGroup\` per organisational unit, and the dashboard filters and compares by it.
${
  (input.groups ?? []).length === 0
    ? `Pass \`--group NAME\` (once per group) to \`steward package templates\` to get per-group files.`
    : `Per group, in \`groups/<group>/\`:

| Group | Google Admin (that OU's "Policy for extensions") | Windows (a GPO linked to that OU) |
|---|---|---|
${(input.groups ?? [])
  .map(
    (g) =>
      `| ${g} | \`groups/${groupSlug(g)}/google-admin/policy-for-extensions.json\` | \`groups/${groupSlug(g)}/windows/chrome-report-group.reg\`, \`edge-report-group.reg\` |`,
  )
  .join('\n')}

Google Admin replaces an OU's inherited extension policy with the one you paste, so each group's
file holds the whole configuration plus its \`reportGroup\`. On Linux and in Firefox's
\`policies.json\`, add \`"reportGroup": "NAME"\` to the copy for that group's machines.`
}

## Hardening: Chrome

${table(hardeningPolicies('chrome', ids.chrome.id))}

## Hardening: Edge

${table(hardeningPolicies('edge', ids.edge.id))}

## Hardening: Firefox (in policies.json)

${table(ffHardening)}
`;
}

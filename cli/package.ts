/**
 * `steward package …`: everything a school needs to deploy its own build of Steward
 * (DEPLOYING.md walks through it).
 *
 *   generate-key  the school's extension signing key (RSA 2048): its ID for Chrome and Edge
 *   crx           build and pack: CRX3 + update.xml for self-hosting, a store zip, a Firefox zip
 *   templates     policy files for Linux, Windows (Group Policy / Intune), Google Admin, Firefox
 *
 * Exit codes: 0 done, 1 the input was read but is wrong (a key that exists, an invalid
 * configuration, a failed build), 2 the command line itself is wrong.
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { extensionIdFor, extensionPublicKey } from '../config/extension.ts';
import { DEFAULT_RULESET_PATH, withBlockPageByPath } from '../lib/default-ruleset.ts';
import type { DynamicRule } from '../lib/enforcement-plan.ts';
import { DEFAULT_POLICY, resolvePolicy } from '../lib/policy.ts';
import {
  CHROME_WEB_STORE_UPDATE_URL,
  generateTemplates,
  type JsonSchema,
  type TemplateInput,
  validateAgainstSchema,
} from '../lib/policy-templates.ts';
import { GROUP_RULE, isGroupName } from '../lib/report/group.ts';
import {
  HELP_OPTION,
  helpRequested,
  InputError,
  parseCommandLine,
  runCommand,
  UsageError,
} from './common.ts';
import {
  buildChrome,
  buildFirefox,
  DEFAULT_GECKO_ID,
  REPO_ROOT,
  readManifest,
} from './packaging/build.ts';
import { packCrx3, spkiDer } from './packaging/crx3.ts';
import {
  firefoxUpdatesJson,
  isExtensionVersion,
  normaliseBaseUrl,
  updateManifestXml,
} from './packaging/update-manifest.ts';
import { directoryEntries, zipEntries } from './packaging/zip.ts';

export const summary = 'build the CRX, update manifest, Firefox package and policy templates';

const HELP = `Usage: steward package <command> [options]

Commands:
  generate-key --out FILE
      Make the school's extension signing key (RSA 2048, PKCS#8 PEM, readable by you only).
      Keep it secret and backed up: every later version must be signed with the same key, or
      browsers treat it as a different extension. Never overwrites an existing file.

  crx --key FILE [options]
      Build Steward with the key's public half, then write to the output folder:
        steward-VERSION.crx            signed CRX3 for Chrome and Edge (self-hosting)
        update.xml                     update manifest pointing at the CRX (with --base-url)
        steward-VERSION-store.zip      for the Chrome Web Store / Edge Add-ons (no key inside)
        steward-VERSION-firefox.zip    Firefox package (sign it on addons.mozilla.org, unlisted)
      --out DIR           output folder (default ./steward-package)
      --base-url URL      where you will publish the CRX and update.xml (https://…/steward/);
                          built into the extension as its update_url
      --version V         extension version (default: package.json's); raise it for each release
      --gecko-id ID       Firefox add-on ID (default ${DEFAULT_GECKO_ID}; use your own,
                          e.g. steward@yourschool.sch.uk, to sign on addons.mozilla.org)
      --no-firefox        skip the Firefox package
      (with an https --base-url, also updates.json: Firefox's update manifest for the signed .xpi)

  templates --out DIR [options]
      Write policy templates for every browser and platform, with a README.
      --config FILE       your Steward configuration (JSON object of managed_schema.json keys);
                          default: an example with the built-in defaults
      --id ID             Chrome/Edge extension ID (default: from --key, else Steward's dev ID)
      --key FILE          take the ID from this key (public or private PEM)
      --update-url URL    Chrome/Edge update URL (your update.xml, or the Chrome Web Store's)
      --edge-id ID, --edge-update-url URL   when Edge installs from Edge Add-ons instead
      --gecko-id ID       Firefox add-on ID (default ${DEFAULT_GECKO_ID})
      --firefox-url URL   where Firefox downloads the signed .xpi
      --group NAME        a group or school (reportGroup) with its own organisational unit;
                          repeat for each; writes groups/<name>/… (see the templates' README)
`;

export function run(args: string[]): Promise<number> {
  return runCommand('package', HELP, { 'generate-key': generateKey, crx, templates }, args);
}

/** This group's commands take options only, no positional arguments. */
function parse<T extends Parameters<typeof parseArgs>[0]>(command: string, config: T) {
  return parseCommandLine(command, () =>
    parseArgs({ ...config, allowPositionals: false, strict: true }),
  );
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

// ─── generate-key ──────────────────────────────────────────────────────────────────────────────

function generateKey(args: string[]): number {
  const { values } = parse('generate-key', {
    args,
    options: { out: { type: 'string' }, ...HELP_OPTION },
  });
  if (helpRequested(values, HELP)) return 0;
  const out = str(values.out);
  if (!out) throw new UsageError('generate-key: --out FILE is required.');
  const file = path.resolve(out);
  if (existsSync(file)) {
    throw new InputError(
      `${file} already exists; not overwriting it (browsers may already know Steward by that key's ID). Use another file name.`,
    );
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  // 'wx' fails rather than overwrite if the file appeared meanwhile; 0600 because whoever holds
  // this key can publish an update that every school browser installs.
  writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  const id = extensionIdFor(spkiDer(privateKey).toString('base64'));
  process.stdout.write(
    [
      `Wrote ${file} (private: keep it secret, readable by you only, and backed up; never commit it).`,
      '',
      `Extension ID for Chrome and Edge: ${id}`,
      '',
      'Build and pack with it:',
      `  npx steward package crx --key ${file} --base-url https://YOUR-SERVER/steward/`,
      'Or build a development copy with the same ID (only the public half is read):',
      `  STEWARD_EXTENSION_PUBLIC_KEY=${file} npx wxt build`,
      '',
    ].join('\n'),
  );
  return 0;
}

// ─── crx ───────────────────────────────────────────────────────────────────────────────────────

function readPrivateKey(file: string): KeyObject {
  if (!existsSync(file)) throw new InputError(`the key file ${file} does not exist.`);
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file, 'utf8'));
  } catch {
    throw new InputError(
      `${file} is not a private key in PEM form (make one with: steward package generate-key --out FILE).`,
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new InputError(
      `${file} is a ${key.asymmetricKeyType} key; Chrome signs CRX files with RSA.`,
    );
  }
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new InputError(`${file} is shorter than 2048 bits; make a new key with generate-key.`);
  }
  return key;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

async function crx(args: string[]): Promise<number> {
  const { values } = parse('crx', {
    args,
    options: {
      key: { type: 'string' },
      out: { type: 'string' },
      'base-url': { type: 'string' },
      version: { type: 'string' },
      'gecko-id': { type: 'string' },
      'no-firefox': { type: 'boolean' },
      ...HELP_OPTION,
    },
  });
  if (helpRequested(values, HELP)) return 0;
  const keyFile = str(values.key);
  if (!keyFile)
    throw new UsageError('crx: --key FILE is required (the private key from generate-key).');
  const version = str(values.version) ?? packageVersion();
  if (!isExtensionVersion(version)) {
    throw new UsageError(
      `crx: "${version}" is not an extension version (1 to 4 numbers 0-65535, e.g. 1.2.0).`,
    );
  }
  const baseUrl = str(values['base-url']);
  if (baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new UsageError(`crx: --base-url "${baseUrl}" is not a URL.`);
    }
    if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      throw new UsageError('crx: --base-url must be https:// (browsers fetch updates from it).');
    }
  }
  const geckoId = str(values['gecko-id']) ?? DEFAULT_GECKO_ID;
  if (!/^([a-zA-Z0-9-._]*@[a-zA-Z0-9-._]+|\{[0-9a-fA-F-]{36}\})$/.test(geckoId)) {
    throw new UsageError(`crx: --gecko-id "${geckoId}" must look like name@domain or a {GUID}.`);
  }
  const key = readPrivateKey(path.resolve(keyFile));
  const publicKey = spkiDer(key).toString('base64');
  const id = extensionIdFor(publicKey);
  const outDir = path.resolve(str(values.out) ?? 'steward-package');
  mkdirSync(outDir, { recursive: true });
  const base = baseUrl === undefined ? undefined : normaliseBaseUrl(baseUrl);
  const crxName = `steward-${version}.crx`;
  const buildDir = path.join(outDir, 'build');
  rmSync(buildDir, { recursive: true, force: true });

  const started = Date.now();
  let chromeDir: string;
  try {
    chromeDir = await buildChrome({
      outDir: buildDir,
      keyFile: path.resolve(keyFile),
      version,
      updateUrl: base ? `${base}update.xml` : undefined,
    });
  } catch (error) {
    throw new InputError(`the Chrome build failed: ${String(error)}`);
  }
  const manifest = readManifest(chromeDir);
  // The build reads the key through config/extension.ts; check it really used this one, since a
  // CRX whose manifest key differs from its signing key is refused by Chrome at install time.
  if (manifest.key !== publicKey || manifest.version !== version) {
    throw new InputError(
      `the build in ${chromeDir} does not carry this key and version (manifest key ${String(manifest.key).slice(0, 20)}…, version ${String(manifest.version)}).`,
    );
  }
  const zip = zipEntries(directoryEntries(chromeDir));
  writeFileSync(path.join(outDir, crxName), packCrx3(zip, key));
  const written = [`${crxName}  (CRX3 for Chrome and Edge, extension ID ${id})`];
  if (base) {
    writeFileSync(
      path.join(outDir, 'update.xml'),
      updateManifestXml({ extensionId: id, version, crxUrl: `${base}${crxName}` }),
    );
    written.push(`update.xml  (update manifest: publish it at ${base}update.xml)`);
  }
  // Stores assign their own ID and refuse a manifest `key`; update_url belongs to self-hosting.
  const storeZip = zipEntries(
    directoryEntries(chromeDir, (name, data) => {
      // The static default names the block page by its full URL, which holds the id: by path here.
      if (name === DEFAULT_RULESET_PATH) {
        return Buffer.from(
          JSON.stringify(withBlockPageByPath(JSON.parse(data.toString('utf8')) as DynamicRule[])),
        );
      }
      if (name !== 'manifest.json') return data;
      const { key: _key, update_url: _updateUrl, ...rest } = JSON.parse(data.toString('utf8'));
      return Buffer.from(JSON.stringify(rest, null, 2));
    }),
  );
  writeFileSync(path.join(outDir, `steward-${version}-store.zip`), storeZip);
  written.push(`steward-${version}-store.zip  (Chrome Web Store / Edge Add-ons upload)`);

  if (!values['no-firefox']) {
    let firefoxDir: string;
    try {
      firefoxDir = await buildFirefox({
        outDir: buildDir,
        geckoId,
        version,
        // Firefox only accepts an https update manifest.
        updateUrl: base?.startsWith('https://') ? `${base}updates.json` : undefined,
      });
    } catch (error) {
      throw new InputError(`the Firefox build failed: ${String(error)}`);
    }
    writeFileSync(
      path.join(outDir, `steward-${version}-firefox.zip`),
      zipEntries(directoryEntries(firefoxDir)),
    );
    written.push(
      `steward-${version}-firefox.zip  (Firefox add-on ${geckoId}; sign it as unlisted on addons.mozilla.org)`,
    );
    if (base?.startsWith('https://')) {
      writeFileSync(
        path.join(outDir, 'updates.json'),
        firefoxUpdatesJson({ geckoId, version, xpiUrl: `${base}steward-${version}.xpi` }),
      );
      written.push(
        `updates.json  (Firefox update manifest: publish it, and the signed steward-${version}.xpi, at ${base})`,
      );
    }
  }
  process.stdout.write(
    [
      `Built Steward ${version} in ${((Date.now() - started) / 1000).toFixed(1)} s. Wrote to ${outDir}:`,
      ...written.map((w) => `  ${w}`),
      `  build/  (the unpacked builds)`,
      '',
      base
        ? `Publish the CRX and update.xml at ${base}; policy: ExtensionInstallForcelist = "${id};${base}update.xml".`
        : 'No --base-url: no update.xml was written (needed to self-host).',
      '',
    ].join('\n'),
  );
  return 0;
}

// ─── templates ─────────────────────────────────────────────────────────────────────────────────

/** The example configuration: the built-in defaults, plus placeholders a school must change. */
export function exampleConfig(): Record<string, unknown> {
  return {
    schoolName: 'Example School',
    orgDomains: ['yourschool.yourcouncil.sch.uk'],
    categories: DEFAULT_POLICY.categories,
    allowList: [],
    blockList: [],
    accessRequest: {
      email: 'it@yourschool.yourcouncil.sch.uk',
      note: 'Tell IT which site you need and why.',
    },
    warnContinueMinutes: DEFAULT_POLICY.warnContinueMinutes,
    reportIdentity: DEFAULT_POLICY.reportIdentity,
    timeZone: DEFAULT_POLICY.timeZone,
  };
}

export function loadSchema(): JsonSchema {
  return JSON.parse(
    readFileSync(path.join(REPO_ROOT, 'public/managed_schema.json'), 'utf8'),
  ) as JsonSchema;
}

function templates(args: string[]): number {
  const { values } = parse('templates', {
    args,
    options: {
      out: { type: 'string' },
      config: { type: 'string' },
      id: { type: 'string' },
      key: { type: 'string' },
      'update-url': { type: 'string' },
      'edge-id': { type: 'string' },
      'edge-update-url': { type: 'string' },
      'gecko-id': { type: 'string' },
      'firefox-url': { type: 'string' },
      group: { type: 'string', multiple: true },
      ...HELP_OPTION,
    },
  });
  if (helpRequested(values, HELP)) return 0;
  const out = str(values.out);
  if (!out) throw new UsageError('templates: --out DIR is required.');
  const groups = (values.group as string[] | undefined) ?? [];
  for (const group of groups) {
    if (!isGroupName(group)) {
      throw new UsageError(`templates: --group "${group}" must be ${GROUP_RULE}.`);
    }
  }
  const idPattern = /^[a-p]{32}$/;
  let chromeId = str(values.id);
  const keyFile = str(values.key);
  if (chromeId && keyFile) throw new UsageError('templates: give --id or --key, not both.');
  if (keyFile) {
    chromeId = extensionIdFor(
      extensionPublicKey({ STEWARD_EXTENSION_PUBLIC_KEY: path.resolve(keyFile) }),
    );
  }
  chromeId ??= extensionIdFor(extensionPublicKey({}));
  for (const [name, id] of [
    ['--id', chromeId],
    ['--edge-id', str(values['edge-id'])],
  ] as const) {
    if (id !== undefined && !idPattern.test(id)) {
      throw new UsageError(`templates: ${name} "${id}" is not an extension ID (32 letters a-p).`);
    }
  }
  let config: Record<string, unknown> = exampleConfig();
  const configFile = str(values.config);
  if (configFile) {
    try {
      config = JSON.parse(readFileSync(path.resolve(configFile), 'utf8')) as Record<
        string,
        unknown
      >;
    } catch (error) {
      throw new InputError(`could not read ${configFile} as JSON: ${String(error)}`);
    }
  }
  const schema = loadSchema();
  const problems = [
    ...validateAgainstSchema(schema, config),
    ...(() => {
      const resolved = resolvePolicy(config);
      return resolved.ok ? resolved.warnings : resolved.errors;
    })(),
  ];
  if (problems.length > 0) {
    throw new InputError(
      `the configuration is not valid:\n  ${[...new Set(problems)].join('\n  ')}`,
    );
  }
  const geckoId = str(values['gecko-id']) ?? DEFAULT_GECKO_ID;
  const input: TemplateInput = {
    schema,
    config: config as TemplateInput['config'],
    chromeId,
    chromeUpdateUrl: str(values['update-url']) ?? CHROME_WEB_STORE_UPDATE_URL,
    edgeId: str(values['edge-id']),
    edgeUpdateUrl: str(values['edge-update-url']),
    firefox: {
      id: geckoId,
      installUrl: str(values['firefox-url']) ?? 'https://YOUR-SERVER/steward/steward-firefox.xpi',
    },
    groups,
  };
  const dir = path.resolve(out);
  const files = generateTemplates(input);
  for (const file of files) {
    const target = path.join(dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    const data =
      file.encoding === 'utf16le-bom'
        ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(file.content, 'utf16le')])
        : Buffer.from(file.content, 'utf8');
    writeFileSync(target, data);
  }
  process.stdout.write(
    [
      `Wrote ${files.length} policy templates to ${dir} (see its README.md).`,
      `  Chrome ID ${chromeId}, update URL ${input.chromeUpdateUrl}`,
      ...(configFile ? [] : ['  Configuration: the example (pass --config FILE for your own).']),
      '',
    ].join('\n'),
  );
  return 0;
}

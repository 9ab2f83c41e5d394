/**
 * Builds the extension for packaging with WXT's programmatic API, into a folder of the caller's
 * choosing (never the shared `.output/`, which the test suite's dev build lives in), with:
 *   - Chrome/Edge: the school's public key as the manifest `key` (config/extension.ts reads
 *     STEWARD_EXTENSION_PUBLIC_KEY, which may name the private PEM: only its public half is used),
 *     and `update_url` pointing at the self-hosted update manifest, so later versions are found
 *     from the extension itself and not only from the policy's first install URL.
 *   - Firefox: `browser_specific_settings.gecko` (ID, minimum version, data collection).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Firefox 140 (ESR 140): the first version that knows `data_collection_permissions`, which
 * addons.mozilla.org requires of new add-ons; it has the MV3 declarativeNetRequest, storage.managed
 * and PrivateBrowsingModeAvailability that Steward and its policy templates rely on.
 */
export const FIREFOX_MIN_VERSION = '140.0';
/** Firefox for Android reads data_collection_permissions from 142. */
const FIREFOX_ANDROID_MIN_VERSION = '142.0';
/**
 * The default gecko ID. `.invalid` can never be a real domain, so it cannot clash with a
 * school's own ID; a school that signs its Firefox package on addons.mozilla.org must choose its
 * own (`--gecko-id steward@yourschool.sch.uk`), because AMO IDs are unique.
 */
export const DEFAULT_GECKO_ID = 'steward@steward.invalid';

export type ChromeBuildOptions = {
  outDir: string;
  /** PEM file (public or private key) whose public half becomes the manifest key. */
  keyFile: string;
  version?: string;
  updateUrl?: string;
};

export type FirefoxBuildOptions = {
  outDir: string;
  geckoId: string;
  version?: string;
  /** Self-hosted updates.json (https): how Firefox finds versions not hosted on AMO. */
  updateUrl?: string;
};

type Manifest = Record<string, unknown>;

async function wxtBuild(config: Parameters<typeof import('wxt').build>[0]): Promise<string> {
  const { build } = await import('wxt');
  const output = await build({ root: REPO_ROOT, logger: quietLogger(), ...config });
  const dir = path.join(
    config?.outDir ?? '',
    `${output.manifest.browser_specific_settings ? 'firefox' : 'chrome'}-mv3`,
  );
  if (!existsSync(path.join(dir, 'manifest.json'))) {
    throw new Error(`the build did not produce ${dir}/manifest.json`);
  }
  return dir;
}

/** Build for Chrome and Edge; returns the unpacked extension folder. */
export async function buildChrome(options: ChromeBuildOptions): Promise<string> {
  const previous = process.env.STEWARD_EXTENSION_PUBLIC_KEY;
  process.env.STEWARD_EXTENSION_PUBLIC_KEY = path.resolve(options.keyFile);
  try {
    return await wxtBuild({
      browser: 'chrome',
      manifestVersion: 3,
      outDir: options.outDir,
      manifest: {
        ...(options.version ? { version: options.version } : {}),
        ...(options.updateUrl ? { update_url: options.updateUrl } : {}),
      },
    });
  } finally {
    if (previous === undefined) delete process.env.STEWARD_EXTENSION_PUBLIC_KEY;
    else process.env.STEWARD_EXTENSION_PUBLIC_KEY = previous;
  }
}

/** Build for Firefox (MV3); returns the unpacked extension folder. */
export async function buildFirefox(options: FirefoxBuildOptions): Promise<string> {
  return wxtBuild({
    browser: 'firefox',
    manifestVersion: 3,
    outDir: options.outDir,
    manifest: {
      ...(options.version ? { version: options.version } : {}),
      browser_specific_settings: {
        gecko: {
          id: options.geckoId,
          strict_min_version: FIREFOX_MIN_VERSION,
          ...(options.updateUrl ? { update_url: options.updateUrl } : {}),
          // Steward sends counts of blocked visits (per category and day) to the school's own
          // report server when the policy sets reportUrl; nothing goes to Steward's authors.
          data_collection_permissions: { required: ['browsingActivity'] },
        },
        gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
      },
    },
  });
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** WXT's progress output is for developers; the admin sees only our summary and real errors. */
function quietLogger() {
  const noop = () => undefined;
  const error = (...args: unknown[]) => console.error(...args);
  return {
    debug: noop,
    log: noop,
    info: noop,
    warn: noop,
    error,
    fatal: error,
    success: noop,
    level: 0,
  };
}

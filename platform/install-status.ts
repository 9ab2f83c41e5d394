/**
 * Reads how Steward is installed from the browser (adapter for lib/install-status.ts).
 * `management.getSelf` and `extension.isAllowedIncognitoAccess` need no permission; incognito
 * windows are only visible to `windows.getAll` when Steward itself runs in incognito.
 */
import { browser } from 'wxt/browser';
import {
  browserFamily,
  type InstallFacts,
  type InstallStatus,
  type InstallType,
  installStatus,
} from '../lib/install-status.ts';

const INSTALL_TYPES: readonly InstallType[] = [
  'admin',
  'development',
  'normal',
  'sideload',
  'other',
];

export async function readInstallFacts(): Promise<InstallFacts> {
  const [installType, incognitoAccess, incognitoWindowSeen] = await Promise.all([
    browser.management
      .getSelf()
      .then((self) =>
        INSTALL_TYPES.includes(self.installType as InstallType)
          ? (self.installType as InstallType)
          : 'other',
      )
      .catch(() => null),
    browser.extension.isAllowedIncognitoAccess().catch(() => null),
    // windows.getAll lists incognito windows only to an extension allowed there; without that
    // access the answer would always be "none seen", which proves nothing, so say null.
    browser.extension
      .isAllowedIncognitoAccess()
      .then(async (allowed) => {
        if (!allowed || !browser.windows) return null;
        const windows = await browser.windows.getAll();
        return windows.some((w) => w.incognito);
      })
      .catch(() => null),
  ]);
  return {
    browser: browserFamily(navigator.userAgent, Boolean(import.meta.env.FIREFOX)),
    installType,
    incognitoAccess,
    incognitoWindowSeen,
  };
}

export async function readInstallStatus(): Promise<InstallStatus> {
  return installStatus(await readInstallFacts());
}

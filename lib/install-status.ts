/**
 * How Steward is installed, and the gaps in a school's hardening that follow from it. Pure: the
 * platform adapter (platform/install-status.ts) reads the browser APIs and hands the facts here;
 * the popup shows the result and the report carries `policyInstalled` and `incognito`.
 *
 * What a browser can tell an extension, and what it cannot:
 *   - `management.getSelf().installType` is "admin" only for an extension installed by policy
 *     (ExtensionInstallForcelist / ExtensionSettings); such an extension cannot be turned off or
 *     removed by the user.
 *   - `extension.isAllowedIncognitoAccess()` says whether Steward runs in incognito (Edge:
 *     InPrivate; Firefox: private) windows. In Chrome and Edge only the user can allow that;
 *     Firefox's ExtensionSettings can (`private_browsing: true`).
 *   - Whether incognito is available at all (IncognitoModeAvailability) has no API. Opening an
 *     incognito window to find out would flash a window in front of staff, so Steward does not
 *     probe: it only knows incognito is available when it runs there and sees such a window.
 *     So when Steward does not run in incognito, it cannot tell whether incognito is switched
 *     off (fine) or on (unfiltered browsing), and says so as a check for IT rather than a gap.
 */

export type InstallType = 'admin' | 'development' | 'normal' | 'sideload' | 'other';
export type IncognitoAccess = 'allowed' | 'not_allowed' | 'unknown';
export type BrowserFamily = 'chrome' | 'edge' | 'firefox' | 'other';

export type InstallFacts = {
  browser: BrowserFamily;
  /** `management.getSelf().installType`; null when the API failed. */
  installType: InstallType | null;
  /** `extension.isAllowedIncognitoAccess()`; null when the API failed. */
  incognitoAccess: boolean | null;
  /** True when Steward has seen an incognito window; null when it cannot know. */
  incognitoWindowSeen: boolean | null;
};

/** A gap (something is wrong) or a check (something Steward cannot see, for IT to confirm). */
export const INSTALL_NOTE_CODES = [
  'not_policy_installed',
  'development_copy',
  'install_type_unknown',
  'incognito_unfiltered',
  'incognito_unknown',
  'incognito_keep_off',
] as const;

export type InstallNote = {
  /** Also the message name `install_note_<code>` in _locales. */
  code: (typeof INSTALL_NOTE_CODES)[number];
  /** Plain English (en-GB), with the browser's own words for incognito and its policy. */
  text: string;
};

export type InstallStatus = {
  policyInstalled: boolean;
  /** Whether Steward runs in incognito/InPrivate/private windows (the report's `incognito`). */
  incognito: IncognitoAccess;
  /** Whether incognito is available: 'yes' only when seen; otherwise Steward cannot know. */
  incognitoAvailable: 'yes' | 'unknown';
  gaps: InstallNote[];
  checks: InstallNote[];
  /** The policy that turns incognito off in this browser, e.g. "IncognitoModeAvailability = 1". */
  incognitoPolicy: string;
};

const WORDS: Record<BrowserFamily, { windows: string; policy: string }> = {
  chrome: { windows: 'incognito windows', policy: 'IncognitoModeAvailability = 1' },
  edge: { windows: 'InPrivate windows', policy: 'InPrivateModeAvailability = 1' },
  firefox: { windows: 'private windows', policy: 'PrivateBrowsingModeAvailability = 1' },
  other: { windows: 'private windows', policy: 'the policy that turns private browsing off' },
};

export function installStatus(facts: InstallFacts): InstallStatus {
  const words = WORDS[facts.browser];
  const gaps: InstallNote[] = [];
  const checks: InstallNote[] = [];

  const policyInstalled = facts.installType === 'admin';
  if (facts.installType === 'development') {
    gaps.push({
      code: 'development_copy',
      text:
        'Steward is loaded as a developer copy, not installed by your school: it can be turned ' +
        'off or removed, and it is not updated. Install it through policy.',
    });
  } else if (facts.installType === null) {
    gaps.push({
      code: 'install_type_unknown',
      text: 'Steward could not tell how it was installed. Check chrome://extensions or about:addons.',
    });
  } else if (!policyInstalled) {
    gaps.push({
      code: 'not_policy_installed',
      text:
        'Steward was not installed by your school’s policy, so it can be turned off or removed. ' +
        'IT should force-install it (see DEPLOYING.md).',
    });
  }

  const incognito: IncognitoAccess =
    facts.incognitoAccess === null ? 'unknown' : facts.incognitoAccess ? 'allowed' : 'not_allowed';
  const incognitoAvailable = facts.incognitoWindowSeen ? 'yes' : 'unknown';
  if (incognito === 'not_allowed') {
    if (incognitoAvailable === 'yes') {
      gaps.push({
        code: 'incognito_unfiltered',
        text:
          `${capitalise(words.windows)} are open in this browser and Steward does not run in ` +
          `them, so browsing there is not filtered. IT should set ${words.policy}.`,
      });
    } else {
      checks.push({
        code: 'incognito_keep_off',
        text:
          `Steward does not run in ${words.windows}. That is only safe if they are turned off: ` +
          `IT should set ${words.policy}.`,
      });
    }
  } else if (incognito === 'unknown') {
    checks.push({
      code: 'incognito_unknown',
      text:
        `Steward could not tell whether it runs in ${words.windows}. IT should set ` +
        `${words.policy}.`,
    });
  }
  return {
    policyInstalled,
    incognito,
    incognitoAvailable,
    gaps,
    checks,
    incognitoPolicy: words.policy,
  };
}

/** The part of the status the report carries (`status.install` in lib/report/payload.ts). */
export function reportedInstall(status: InstallStatus): {
  policyInstalled: boolean;
  incognito: IncognitoAccess;
} {
  return { policyInstalled: status.policyInstalled, incognito: status.incognito };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Tell Edge from Chrome by its user-agent token (both are Chromium and share the APIs). */
export function browserFamily(userAgent: string, isFirefoxBuild: boolean): BrowserFamily {
  if (isFirefoxBuild) return 'firefox';
  if (/\bEdg\//.test(userAgent)) return 'edge';
  if (/\bChrom(e|ium)\//.test(userAgent)) return 'chrome';
  return 'other';
}

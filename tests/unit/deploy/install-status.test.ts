import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  browserFamily,
  INSTALL_NOTE_CODES,
  type InstallFacts,
  installStatus,
  reportedInstall,
} from '../../../lib/install-status.ts';
import { INCOGNITO_STATES } from '../../../lib/report/payload.ts';

const facts = (f: Partial<InstallFacts>): InstallFacts => ({
  browser: 'chrome',
  installType: 'admin',
  incognitoAccess: false,
  incognitoWindowSeen: null,
  ...f,
});
const codes = (notes: { code: string }[]) => notes.map((n) => n.code);

describe('install status', () => {
  it('policy-installed, incognito not allowed: no gap, one check to keep incognito off', () => {
    const s = installStatus(facts({}));
    expect(s).toMatchObject({
      policyInstalled: true,
      incognito: 'not_allowed',
      incognitoAvailable: 'unknown',
    });
    expect(s.gaps).toEqual([]);
    expect(codes(s.checks)).toEqual(['incognito_keep_off']);
    expect(s.checks[0]!.text).toContain('IncognitoModeAvailability = 1');
  });

  it('policy-installed and allowed in incognito: nothing to do, even with incognito windows open', () => {
    const s = installStatus(facts({ incognitoAccess: true, incognitoWindowSeen: true }));
    expect(s).toMatchObject({
      incognito: 'allowed',
      incognitoAvailable: 'yes',
      gaps: [],
      checks: [],
    });
  });

  it('an incognito window seen while Steward may not run there is a gap', () => {
    // (Only possible when the facts come from elsewhere; Steward itself cannot see such windows.)
    const s = installStatus(facts({ browser: 'edge', incognitoWindowSeen: true }));
    expect(codes(s.gaps)).toEqual(['incognito_unfiltered']);
    expect(s.gaps[0]!.text).toMatch(/^InPrivate windows are open/);
    expect(s.gaps[0]!.text).toContain('InPrivateModeAvailability = 1');
  });

  it.each([
    ['normal', 'not_policy_installed'],
    ['sideload', 'not_policy_installed'],
    ['other', 'not_policy_installed'],
    ['development', 'development_copy'],
    [null, 'install_type_unknown'],
  ] as const)('installType %s is a gap (%s)', (installType, code) => {
    const s = installStatus(facts({ installType }));
    expect(s.policyInstalled).toBe(false);
    expect(codes(s.gaps)).toEqual([code]);
  });

  it('an incognito API failure is reported as unknown, with a check', () => {
    const s = installStatus(facts({ browser: 'firefox', incognitoAccess: null }));
    expect(s.incognito).toBe('unknown');
    expect(codes(s.checks)).toEqual(['incognito_unknown']);
    expect(s.checks[0]!.text).toContain('PrivateBrowsingModeAvailability = 1');
  });

  it('reports exactly the fields and values the report payload accepts', () => {
    for (const incognitoAccess of [true, false, null]) {
      const r = reportedInstall(installStatus(facts({ incognitoAccess })));
      expect(Object.keys(r).sort()).toEqual(['incognito', 'policyInstalled']);
      expect(INCOGNITO_STATES).toContain(r.incognito);
    }
  });

  it('tells Edge, Chrome and Firefox apart', () => {
    const chrome =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
    expect(browserFamily(chrome, false)).toBe('chrome');
    expect(browserFamily(`${chrome} Edg/156.0.0.0`, false)).toBe('edge');
    expect(
      browserFamily('Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0', true),
    ).toBe('firefox');
  });

  it('every note and state the popup shows has an en-GB message', () => {
    const messages = JSON.parse(
      readFileSync('public/_locales/en_GB/messages.json', 'utf8'),
    ) as Record<string, { message: string; placeholders?: Record<string, unknown> }>;
    for (const code of INSTALL_NOTE_CODES) {
      const m = messages[`install_note_${code}`];
      expect(m?.message, code).toBeTruthy();
      if (m!.message.includes('$POLICY$')) expect(m!.placeholders).toHaveProperty('POLICY');
    }
    for (const state of INCOGNITO_STATES)
      expect(messages[`install_incognito_${state}`]).toBeTruthy();
  });
});

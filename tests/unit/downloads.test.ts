import { describe, expect, it } from 'vitest';
import {
  baseName,
  bindPass,
  classifyDownload,
  DEFAULT_DOWNLOADS,
  type DownloadLedger,
  decideDownload,
  dropPass,
  EMPTY_LEDGER,
  grantPass,
  isApprovedSource,
  PASS_TTL_MS,
  recordStopped,
  STOPPED_TTL_MS,
  type StoppedDownload,
  siteOf,
  usePass,
} from '../../lib/downloads.ts';
import { resolvePolicy } from '../../lib/policy.ts';

const soft = (facts: Parameters<typeof classifyDownload>[0]) => {
  const c = classifyDownload(facts);
  return c.software ? c.kind : null;
};

describe('classifyDownload: software by extension', () => {
  it.each([
    ['setup.exe', 'windows'],
    ['Installer.MSI', 'windows'],
    ['App.msix', 'windows'],
    ['App.appx', 'windows'],
    ['run.bat', 'script'],
    ['run.cmd', 'script'],
    ['script.ps1', 'script'],
    ['macro.vbs', 'script'],
    ['screensaver.scr', 'windows'],
    ['old.com', 'windows'],
    ['Zoom.dmg', 'macos'],
    ['Tool.pkg', 'macos'],
    ['Tool.app.zip', 'macos'],
    ['tool.deb', 'linux'],
    ['tool.rpm', 'linux'],
    ['install.sh', 'script'],
    ['Tool.AppImage', 'linux'],
    ['installer.run', 'linux'],
    ['game.apk', 'android'],
    ['bundle.aab', 'android'],
    ['adblock.crx', 'extension'],
    ['addon.xpi', 'extension'],
  ])('%s is %s software', (name, kind) => {
    expect(soft({ url: 'https://example.org/x', filename: name })).toBe(kind);
  });

  it('reads the last extension, so names that hide the type are caught and flagged', () => {
    const c = classifyDownload({ url: 'https://x.example/', filename: 'setup.pdf.exe' });
    expect(c).toMatchObject({ software: true, kind: 'windows', evidence: '.exe', disguised: true });
  });

  it('removes bidi controls that make an .exe look like a .pdf', () => {
    const c = classifyDownload({ url: 'https://x.example/', filename: 'invoice\u202Efdp.exe' });
    expect(c).toMatchObject({ software: true, name: 'invoicefdp.exe', disguised: true });
  });

  it('removes trailing dots and spaces, as Windows does', () => {
    expect(soft({ url: 'https://x.example/', filename: 'setup.exe. . ' })).toBe('windows');
  });

  it('takes the name from a full path (Firefox and Chrome give one)', () => {
    expect(baseName('C:\\Users\\staff\\Downloads\\setup.exe')).toBe('setup.exe');
    expect(baseName('/home/staff/Downloads/tool.deb')).toBe('tool.deb');
  });

  it('looks at the URL when the saved name does not say (and its final URL after redirects)', () => {
    expect(soft({ url: 'https://x.example/dl/Setup%20Tool.exe?v=2' })).toBe('windows');
    expect(
      soft({ url: 'https://x.example/get?id=3', finalUrl: 'https://cdn.example/files/a.msi' }),
    ).toBe('windows');
  });

  it('uses the Content-Disposition name the browser chose, even when the URL looks harmless', () => {
    expect(soft({ url: 'https://x.example/report.pdf', filename: 'report.pdf.exe' })).toBe(
      'windows',
    );
  });
});

describe('classifyDownload: software by MIME type', () => {
  it.each([
    ['application/x-msdownload', 'windows'],
    ['application/x-msi', 'windows'],
    ['application/vnd.microsoft.portable-executable', 'windows'],
    ['application/x-apple-diskimage', 'macos'],
    ['application/vnd.debian.binary-package', 'linux'],
    ['application/vnd.android.package-archive', 'android'],
    ['application/x-chrome-extension', 'extension'],
    ['application/x-xpinstall', 'extension'],
    ['application/x-sh; charset=utf-8', 'script'],
  ])('%s is %s software whatever the name says', (mime, kind) => {
    const c = classifyDownload({ url: 'https://x.example/file', filename: 'notes.txt', mime });
    expect(c.software && c.kind).toBe(kind);
  });
});

describe('classifyDownload: ordinary files are not software', () => {
  it.each([
    ['worksheet.pdf', 'application/pdf'],
    ['lesson.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['photo.jpg', 'image/jpeg'],
    ['data.csv', 'text/csv'],
    ['archive.zip', 'application/zip'],
    ['executive-summary.docx', 'application/octet-stream'],
    ['exe', 'application/octet-stream'],
  ])('%s', (filename, mime) => {
    expect(classifyDownload({ url: 'https://x.example/f', filename, mime })).toEqual({
      software: false,
    });
  });
});

describe('approved sources', () => {
  const allowFrom = ['software.stmarys.sch.uk', 'downloads.vendor.example/school/'];

  it('approves a listed domain and its subdomains, and a listed URL prefix', () => {
    expect(isApprovedSource(allowFrom, 'https://software.stmarys.sch.uk/a.msi')).toBe(true);
    expect(isApprovedSource(allowFrom, 'https://cdn.software.stmarys.sch.uk/a.msi')).toBe(true);
    expect(isApprovedSource(allowFrom, 'https://downloads.vendor.example/school/a.exe')).toBe(true);
    expect(isApprovedSource(allowFrom, 'https://downloads.vendor.example/other/a.exe')).toBe(false);
  });

  it('does not approve look-alikes, data: or blob: URLs', () => {
    expect(isApprovedSource(allowFrom, 'https://software.stmarys.sch.uk.evil.example/a')).toBe(
      false,
    );
    expect(isApprovedSource(allowFrom, 'https://evilsoftware.stmarys.sch.uk.example/a')).toBe(
      false,
    );
    expect(isApprovedSource(allowFrom, 'data:application/x-msdownload;base64,TVo=')).toBe(false);
    expect(isApprovedSource(allowFrom, 'blob:https://software.stmarys.sch.uk/1')).toBe(false);
  });
});

describe('decideDownload', () => {
  const exe = { url: 'https://tools.example/setup.exe', filename: 'setup.exe' };

  it('blocks software by default and lets other files through', () => {
    expect(decideDownload(DEFAULT_DOWNLOADS, exe).action).toBe('block');
    expect(
      decideDownload(DEFAULT_DOWNLOADS, { url: 'https://x.example/a.pdf', filename: 'a.pdf' }),
    ).toEqual({ action: 'allow', why: 'not-software' });
  });

  it('warns or allows per policy', () => {
    expect(decideDownload({ mode: 'warn', allowFrom: [] }, exe).action).toBe('warn');
    expect(decideDownload({ mode: 'allow', allowFrom: [] }, exe)).toEqual({
      action: 'allow',
      why: 'policy-allows',
    });
  });

  it('lets an approved source through, judged by where the bytes came from', () => {
    const policy = { mode: 'block' as const, allowFrom: ['portal.school.example'] };
    expect(
      decideDownload(policy, { url: 'https://portal.school.example/app.msi', filename: 'app.msi' }),
    ).toEqual({ action: 'allow', why: 'approved-source' });
    // An open redirect on the portal does not approve what it redirects to.
    expect(
      decideDownload(policy, {
        url: 'https://portal.school.example/go?to=evil',
        finalUrl: 'https://evil.example/app.msi',
        filename: 'app.msi',
      }).action,
    ).toBe('block');
  });

  it('names the site the file came from', () => {
    expect(siteOf({ url: 'https://a.example/x', finalUrl: 'https://cdn.b.example/x' })).toBe(
      'cdn.b.example',
    );
    expect(siteOf({ url: 'data:x', referrer: 'https://page.example/' })).toBe('page.example');
  });
});

describe('"Download anyway": one-time passes held by the worker', () => {
  const now = 1_800_000_000_000;
  const stopped = (mode: 'block' | 'warn', token = 't1'): StoppedDownload => ({
    token,
    url: 'https://tools.example/setup.exe',
    name: 'setup.exe',
    kind: 'windows',
    evidence: '.exe',
    disguised: false,
    site: 'tools.example',
    mode,
    stoppedAt: now,
  });
  const warnPolicy = { mode: 'warn' as const, allowFrom: [] };

  const URL_ = 'https://tools.example/setup.exe';

  it('grants one pass for a download stopped in warn mode, and the pass works once', () => {
    const ledger = recordStopped(EMPTY_LEDGER, stopped('warn'), now);
    const granted = grantPass(ledger, 't1', warnPolicy, now + 1000);
    expect(granted.ok).toBe(true);
    const bound = bindPass(granted.ledger, URL_, 41, now + 1500);
    const facts = { url: URL_ };
    const first = usePass(bound, facts, 41, now + 2000);
    expect(first.used).toBe(true);
    expect(usePass(first.ledger, facts, 41, now + 3000).used).toBe(false);
  });

  it('lets through only the download the worker started, not another of the same URL', () => {
    const granted = grantPass(
      recordStopped(EMPTY_LEDGER, stopped('warn'), now),
      't1',
      warnPolicy,
      now,
    );
    // Before the browser names the worker's download, nothing may use the pass.
    expect(usePass(granted.ledger, { url: URL_ }, 40, now).used).toBe(false);
    const bound = bindPass(granted.ledger, URL_, 41, now);
    // A second click on the link, or a page starting the file by script: another id.
    const other = usePass(bound, { url: URL_ }, 42, now);
    expect(other.used).toBe(false);
    // ...and the pass is still there for the worker's own download.
    expect(usePass(other.ledger, { url: URL_ }, 41, now).used).toBe(true);
  });

  it("matches the worker's download by its final URL after a redirect", () => {
    const granted = grantPass(
      recordStopped(EMPTY_LEDGER, stopped('warn'), now),
      't1',
      warnPolicy,
      now,
    );
    const bound = bindPass(granted.ledger, URL_, 7, now);
    expect(usePass(bound, { url: 'https://mirror.example/x', finalUrl: URL_ }, 7, now).used).toBe(
      true,
    );
  });

  it('drops the pass when the download could not start, and ignores a pass in an old shape', () => {
    const granted = grantPass(
      recordStopped(EMPTY_LEDGER, stopped('warn'), now),
      't1',
      warnPolicy,
      now,
    );
    expect(dropPass(granted.ledger, URL_, now).passes).toEqual({});
    const old = { stopped: {}, passes: { [URL_]: now + 60_000 } } as unknown as DownloadLedger;
    expect(usePass(old, { url: URL_ }, 0, now).used).toBe(false);
  });

  it('spends the token: asking twice does not give two passes', () => {
    const ledger = recordStopped(EMPTY_LEDGER, stopped('warn'), now);
    const once = grantPass(ledger, 't1', warnPolicy, now);
    const twice = grantPass(once.ledger, 't1', warnPolicy, now);
    expect(twice).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('refuses a token from a blocked download, an unknown token, and one the policy now blocks', () => {
    const blocked = recordStopped(EMPTY_LEDGER, stopped('block'), now);
    expect(grantPass(blocked, 't1', warnPolicy, now)).toMatchObject({
      ok: false,
      reason: 'not-warn',
    });
    const warned = recordStopped(EMPTY_LEDGER, stopped('warn'), now);
    expect(grantPass(warned, 'guess', warnPolicy, now)).toMatchObject({
      ok: false,
      reason: 'unknown',
    });
    expect(grantPass(warned, 't1', { mode: 'block', allowFrom: [] }, now)).toMatchObject({
      ok: false,
      reason: 'not-warn',
    });
  });

  it('lets a pass open only that URL, and only for a short while', () => {
    const ledger = recordStopped(EMPTY_LEDGER, stopped('warn'), now);
    const granted = grantPass(ledger, 't1', warnPolicy, now);
    const bound = bindPass(granted.ledger, URL_, 5, now);
    expect(usePass(bound, { url: 'https://tools.example/other.exe' }, 5, now).used).toBe(false);
    expect(usePass(bound, { url: URL_ }, 5, now + PASS_TTL_MS + 1).used).toBe(false);
  });

  it('forgets stopped downloads after their time', () => {
    const ledger: DownloadLedger = recordStopped(EMPTY_LEDGER, stopped('warn'), now);
    expect(grantPass(ledger, 't1', warnPolicy, now + STOPPED_TTL_MS + 1).ok).toBe(false);
  });
});

describe('the downloads policy key', () => {
  it('accepts a mode and approved sources', () => {
    const r = resolvePolicy({ downloads: { mode: 'warn', allowFrom: ['portal.school.example'] } });
    expect(r.ok && r.policy.downloads).toEqual({
      mode: 'warn',
      allowFrom: ['portal.school.example'],
    });
  });

  it('keeps the default mode when only sources are given', () => {
    const r = resolvePolicy({ downloads: { allowFrom: ['portal.school.example'] } });
    expect(r.ok && r.policy.downloads.mode).toBe('block');
  });

  it('rejects a bad mode or source, saying where', () => {
    const bad = resolvePolicy({ downloads: { mode: 'sometimes' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^downloads\.mode: /);
    const badSource = resolvePolicy({ downloads: { allowFrom: ['co.uk'] } });
    expect(badSource.ok).toBe(false);
    if (!badSource.ok) expect(badSource.errors[0]).toMatch(/^downloads\.allowFrom\[0\]: /);
  });
});

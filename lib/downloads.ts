/**
 * Software downloads: which downloaded files are software (installers, executables, scripts,
 * browser extensions packaged as files), whether policy lets this one through, and the one-time
 * passes "Download anyway" hands out. Pure; the service worker's downloads adapter
 * (platform/downloads.ts) feeds it what the browser says about a download and acts on the answer.
 *
 * Seeds: 000 §5.2 "Staff should not download or install software from external sources without
 * authorisation"; 003 §6.9 "you must not download or attempt to download any software"; 001, 002
 * and 004 say the same.
 *
 * A file is software when ANY of these says so: the name the browser will save it under (which
 * already reflects `Content-Disposition`), the last path segment of the URL it was requested from
 * or the URL it finally came from, or the MIME type the server sent. The real type is the LAST
 * extension (`setup.pdf.exe` is an .exe), after removing what Windows removes (trailing dots and
 * spaces) and the bidirectional-text controls used to make `invoice‮fdp.exe` look like a PDF.
 */
import * as v from 'valibot';
import { normaliseEntry, parentDomains, type UrlPrefix } from './domains.ts';

export const DOWNLOAD_MODES = ['block', 'warn', 'allow'] as const;
export type DownloadMode = (typeof DOWNLOAD_MODES)[number];

export type DownloadsPolicy = {
  /** What happens to software downloads from a source that is not approved. */
  mode: DownloadMode;
  /** Approved sources: domains or URL prefixes (the school's software portal, its vendors' CDNs). */
  allowFrom: string[];
};

/** With no policy: software downloads are blocked (every seed policy forbids them). */
export const DEFAULT_DOWNLOADS: DownloadsPolicy = { mode: 'block', allowFrom: [] };

export const DownloadsPolicySchema = v.object({
  mode: v.optional(v.picklist(DOWNLOAD_MODES, 'downloads.mode must be "block", "warn" or "allow"')),
  allowFrom: v.optional(
    v.pipe(
      v.array(v.string(), 'downloads.allowFrom must be a list of domains or URL prefixes'),
      v.maxLength(1_000, 'downloads.allowFrom may hold at most 1,000 entries'),
    ),
  ),
});

/** The kinds of software, as the download page names them to staff. */
export type SoftwareKind =
  | 'windows'
  | 'macos'
  | 'linux'
  | 'android'
  | 'ios'
  | 'extension'
  | 'script';

/** Extension (lower case, no dot) → kind. Multi-part extensions are checked first. */
const EXTENSIONS: Record<string, SoftwareKind> = {
  // Windows programs and installers
  exe: 'windows',
  msi: 'windows',
  msp: 'windows',
  msix: 'windows',
  msixbundle: 'windows',
  appx: 'windows',
  appxbundle: 'windows',
  appinstaller: 'windows',
  application: 'windows', // ClickOnce
  com: 'windows',
  scr: 'windows',
  pif: 'windows',
  cpl: 'windows',
  dll: 'windows',
  lnk: 'windows',
  reg: 'windows',
  iso: 'windows', // a disk image Windows opens with one click, a common way to deliver programs
  // Scripts that run when opened
  bat: 'script',
  cmd: 'script',
  ps1: 'script',
  psm1: 'script',
  vbs: 'script',
  vbe: 'script',
  js: 'script',
  jse: 'script',
  wsf: 'script',
  wsh: 'script',
  hta: 'script',
  jar: 'script',
  sh: 'script',
  command: 'script', // macOS Terminal script
  py: 'script',
  // macOS
  dmg: 'macos',
  pkg: 'macos',
  mpkg: 'macos',
  'app.zip': 'macos',
  // Linux
  deb: 'linux',
  rpm: 'linux',
  appimage: 'linux',
  run: 'linux',
  snap: 'linux',
  flatpak: 'linux',
  flatpakref: 'linux',
  // Android and iOS
  apk: 'android',
  aab: 'android',
  xapk: 'android',
  apks: 'android',
  ipa: 'ios',
  // Browser extensions packaged as files
  crx: 'extension',
  xpi: 'extension',
};

/** MIME types servers send for software (lower case, parameters removed). */
const MIME_TYPES: Record<string, SoftwareKind> = {
  'application/x-msdownload': 'windows',
  'application/x-msdos-program': 'windows',
  'application/x-dosexec': 'windows',
  'application/x-ms-installer': 'windows',
  'application/x-msi': 'windows',
  'application/x-ms-shortcut': 'windows',
  'application/vnd.microsoft.portable-executable': 'windows',
  'application/vnd.ms-appx': 'windows',
  'application/appx': 'windows',
  'application/msix': 'windows',
  'application/appinstaller': 'windows',
  'application/x-ms-application': 'windows',
  'application/x-iso9660-image': 'windows',
  'application/x-executable': 'linux',
  'application/x-elf': 'linux',
  'application/vnd.debian.binary-package': 'linux',
  'application/x-debian-package': 'linux',
  'application/x-rpm': 'linux',
  'application/x-redhat-package-manager': 'linux',
  'application/vnd.appimage': 'linux',
  'application/x-appimage': 'linux',
  'application/vnd.snap': 'linux',
  'application/x-apple-diskimage': 'macos',
  'application/vnd.apple.installer+xml': 'macos',
  'application/x-newton-compatible-pkg': 'macos',
  'application/vnd.android.package-archive': 'android',
  'application/x-chrome-extension': 'extension',
  'application/x-xpinstall': 'extension',
  'application/x-sh': 'script',
  'application/x-shellscript': 'script',
  'text/x-shellscript': 'script',
  'text/x-sh': 'script',
  'application/x-bat': 'script',
  'application/x-msbatch': 'script',
  'application/x-powershell': 'script',
  'text/vbscript': 'script',
  'application/hta': 'script',
  'application/java-archive': 'script',
  'application/x-java-archive': 'script',
};

/** What the browser tells us about a download (Chrome and Firefox `DownloadItem`, trimmed). */
export type DownloadFacts = {
  /** Where the link pointed. */
  url: string;
  /** Where the bytes finally came from, after redirects (Chrome); Firefox gives only `url`. */
  finalUrl?: string;
  /** The name (or full path) the browser will save it under. */
  filename?: string;
  /** The MIME type the server sent. */
  mime?: string;
  /** The page the download was started from. */
  referrer?: string;
};

export type Classification =
  | { software: false }
  | {
      software: true;
      kind: SoftwareKind;
      /** The file's name as staff should see it (path, bidi controls and trailing dots removed). */
      name: string;
      /** What gave it away: an extension (`.exe`) or a MIME type. */
      evidence: string;
      /** The name pretends to be something else (`setup.pdf.exe`, `report‮fdp.exe`). */
      disguised: boolean;
    };

// U+200E/F, U+202A–E, U+2066–9: marks that reorder how a name is displayed.
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const HAS_BIDI_CONTROL = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Extensions that make a name look harmless when they come before the real one. */
const HARMLESS_LOOKING =
  /\.(pdf|docx?|xlsx?|pptx?|txt|rtf|jpe?g|png|gif|mp3|mp4|mov|zip|csv|odt|html?)\./i;

/** The file name part of a path or URL path (`C:\Users\x\setup.exe`, `/dl/setup.exe?x=1`). */
export function baseName(pathOrName: string): string {
  const noQuery = pathOrName.split(/[?#]/, 1)[0] ?? '';
  const last = noQuery.split(/[\\/]/).pop() ?? '';
  let decoded = last;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    // Not percent-encoded text: use it as it is.
  }
  return decoded.replace(BIDI_CONTROLS, '').replace(/[. ]+$/, '');
}

/** The software kind a file name says, if any, by its last extension (or `.app.zip`). */
export function kindOfName(name: string): { kind: SoftwareKind; extension: string } | null {
  const lower = baseName(name).toLowerCase();
  if (lower.endsWith('.app.zip')) return { kind: 'macos', extension: 'app.zip' };
  const dot = lower.lastIndexOf('.');
  if (dot <= 0 && !lower.startsWith('.')) return null;
  const extension = lower.slice(dot + 1);
  const kind = EXTENSIONS[extension];
  return kind ? { kind, extension } : null;
}

export function kindOfMime(mime: string | undefined): SoftwareKind | null {
  if (!mime) return null;
  const type = mime.split(';', 1)[0]!.trim().toLowerCase();
  return MIME_TYPES[type] ?? null;
}

function urlPath(url: string | undefined): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ftp:'
      ? u.pathname
      : '';
  } catch {
    return '';
  }
}

/** Is this download software, and what says so? */
export function classifyDownload(facts: DownloadFacts): Classification {
  const candidates = [facts.filename, urlPath(facts.finalUrl), urlPath(facts.url)].filter(
    (n): n is string => typeof n === 'string' && baseName(n).length > 0,
  );
  const shownName =
    candidates.map(baseName).find((n) => n.length > 0) ?? baseName(urlPath(facts.url));
  for (const candidate of candidates) {
    const byName = kindOfName(candidate);
    if (byName) {
      const raw = baseName(candidate);
      const original = (candidate.split(/[\\/]/).pop() ?? '').split(/[?#]/, 1)[0] ?? '';
      return {
        software: true,
        kind: byName.kind,
        name: raw,
        evidence: `.${byName.extension}`,
        disguised: HARMLESS_LOOKING.test(raw) || HAS_BIDI_CONTROL.test(safeDecode(original)),
      };
    }
  }
  const byMime = kindOfMime(facts.mime);
  if (byMime) {
    return {
      software: true,
      kind: byMime,
      name: shownName || 'download',
      evidence: facts.mime!.split(';', 1)[0]!.trim().toLowerCase(),
      disguised: shownName.length > 0,
    };
  }
  return { software: false };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Approved sources as matchers, normalised like the allow list (invalid entries are refused by policy validation). */
function approvedSources(allowFrom: string[]): { domains: Set<string>; prefixes: UrlPrefix[] } {
  const domains = new Set<string>();
  const prefixes: UrlPrefix[] = [];
  for (const raw of allowFrom) {
    const entry = normaliseEntry(raw);
    if (!entry.ok) continue;
    if (entry.kind === 'domain') domains.add(entry.domain);
    else prefixes.push(entry.prefix);
  }
  return { domains, prefixes };
}

/**
 * Is `url` on an approved source? A domain covers its subdomains; a URL prefix matches its host
 * (or a subdomain) and the start of the path. Only http(s) counts: a `data:` or `blob:` download is
 * made by the page itself, so it has no source an admin could have approved.
 */
export function isApprovedSource(allowFrom: string[], url: string | undefined): boolean {
  if (!url || allowFrom.length === 0) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  const host = u.hostname.replace(/\.$/, '').toLowerCase();
  const { domains, prefixes } = approvedSources(allowFrom);
  const hosts = [host, ...parentDomains(host)];
  if (hosts.some((h) => domains.has(h))) return true;
  const path = `${u.pathname}${u.search}`;
  return prefixes.some((p) => hosts.includes(p.host) && path.startsWith(p.path));
}

export type DownloadDecision =
  | { action: 'allow'; why: 'not-software' | 'approved-source' | 'policy-allows' }
  | { action: 'block' | 'warn'; classification: Extract<Classification, { software: true }> };

/**
 * What policy says about a download. The source that counts is where the bytes come from (the
 * final URL after redirects): an open redirect on an approved site does not approve the file it
 * redirects to. When the browser does not say where it finally came from, the URL asked for is used.
 */
export function decideDownload(policy: DownloadsPolicy, facts: DownloadFacts): DownloadDecision {
  const classification = classifyDownload(facts);
  if (!classification.software) return { action: 'allow', why: 'not-software' };
  if (policy.mode === 'allow') return { action: 'allow', why: 'policy-allows' };
  const source = facts.finalUrl || facts.url;
  if (isApprovedSource(policy.allowFrom, source) && isApprovedSource(policy.allowFrom, facts.url)) {
    return { action: 'allow', why: 'approved-source' };
  }
  return { action: policy.mode, classification };
}

/** The site a download came from, as shown to staff (`downloads.example.com`), or null. */
export function siteOf(facts: DownloadFacts): string | null {
  for (const url of [facts.finalUrl, facts.url, facts.referrer]) {
    if (!url) continue;
    try {
      const u = new URL(url);
      if (u.protocol === 'http:' || u.protocol === 'https:') return u.hostname.replace(/\.$/, '');
    } catch {
      // try the next
    }
  }
  return null;
}

// ─── Stopped downloads and "Download anyway" passes ─────────────────────────────────────────────

/** A download Steward stopped, kept (in session storage) so its page can explain it. */
export type StoppedDownload = {
  token: string;
  url: string;
  name: string;
  kind: SoftwareKind;
  evidence: string;
  disguised: boolean;
  site: string | null;
  /** The mode that stopped it. */
  mode: 'block' | 'warn';
  stoppedAt: number;
};

/**
 * A granted "Download anyway". It is bound to the one download the worker itself starts
 * (`downloadId`, set by `bindPass` as soon as the browser names it). Until then it lets nothing
 * through, so another download of the same URL cannot spend it: not a second click on the link,
 * and not a page that starts the file by script while the pass is open.
 */
export type DownloadPass = { until: number; downloadId: number | null };

/** Stopped downloads and granted passes, as one serialisable record (service-worker state). */
export type DownloadLedger = {
  stopped: Record<string, StoppedDownload>;
  /** URL → its pass. A pass lets exactly one download through: the one Steward started. */
  passes: Record<string, DownloadPass>;
};

export const EMPTY_LEDGER: DownloadLedger = { stopped: {}, passes: {} };

/** How long a stopped download's page can still offer "Download anyway". */
export const STOPPED_TTL_MS = 30 * 60_000;
/** How long a granted pass waits for the browser to start its download. */
export const PASS_TTL_MS = 2 * 60_000;
/** Stopped downloads remembered at once (oldest forgotten first). */
const MAX_STOPPED = 50;

/** Drop what has expired. */
export function pruneLedger(ledger: DownloadLedger, now: number): DownloadLedger {
  const stopped = Object.fromEntries(
    Object.entries(ledger.stopped)
      .filter(([, s]) => now - s.stoppedAt < STOPPED_TTL_MS)
      .sort(([, a], [, b]) => b.stoppedAt - a.stoppedAt)
      .slice(0, MAX_STOPPED),
  );
  // A pass not in today's shape (stored by an older version) is dropped, not trusted.
  const passes = Object.fromEntries(
    Object.entries(ledger.passes).filter(
      ([, p]) => typeof p === 'object' && p !== null && p.until > now,
    ),
  );
  return { stopped, passes };
}

export function recordStopped(
  ledger: DownloadLedger,
  stopped: StoppedDownload,
  now: number,
): DownloadLedger {
  const pruned = pruneLedger(ledger, now);
  return { ...pruned, stopped: { ...pruned.stopped, [stopped.token]: stopped } };
}

export type GrantResult =
  | { ok: true; ledger: DownloadLedger; url: string }
  | { ok: false; ledger: DownloadLedger; reason: 'unknown' | 'not-warn' };

/**
 * "Download anyway": the page sends only its token. The pass is granted only if the token names a
 * download stopped in warn mode AND the policy in force now still says warn for it (re-derived
 * here, not taken from the page). The token is spent either way, so it works once.
 */
export function grantPass(
  ledger: DownloadLedger,
  token: string,
  policy: DownloadsPolicy,
  now: number,
): GrantResult {
  const pruned = pruneLedger(ledger, now);
  const stopped = pruned.stopped[token];
  if (!stopped) return { ok: false, ledger: pruned, reason: 'unknown' };
  const { [token]: _spent, ...rest } = pruned.stopped;
  const spent = { ...pruned, stopped: rest };
  // The classification is the worker's own (kept in its ledger); the mode is re-read from policy.
  if (stopped.mode !== 'warn' || policy.mode !== 'warn') {
    return { ok: false, ledger: spent, reason: 'not-warn' };
  }
  return {
    ok: true,
    url: stopped.url,
    ledger: {
      ...spent,
      passes: { ...spent.passes, [stopped.url]: { until: now + PASS_TTL_MS, downloadId: null } },
    },
  };
}

/** The browser named the download the worker started for `url`: only that one may use the pass. */
export function bindPass(
  ledger: DownloadLedger,
  url: string,
  downloadId: number,
  now: number,
): DownloadLedger {
  const pruned = pruneLedger(ledger, now);
  const pass = pruned.passes[url];
  if (!pass) return pruned;
  return { ...pruned, passes: { ...pruned.passes, [url]: { ...pass, downloadId } } };
}

/** The worker could not start the download: the pass goes, unused. */
export function dropPass(ledger: DownloadLedger, url: string, now: number): DownloadLedger {
  const { [url]: _dropped, ...passes } = pruneLedger(ledger, now).passes;
  return { ...pruneLedger(ledger, now), passes };
}

/**
 * Does a pass let this download through? Only the download the worker started for it (same id,
 * and its link or final URL is the pass's URL). If so the pass is used up.
 */
export function usePass(
  ledger: DownloadLedger,
  facts: DownloadFacts,
  downloadId: number,
  now: number,
): { used: boolean; ledger: DownloadLedger } {
  const pruned = pruneLedger(ledger, now);
  const url = [facts.url, facts.finalUrl].find(
    (u) => u !== undefined && pruned.passes[u]?.downloadId === downloadId,
  );
  if (url === undefined) return { used: false, ledger: pruned };
  const { [url]: _used, ...passes } = pruned.passes;
  return { used: true, ledger: { ...pruned, passes } };
}

/**
 * `steward dlp scan [--policy FILE] [--json] [--all] FILE…`: run the send-warning detectors over
 * saved emails (.eml) or plain-text files, so that admins can try their custom patterns and see
 * what staff would be warned about before they roll a policy out.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import PostalMime from 'postal-mime';
import { checkFlags, checkPattern } from '../lib/dlp/custom-patterns.ts';
import { thresholdFor } from '../lib/dlp/decision.ts';
import { confidenceAtLeast } from '../lib/dlp/detectors.ts';
import {
  type ComposePolicy,
  DEFAULT_COMPOSE_POLICY,
  parseComposePolicy,
} from '../lib/dlp/policy.ts';
import { type Finding, type MessageToScan, scanMessageWithReport } from '../lib/dlp/scan.ts';

export const summary = 'test confidential-data patterns on email files';

const HELP = `Usage: steward dlp scan [--policy FILE] [--json] [--all] FILE…
       steward dlp check-patterns [--json] POLICY.json

Scans saved emails (.eml: subject, text body or HTML converted to text, attachment names) or
plain-text files with the detectors behind Steward's send warning, and prints what was found:
type, confidence, field and a redacted preview. Nothing is sent anywhere.

Options:
  --policy FILE  JSON file with the managed policy; its "compose" key is used (custom patterns,
                 word lists, minConfidence, disabledDetectors). Without it, the defaults apply.
  --json         one JSON object per file per line:
                 {"file": …, "findings": [{"type", "confidence", "field", "start", "end", "preview"}]}
  --all          include findings below the policy's minConfidence (marked "below threshold")
  -h, --help     show this help

check-patterns lists every custom pattern of the policy's "compose" key and whether Steward can
run it. Patterns run on RE2, an engine that never backtracks, so none can freeze a compose
window; what RE2 cannot express (backreferences such as \\1, lookahead (?=…) and (?!…),
lookbehind (?<=…) and (?<!…)) is refused with the reason. Staff browsers leave refused patterns
out and carry on with the rest; the popup, options page and report show the same reasons.

Exit status: 0 when every file was scanned (every pattern usable), 1 when a file or the policy
could not be read (or a pattern was refused), 2 for a usage error.
`;

function fail(message: string, code = 1): number {
  process.stderr.write(`steward dlp: ${message}\n`);
  return code;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  pound: '£',
  ndash: '–',
  mdash: '—',
  hellip: '…',
};

/** Readable text from an HTML body: block elements become line breaks, tags go, entities decode. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|table|blockquote)\s*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, ' | ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X'
            ? Number.parseInt(name.slice(2), 16)
            : Number(name.slice(1));
        return Number.isFinite(code) && code > 0 && code < 0x110000
          ? String.fromCodePoint(code)
          : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A file looks like an email when it starts with RFC 5322 headers. */
function looksLikeEmail(path: string, text: string): boolean {
  if (/\.eml$/i.test(path)) return true;
  const head = text.slice(0, 4096);
  return (
    /^(?:[A-Za-z-]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)+\r?\n/.test(head) &&
    /^(?:subject|from|mime-version):/im.test(head)
  );
}

export async function readMessage(path: string): Promise<MessageToScan> {
  const buffer = await readFile(path);
  const text = buffer.toString('utf8');
  if (!looksLikeEmail(path, text)) return { subject: '', body: text, attachmentNames: [] };
  const email = await PostalMime.parse(buffer);
  const body = email.text?.trim() ? email.text : email.html ? htmlToText(email.html) : '';
  return {
    subject: email.subject ?? '',
    body,
    attachmentNames: email.attachments.map((a) => a.filename ?? '').filter((n) => n.length > 0),
  };
}

/** The policy file's `compose` key (undefined when absent), or why it cannot be read. */
async function readComposeKey(path: string): Promise<{ compose: unknown } | string[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const reason =
      error instanceof SyntaxError ? `not valid JSON (${error.message})` : describeError(error);
    return [`cannot read policy ${path}: ${reason}`];
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [`policy ${path} must be a JSON object with a "compose" key`];
  }
  return { compose: (raw as Record<string, unknown>).compose };
}

async function readPolicy(path: string): Promise<ComposePolicy | string[]> {
  const read = await readComposeKey(path);
  if (Array.isArray(read)) return read;
  const { compose } = read;
  if (compose === undefined) {
    process.stderr.write(`steward dlp: ${path} has no "compose" key; using the defaults\n`);
    return DEFAULT_COMPOSE_POLICY;
  }
  const parsed = parseComposePolicy(compose);
  return parsed.ok ? parsed.policy : parsed.errors.map((e) => `${path}: ${e}`);
}

function fieldLabel(f: Finding, message: MessageToScan): string {
  if (f.field !== 'attachment' || f.attachment === undefined) return f.field;
  return `attachment "${message.attachmentNames[f.attachment]}"`;
}

function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EISDIR') return 'is a directory';
    if (code === 'EACCES') return 'permission denied';
  }
  return error instanceof Error ? error.message : String(error);
}

async function scan(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (error) {
    return fail(`${describeError(error)}\n\n${HELP}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length === 0) return fail(`no files given.\n\n${HELP}`, 2);
  let policy = DEFAULT_COMPOSE_POLICY;
  if (values.policy) {
    const result = await readPolicy(values.policy);
    if (Array.isArray(result)) {
      for (const e of result) process.stderr.write(`steward dlp: ${e}\n`);
      return 1;
    }
    policy = result;
  }
  let status = 0;
  for (const file of positionals) {
    let message: MessageToScan;
    try {
      message = await readMessage(file);
    } catch (error) {
      status = fail(`cannot read ${file}: ${describeError(error)}`);
      continue;
    }
    const report = scanMessageWithReport(message, policy);
    const shown = report.findings
      .map((f) => ({ f, reported: confidenceAtLeast(f.confidence, thresholdFor(f, policy)) }))
      .filter((x) => values.all || x.reported);
    if (values.json) {
      const findings = shown.map(({ f, reported }) => ({
        type: f.type,
        confidence: f.confidence,
        field: f.field,
        start: f.start,
        end: f.end,
        preview: f.preview,
        ...(f.name ? { name: f.name } : {}),
        ...(f.attachment !== undefined ? { attachment: f.attachment } : {}),
        ...(values.all ? { reported } : {}),
      }));
      const line: Record<string, unknown> = { file, findings };
      if (report.incomplete.length > 0) line.incomplete = report.incomplete;
      process.stdout.write(`${JSON.stringify(line)}\n`);
      continue;
    }
    const count = shown.filter((x) => x.reported).length;
    process.stdout.write(
      `${file}: ${count === 0 ? 'nothing to warn about' : `${count} finding${count === 1 ? '' : 's'}`}\n`,
    );
    for (const { f, reported } of shown) {
      const type = f.name ? `${f.type} (${f.name})` : f.type;
      const note = reported ? '' : '  (below threshold)';
      process.stdout.write(
        `  ${type.padEnd(34)} ${f.confidence.padEnd(7)} ${fieldLabel(f, message).padEnd(10)} ${f.preview}${note}\n`,
      );
    }
    for (const i of report.incomplete) {
      process.stdout.write(`  note: custom pattern "${i.name}" (${i.field}): ${i.reason}\n`);
    }
  }
  return status;
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      policy: { type: 'string' },
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

export type PatternCheck = {
  index: number;
  name: string;
  pattern: string;
  flags: string;
  /** Null when Steward can run it. */
  refused: string | null;
};

/** Every custom pattern of a raw `compose` key, usable or refused (and why). */
export function checkPolicyPatterns(compose: unknown): PatternCheck[] {
  const list =
    compose && typeof compose === 'object' && !Array.isArray(compose)
      ? (compose as { customPatterns?: unknown }).customPatterns
      : undefined;
  if (!Array.isArray(list)) return [];
  return list.map((item, index) => {
    const p = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
    const name = typeof p.name === 'string' ? p.name : `(pattern ${index + 1})`;
    const pattern = typeof p.pattern === 'string' ? p.pattern : '';
    const flags = typeof p.flags === 'string' ? p.flags : '';
    const refused =
      typeof p.pattern !== 'string'
        ? 'pattern must be a string (a regular expression source)'
        : (checkFlags(flags) ?? checkPattern(pattern, flags));
    return { index, name, pattern, flags, refused };
  });
}

function parseCheckOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

async function checkPatterns(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCheckOptions>;
  try {
    parsed = parseCheckOptions(args);
  } catch (error) {
    return fail(`${describeError(error)}\n\n${HELP}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) return fail(`give one policy file.\n\n${HELP}`, 2);
  const file = positionals[0]!;
  const read = await readComposeKey(file);
  if (Array.isArray(read)) {
    for (const e of read) process.stderr.write(`steward dlp: ${e}\n`);
    return 1;
  }
  const checks = checkPolicyPatterns(read.compose);
  // Mistakes elsewhere in the compose key, so the admin sees the whole picture at once.
  const others =
    read.compose === undefined
      ? []
      : (() => {
          const r = parseComposePolicy(read.compose);
          return r.ok
            ? []
            : r.errors.filter((e) => !/^compose\.customPatterns\[\d+\]\.(pattern|flags):/.test(e));
        })();
  const refused = checks.filter((c) => c.refused !== null).length;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ file, patterns: checks, otherErrors: others })}\n`);
  } else {
    process.stdout.write(
      checks.length === 0
        ? `${file}: no custom patterns\n`
        : `${file}: ${checks.length - refused} of ${checks.length} custom pattern${checks.length === 1 ? '' : 's'} usable\n`,
    );
    for (const c of checks) {
      const where = `compose.customPatterns[${c.index}]`;
      process.stdout.write(
        c.refused === null
          ? `  ok       ${where} "${c.name}": ${c.pattern}${c.flags ? ` (flags ${c.flags})` : ''}\n`
          : `  refused  ${where} "${c.name}": ${c.refused}\n`,
      );
    }
    for (const e of others) process.stdout.write(`  error    ${e}\n`);
  }
  return refused > 0 || others.length > 0 ? 1 : 0;
}

export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command === 'check-patterns') return checkPatterns(rest);
  if (command !== 'scan') return fail(`unknown subcommand "${command}".\n\n${HELP}`, 2);
  return scan(rest);
}

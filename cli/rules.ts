/**
 * `steward rules …`: the admin's tools for signed rule lists (docs/rule-lists.md).
 *
 *   generate-key  make the signing key pair (private PEM file + public key for the policy)
 *   build         make a list from the built-in categories and the admin's source lists
 *   sign          write `<list>.sig` next to the list
 *   verify        check a list and its signature exactly as the extension will
 *
 * Exit codes: 0 done, 1 the input was read but is wrong (bad signature, invalid list, a file that
 * would be overwritten), 2 the command line itself is wrong.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isListFormat, type ListFormat, parseList, type SkippedLine } from '../lib/lists/parse.ts';
import { CATEGORY_ID, CATEGORY_MODES, type CategoryMode } from '../lib/policy.ts';
import {
  changeDocumentOf,
  parseChangeDocument,
  serialiseChangeDocument,
} from '../lib/rule-list/changes.ts';
import {
  domainCount,
  isBuiltInCategory,
  parseRuleList,
  RULE_LIST_FORMAT,
  type RuleListDocument,
  serialiseRuleList,
  toCompiledRuleList,
  urlPrefixToString,
  withChangesSince,
} from '../lib/rule-list/document.ts';
import {
  type CategoryDraft,
  categoriesFromDrafts,
  type DraftFinding,
  emptyDraft,
  findingsOf,
} from '../lib/rule-list/draft.ts';
import {
  generateRuleListKeyPair,
  publicKeyOf,
  signRuleList,
  verifyRuleList,
} from '../lib/rule-list/signature.ts';
import { sha256Hex } from '../lib/rule-list/update.ts';
import {
  HELP_OPTION,
  helpRequested,
  InputError,
  parseCommandLine,
  runCommand,
  UsageError,
} from './common.ts';

export const summary = 'build, sign and verify rule lists';

const DEFAULT_RULES_DIR = fileURLToPath(new URL('../rules/', import.meta.url));
const PRIVATE_KEY_FILE = 'rule-list-private.pem';
const PUBLIC_KEY_FILE = 'rule-list-public.txt';
/** Skipped lines shown one by one per source file; the rest are counted by reason. */
const SKIPPED_SHOWN_PER_FILE = 20;

const HELP = `Usage: steward rules <command> [options]

Commands:
  generate-key [--out DIR]
      Make a signing key pair. Writes DIR/${PRIVATE_KEY_FILE} (readable by you only; keep it
      secret and backed up) and DIR/${PUBLIC_KEY_FILE}, and prints the public key to put in the
      policy as ruleListPublicKey. Never overwrites an existing key.

  build --out list.json [options]
      Make a rule list from the built-in categories (rules/*.txt) and your source lists.
      --category ID=FILE[:FORMAT]  add a source list to category ID (repeatable). FILE may be a
                                   UT1 category folder (its "domains" and "urls" files).
                                   FORMAT: auto (default), plain, hosts, adblock, dnsmasq,
                                   ut1-domains, ut1-urls
      --allow FILE[:FORMAT]        entries for the list's allowList (repeatable)
      --block FILE[:FORMAT]        entries for the list's blockList (repeatable)
      --label ID=NAME              display name of a category (required for your own ids)
      --mode ID=MODE               the policy's mode for category ID (block, warn, allow), so
                                   build can point out domains in two categories with
                                   different modes (default: block)
      --clause ID=TEXT             policy clause shown on the block page for category ID
      --no-builtin                 leave out the built-in categories
      --version N                  list version (default: the current time in seconds); each
                                   published list must have a higher version than the last
      --expires DAYS               browsers refuse the list DAYS days after it is built
      --rules DIR                  folder of built-in lists (default: Steward's rules/)
      --format 2|1                 2 (default): domains compiled here, so each browser applies
                                   the list without re-checking every domain (Steward 0.2 and
                                   later); 1: domains listed plainly, for older Steward versions
      --previous FILE              the version published before (its exact file): the new list
                                   names what changed since, so browsers with that version in
                                   force apply a small change in milliseconds (format 2 only)

  sign --key ${PRIVATE_KEY_FILE} list.json
      Check the list and write its signature to list.json.sig.

  verify --public-key KEY list.json [list.json.sig]
      Check the signature and the list exactly as the browsers will. KEY is the base64 public
      key (the policy's ruleListPublicKey) or a file holding it.

Publish list.json and list.json.sig side by side at the address in the policy's ruleListUrl.
`;

export function run(args: string[]): Promise<number> {
  return runCommand('rules', HELP, { 'generate-key': generateKey, build, sign, verify }, args);
}

// ─── generate-key ──────────────────────────────────────────────────────────────────────────────

async function generateKey(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('generate-key', () =>
    parseArgs({
      args,
      options: { out: { type: 'string' }, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (helpRequested(values, HELP)) return 0;
  if (positionals.length > 0) throw new UsageError(`generate-key: unexpected "${positionals[0]}".`);
  const dir = path.resolve(typeof values.out === 'string' ? values.out : '.');
  const privateFile = path.join(dir, PRIVATE_KEY_FILE);
  const publicFile = path.join(dir, PUBLIC_KEY_FILE);
  for (const file of [privateFile, publicFile]) {
    if (existsSync(file)) {
      throw new InputError(
        `${file} already exists; not overwriting it (browsers may already trust that key). Move it away or use --out with another folder.`,
      );
    }
  }
  await mkdir(dir, { recursive: true });
  const keys = await generateRuleListKeyPair();
  // 'wx': fail rather than overwrite if the file appeared meanwhile; 0600: the private key is
  // what lets anyone decide what every staff browser blocks.
  writeFileSync(privateFile, keys.privateKeyPem, { mode: 0o600, flag: 'wx' });
  writeFileSync(publicFile, `${keys.publicKey}\n`, { flag: 'wx' });
  process.stdout.write(
    [
      `Wrote ${privateFile} (private: keep it secret, readable by you only, and backed up).`,
      `Wrote ${publicFile}.`,
      '',
      'Public key: put this in the policy as ruleListPublicKey:',
      '',
      keys.publicKey,
      '',
    ].join('\n'),
  );
  return 0;
}

// ─── build ─────────────────────────────────────────────────────────────────────────────────────

type Source = { file: string; format: ListFormat | 'auto' };

async function build(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('build', () =>
    parseArgs({
      args,
      options: {
        out: { type: 'string', short: 'o' },
        version: { type: 'string' },
        expires: { type: 'string' },
        category: { type: 'string', multiple: true },
        allow: { type: 'string', multiple: true },
        block: { type: 'string', multiple: true },
        label: { type: 'string', multiple: true },
        clause: { type: 'string', multiple: true },
        mode: { type: 'string', multiple: true },
        'no-builtin': { type: 'boolean' },
        rules: { type: 'string' },
        format: { type: 'string' },
        previous: { type: 'string' },
        ...HELP_OPTION,
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (helpRequested(values, HELP)) return 0;
  if (positionals.length > 0) {
    throw new UsageError(
      `build: unexpected "${positionals[0]}" (source lists go in --category ID=FILE).`,
    );
  }
  if (typeof values.out !== 'string') throw new UsageError('build: --out list.json is required.');
  const out = path.resolve(values.out);
  const now = Date.now();
  const version =
    values.version === undefined
      ? Math.floor(now / 1000)
      : positiveInteger(values.version, '--version');
  const expiresDays =
    values.expires === undefined ? undefined : positiveNumber(values.expires, '--expires');
  const format = values.format ?? '2';
  if (format !== '1' && format !== '2') {
    throw new UsageError(`build: --format ${format}: expected 2 (compiled, the default) or 1.`);
  }
  const labels = keyValues(values.label ?? [], '--label', 'ID=NAME');
  const clauses = keyValues(values.clause ?? [], '--clause', 'ID=TEXT');
  const modes: Record<string, CategoryMode> = {};
  for (const [id, mode] of keyValues(values.mode ?? [], '--mode', 'ID=MODE')) {
    if (!(CATEGORY_MODES as readonly string[]).includes(mode)) {
      throw new UsageError(`--mode ${id}=${mode}: the mode is block, warn or allow.`);
    }
    modes[id] = mode as CategoryMode;
  }

  const drafts = new Map<string, CategoryDraft>();
  const draft = (id: string) => {
    let d = drafts.get(id);
    if (!d) {
      d = emptyDraft();
      drafts.set(id, d);
    }
    return d;
  };
  const skipped = new Map<string, SkippedLine[]>();
  const addParsed = (id: string, source: Source, label: string) => {
    const text = readSource(source.file);
    const parsed = parseList(text, source.format, label);
    const d = draft(id);
    d.read += parsed.domains.length + parsed.urlPrefixes.length;
    for (const domain of parsed.domains) d.domains.add(domain);
    for (const prefix of parsed.urlPrefixes) d.urlPrefixes.set(urlPrefixToString(prefix), prefix);
    d.sources.push(source.format === 'auto' ? `${label} (${parsed.format})` : label);
    if (parsed.skipped.length > 0)
      skipped.set(label, [...(skipped.get(label) ?? []), ...parsed.skipped]);
  };

  if (!values['no-builtin']) {
    const rulesDir = path.resolve(
      typeof values.rules === 'string' ? values.rules : DEFAULT_RULES_DIR,
    );
    if (!existsSync(rulesDir))
      throw new InputError(
        `the built-in lists folder ${rulesDir} does not exist (use --no-builtin to leave them out).`,
      );
    for (const name of readdirSync(rulesDir).sort()) {
      if (!name.endsWith('.txt')) continue;
      const id = name.slice(0, -4);
      if (!CATEGORY_ID.test(id)) continue;
      addParsed(id, { file: path.join(rulesDir, name), format: 'plain' }, `rules/${name}`);
    }
  }
  for (const spec of values.category ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) {
      throw new UsageError(
        `--category "${spec}": expected ID=FILE[:FORMAT], e.g. gambling=ut1/gambling/domains.`,
      );
    }
    const id = spec.slice(0, eq);
    if (!CATEGORY_ID.test(id)) {
      throw new UsageError(
        `--category "${spec}": "${id}" is not a category id (a-z, 0-9, "_" and "-", starting with a letter, at most 40).`,
      );
    }
    for (const source of expandSource(spec.slice(eq + 1), '--category'))
      addParsed(id, source, source.file);
  }

  const listEntries = (specs: string[], option: string) => {
    const entries = new Map<string, true>();
    for (const spec of specs) {
      for (const source of expandSource(spec, option)) {
        const parsed = parseList(readSource(source.file), source.format, source.file);
        for (const domain of parsed.domains) entries.set(domain, true);
        for (const prefix of parsed.urlPrefixes) entries.set(urlPrefixToString(prefix), true);
        if (parsed.skipped.length > 0)
          skipped.set(source.file, [...(skipped.get(source.file) ?? []), ...parsed.skipped]);
      }
    }
    return [...entries.keys()].sort();
  };
  const allowList = listEntries(values.allow ?? [], '--allow');
  const blockList = listEntries(values.block ?? [], '--block');

  for (const id of [...labels.keys(), ...clauses.keys()]) {
    if (!CATEGORY_ID.test(id)) throw new UsageError(`"${id}" is not a category id.`);
    if (!drafts.has(id))
      throw new UsageError(`--label/--clause for "${id}", but no list adds to that category.`);
  }

  const { categories, covered } = categoriesFromDrafts(drafts, labels, clauses);
  const missingLabels = Object.keys(categories).filter(
    (id) => !isBuiltInCategory(id) && !labels.has(id),
  );
  if (missingLabels.length > 0) {
    throw new InputError(
      `${missingLabels.map((id) => `"${id}"`).join(', ')} ${missingLabels.length === 1 ? 'is not a built-in category' : 'are not built-in categories'}: give ${missingLabels.length === 1 ? 'it' : 'each'} a name for staff with --label ID=NAME (e.g. --label ${missingLabels[0]}="${missingLabels[0]!.replace(/[-_]/g, ' ')}").`,
    );
  }

  let document: RuleListDocument = {
    format: RULE_LIST_FORMAT,
    version,
    issuedAt: new Date(now).toISOString(),
    categories,
  };
  if (expiresDays !== undefined)
    document.expiresAt = new Date(now + expiresDays * 86_400_000).toISOString();
  if (allowList.length > 0) document.allowList = allowList;
  if (blockList.length > 0) document.blockList = blockList;
  if (format === '2') document = await toCompiledRuleList(document);
  let previousBuilt: { document: RuleListDocument; sha256: string } | null = null;
  if (values.previous !== undefined) {
    if (format !== '2') throw new UsageError('build: --previous needs --format 2.');
    const bytes = readFileSync(path.resolve(values.previous));
    const previous = parseRuleList(new Uint8Array(bytes));
    if (!previous.ok) {
      throw new InputError(`--previous ${values.previous}: not a rule list: ${previous.reason}`);
    }
    if (previous.document.version >= version) {
      throw new InputError(
        `--previous ${values.previous} is version ${previous.document.version}; this one (${version}) must be higher.`,
      );
    }
    const previousSha256 = await sha256Hex(bytes);
    document = await withChangesSince(document, previous.document, previousSha256);
    previousBuilt = { document: previous.document, sha256: previousSha256 };
  }

  const text = serialiseRuleList(document);
  const check = parseRuleList(new TextEncoder().encode(text));
  if (!check.ok) {
    throw new InputError(
      `the list built would not be accepted by browsers:\n  ${check.errors.join('\n  ')}`,
    );
  }
  writeFileSync(out, text);
  const findings = findingsOf(document, modes, covered);
  process.stdout.write(
    buildReport(out, document, text.length, check.entries, skipped, findings, drafts),
  );
  // The change document beside it (lib/rule-list/changes.ts): browsers with the previous version
  // in force take it instead of the whole list. A stale one from an earlier build goes.
  const changesFile = `${out}.changes`;
  rmSync(changesFile, { force: true });
  rmSync(`${changesFile}.sig`, { force: true });
  if (previousBuilt) {
    const made = await changeDocumentOf(
      document,
      previousBuilt.document,
      previousBuilt.sha256,
      await sha256Hex(new TextEncoder().encode(text)),
    );
    if (made.ok) {
      const changesText = serialiseChangeDocument(made.document);
      writeFileSync(changesFile, changesText);
      process.stdout.write(
        `Also wrote ${changesFile} (${changesText.length.toLocaleString('en-GB')} bytes): what changed since version ${previousBuilt.document.version}, for browsers that have it. "steward rules sign" signs it with the list; publish it and its .sig next to the list.\n`,
      );
    } else {
      process.stdout.write(
        `No change document: ${made.reason} Browsers will fetch the whole list.\n`,
      );
    }
  }
  return 0;
}

/** `FILE[:FORMAT]`, or a UT1 category folder (its `domains` and `urls` files). */
function expandSource(spec: string, option: string): Source[] {
  let file = spec;
  let format: ListFormat | 'auto' = 'auto';
  const colon = spec.lastIndexOf(':');
  if (colon > 0) {
    const suffix = spec.slice(colon + 1);
    if (suffix === 'auto' || isListFormat(suffix)) {
      file = spec.slice(0, colon);
      format = suffix;
    } else if (!existsSync(spec) && /^[a-z0-9-]+$/.test(suffix)) {
      throw new UsageError(
        `${option} "${spec}": unknown format "${suffix}" (auto, plain, hosts, adblock, dnsmasq, ut1-domains, ut1-urls).`,
      );
    }
  }
  if (!existsSync(file)) throw new InputError(`${option}: ${file} does not exist.`);
  if (statSync(file).isDirectory()) {
    const sources: Source[] = [];
    const domains = path.join(file, 'domains');
    const urls = path.join(file, 'urls');
    if (existsSync(domains)) sources.push({ file: domains, format: 'ut1-domains' });
    if (existsSync(urls)) sources.push({ file: urls, format: 'ut1-urls' });
    if (sources.length === 0) {
      throw new InputError(
        `${option}: ${file} is a folder without "domains" or "urls" files (expected a UT1 category folder).`,
      );
    }
    return sources;
  }
  return [{ file, format }];
}

function readSource(file: string): string {
  try {
    const bytes = readFileSync(file);
    if (bytes.subarray(0, 4096).includes(0)) {
      throw new InputError(
        `${file} is a binary file, not a text list (is it still compressed? UT1 lists come as .tar.gz).`,
      );
    }
    return bytes.toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function buildReport(
  out: string,
  document: RuleListDocument,
  bytes: number,
  entries: number,
  skipped: Map<string, SkippedLine[]>,
  findings: DraftFinding[],
  drafts: Map<string, CategoryDraft>,
): string {
  const n = (x: number) => x.toLocaleString('en-GB');
  const lines: string[] = [];
  lines.push(
    `Wrote ${out}: version ${document.version}, ${n(entries)} entries, ${(bytes / 1024 / 1024).toFixed(1)} MB${document.expiresAt ? `, expires ${document.expiresAt}` : ''}.`,
    '',
    'Categories:',
  );
  const width = Math.max(10, ...Object.keys(document.categories).map((id) => id.length));
  for (const [id, category] of Object.entries(document.categories)) {
    const prefixes = category.urlPrefixes?.length ?? 0;
    const label = category.label ? ` "${category.label}"` : '';
    lines.push(
      `  ${id.padEnd(width)}  ${n(domainCount(category)).padStart(9)} domains${prefixes > 0 ? `, ${n(prefixes)} URL prefixes` : ''}${label}`,
    );
    lines.push(`  ${''.padEnd(width)}  from ${drafts.get(id)!.sources.join(', ')}`);
  }
  if (document.allowList)
    lines.push(
      `  ${'allowList'.padEnd(width)}  ${n(document.allowList.length).padStart(9)} entries`,
    );
  if (document.blockList)
    lines.push(
      `  ${'blockList'.padEnd(width)}  ${n(document.blockList.length).padStart(9)} entries`,
    );
  let duplicates = 0;
  for (const d of drafts.values()) duplicates += d.read - d.domains.size - d.urlPrefixes.size;
  if (duplicates > 0) {
    lines.push(
      '',
      `Merged ${n(duplicates)} duplicate entries (listed twice, or with and without "www.").`,
    );
  }
  if (findings.length === 0) {
    lines.push('', 'Nothing to check before publishing: no conflicts between categories.');
  } else {
    lines.push('', 'Check before publishing:');
    for (const f of findings) {
      lines.push(`  ${f.message}`);
      for (const example of f.examples) lines.push(`    ${example}`);
    }
  }
  const totalSkipped = [...skipped.values()].reduce((sum, list) => sum + list.length, 0);
  if (totalSkipped === 0) {
    lines.push('', 'No source lines were skipped.');
  } else {
    lines.push('', `Skipped ${n(totalSkipped)} source lines that could not be used:`);
    for (const [file, list] of skipped) {
      lines.push(`  ${file}: ${n(list.length)} line${list.length === 1 ? '' : 's'}`);
      for (const s of list.slice(0, SKIPPED_SHOWN_PER_FILE)) {
        lines.push(`    line ${s.line}: ${s.text}  (${s.reason})`);
      }
      if (list.length > SKIPPED_SHOWN_PER_FILE) {
        const byReason = new Map<string, number>();
        for (const s of list.slice(SKIPPED_SHOWN_PER_FILE)) {
          const kind = s.reason.replace(/"[^"]*"/g, '…');
          byReason.set(kind, (byReason.get(kind) ?? 0) + 1);
        }
        lines.push(`    … and ${n(list.length - SKIPPED_SHOWN_PER_FILE)} more:`);
        for (const [kind, count] of [...byReason].sort((a, b) => b[1] - a[1])) {
          lines.push(`      ${n(count).padStart(9)} × ${kind}`);
        }
      }
    }
  }
  const listArg = shellWord(path.relative(process.cwd(), out) || out);
  lines.push(
    '',
    'Next, sign it (with the key from steward rules generate-key):',
    '',
    `  npx steward rules sign --key ${PRIVATE_KEY_FILE} ${listArg}`,
    '',
    `Then publish ${listArg} and ${listArg}.sig together: on Steward's admin server, upload both`,
    'on the dashboard\'s "Rule lists" page (offline signing); on your own web server, copy the',
    '.sig file last.',
    '',
  );
  return lines.join('\n');
}

/** A path as one shell word, quoted only when it needs to be. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

// ─── sign ──────────────────────────────────────────────────────────────────────────────────────

async function sign(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('sign', () =>
    parseArgs({
      args,
      options: { key: { type: 'string', short: 'k' }, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (helpRequested(values, HELP)) return 0;
  if (typeof values.key !== 'string')
    throw new UsageError(`sign: --key ${PRIVATE_KEY_FILE} is required.`);
  if (positionals.length !== 1)
    throw new UsageError('sign: name one list file, e.g. steward rules sign --key KEY list.json');
  const listFile = path.resolve(positionals[0]!);
  const bytes = readBytes(listFile, 'the list');
  const pem = readBytes(path.resolve(values.key), 'the private key').toString('utf8');
  const parsed = parseRuleList(bytes);
  if (!parsed.ok) {
    throw new InputError(
      `not signing ${listFile}: browsers would refuse it.\n  ${parsed.errors.join('\n  ')}`,
    );
  }
  let signature: string;
  let publicKey: string;
  try {
    signature = await signRuleList(bytes, pem);
    publicKey = await publicKeyOf(pem);
  } catch (error) {
    throw new InputError(
      `cannot sign with ${values.key}: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  const sigFile = `${listFile}.sig`;
  writeFileSync(sigFile, `${signature}\n`);
  // The change document `build --previous` wrote beside the list, if it leads to this list.
  const changesFile = `${listFile}.changes`;
  let changesNote = '';
  if (existsSync(changesFile)) {
    const changes = parseChangeDocument(readBytes(changesFile, 'the change document'));
    const listSha256 = await sha256Hex(bytes);
    if (!changes.ok || changes.document.result !== listSha256) {
      rmSync(`${changesFile}.sig`, { force: true });
      changesNote = `Not signing ${changesFile}: ${changes.ok ? 'it leads to another version of the list' : changes.reason} Delete it, or build again with --previous.`;
    } else {
      const changesBytes = readBytes(changesFile, 'the change document');
      writeFileSync(`${changesFile}.sig`, `${await signRuleList(changesBytes, pem)}\n`);
      changesNote = `Also signed ${changesFile} (wrote ${changesFile}.sig): publish both next to the list.`;
    }
  }
  process.stdout.write(
    [
      `Signed ${listFile} (version ${parsed.document.version}, ${parsed.entries.toLocaleString('en-GB')} entries).`,
      `Wrote ${sigFile}.`,
      `Browsers accept it if their policy's ruleListPublicKey is:`,
      `  ${publicKey}`,
      `Publish both files side by side; do not change a byte of ${path.basename(listFile)} after signing.`,
      ...(changesNote ? [changesNote] : []),
      '',
    ].join('\n'),
  );
  return 0;
}

// ─── verify ────────────────────────────────────────────────────────────────────────────────────

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('verify', () =>
    parseArgs({
      args,
      options: { 'public-key': { type: 'string', short: 'p' }, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (helpRequested(values, HELP)) return 0;
  const keyArg = values['public-key'];
  if (typeof keyArg !== 'string')
    throw new UsageError('verify: --public-key KEY (base64, or a file holding it) is required.');
  if (positionals.length < 1 || positionals.length > 2) {
    throw new UsageError('verify: name the list file, and optionally its signature file.');
  }
  const listFile = path.resolve(positionals[0]!);
  const sigFile = path.resolve(positionals[1] ?? `${positionals[0]}.sig`);
  const publicKey =
    existsSync(keyArg) && statSync(keyArg).isFile() ? readFileSync(keyArg, 'utf8').trim() : keyArg;
  const bytes = readBytes(listFile, 'the list');
  const signature = readBytes(sigFile, 'the signature').toString('utf8');
  const verified = await verifyRuleList(bytes, signature, publicKey);
  if (!verified.ok) {
    process.stderr.write(`FAILED: ${listFile}\n  ${verified.reason}\n`);
    return 1;
  }
  const parsed = parseRuleList(bytes);
  if (!parsed.ok) {
    process.stderr.write(
      `FAILED: ${listFile} is correctly signed but browsers would refuse it:\n  ${parsed.errors.join('\n  ')}\n`,
    );
    return 1;
  }
  const doc = parsed.document;
  if (doc.expiresAt !== undefined && Date.parse(doc.expiresAt) <= Date.now()) {
    process.stderr.write(
      `FAILED: ${listFile} is correctly signed but expired at ${doc.expiresAt}; browsers refuse it.\n`,
    );
    return 1;
  }
  const n = (x: number) => x.toLocaleString('en-GB');
  const lines = [
    `OK: ${listFile} is signed by the given key and valid.`,
    `  version ${doc.version}, issued ${doc.issuedAt}${doc.expiresAt ? `, expires ${doc.expiresAt}` : ', no expiry'}`,
  ];
  for (const [id, c] of Object.entries(doc.categories)) {
    lines.push(
      `  ${id}: ${n(domainCount(c))} domains${c.urlPrefixes?.length ? `, ${n(c.urlPrefixes.length)} URL prefixes` : ''}`,
    );
  }
  if (doc.allowList) lines.push(`  allowList: ${n(doc.allowList.length)} entries`);
  if (doc.blockList) lines.push(`  blockList: ${n(doc.blockList.length)} entries`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

// ─── helpers ───────────────────────────────────────────────────────────────────────────────────

function readBytes(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new InputError(
      code === 'ENOENT'
        ? `${what} file ${file} does not exist.`
        : `cannot read ${what} file ${file}: ${String(error)}`,
    );
  }
}

function positiveInteger(value: string, option: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${option} "${value}": expected a whole number of 1 or more.`);
  }
  return n;
}

function positiveNumber(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${option} "${value}": expected a number of days above 0.`);
  return n;
}

function keyValues(specs: string[], option: string, shape: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1)
      throw new UsageError(`${option} "${spec}": expected ${shape}.`);
    map.set(spec.slice(0, eq), spec.slice(eq + 1));
  }
  return map;
}

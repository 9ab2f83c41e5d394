/**
 * A signed rule list as a publisher puts it on a static host, for the benches: `list.json` and its
 * `.sig`, and for a small change the change document `list.json.changes` and its `.sig` beside it,
 * as `steward rules build --previous` and `steward rules sign` write them (docs/rule-lists.md).
 */
import { changeDocumentOf, serialiseChangeDocument } from '../lib/rule-list/changes.ts';
import {
  type RuleListDocument,
  serialiseRuleList,
  withChangesSince,
} from '../lib/rule-list/document.ts';
import { signRuleList } from '../lib/rule-list/signature.ts';
import { sha256Hex } from '../lib/rule-list/update.ts';
import type { FileServer } from './chromium.ts';

export type Published = { bytes: Uint8Array; document: RuleListDocument };

/** Serve `document` (already in the format wanted) as the whole list; no change document. */
export async function publishList(
  files: FileServer,
  privateKeyPem: string,
  document: RuleListDocument,
): Promise<Published> {
  const bytes = new TextEncoder().encode(serialiseRuleList(document));
  files.remove('/list.json.changes');
  files.remove('/list.json.changes.sig');
  files.set('/list.json', bytes);
  files.set('/list.json.sig', await signRuleList(bytes, privateKeyPem), 'text/plain');
  return { bytes, document };
}

/**
 * Serve `next` (a plain list) as a small change since `previous`: the compiled list with its
 * `changes`, and the signed change document beside it.
 */
export async function publishSmallChange(
  files: FileServer,
  privateKeyPem: string,
  previous: Published,
  next: RuleListDocument,
): Promise<Published & { changed: number; changesBytes: number }> {
  const since = await sha256Hex(previous.bytes);
  const document = await withChangesSince(next, previous.document, since);
  const bytes = new TextEncoder().encode(serialiseRuleList(document));
  const made = await changeDocumentOf(document, previous.document, since, await sha256Hex(bytes));
  if (!made.ok) throw new Error(`no change document: ${made.reason}`);
  const changesBytes = new TextEncoder().encode(serialiseChangeDocument(made.document));
  files.set('/list.json', bytes);
  files.set('/list.json.sig', await signRuleList(bytes, privateKeyPem), 'text/plain');
  files.set('/list.json.changes', changesBytes);
  files.set(
    '/list.json.changes.sig',
    await signRuleList(changesBytes, privateKeyPem),
    'text/plain',
  );
  return {
    bytes,
    document,
    changed: document.changes?.domains.length ?? 0,
    changesBytes: changesBytes.byteLength,
  };
}

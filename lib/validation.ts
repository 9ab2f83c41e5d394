/**
 * Turning valibot issues into the messages admins read: `where: what is wrong`. Every policy and
 * list parser reports problems this way, so one admin sees one shape of message whichever file or
 * key they got wrong.
 */
import type * as v from 'valibot';

/**
 * Where in the checked value an issue is, e.g. `compose.customPatterns[2].pattern`: `root` (the
 * key the value sits under, if any) then each key, array indexes in brackets. '' for the value
 * itself when there is no root.
 */
export function issuePath(issue: v.BaseIssue<unknown>, root = ''): string {
  let path = root;
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    if (typeof key === 'number') path += `[${key}]`;
    else path += path === '' ? String(key) : `.${String(key)}`;
  }
  return path;
}

export interface IssueWording {
  /** The key the checked value sits under, put before the path (`compose`, `mailbox`). */
  root?: string;
  /** Said instead of valibot's message (a caller that knows better what the issue means). */
  message?: string;
  /** End with a full stop: the managed-policy and rule-list messages are sentences. */
  fullStop?: boolean;
}

/** `compose.customPatterns[2].pattern: unterminated group` (just the message at the root). */
export function describeIssue(issue: v.BaseIssue<unknown>, wording: IssueWording = {}): string {
  const path = issuePath(issue, wording.root);
  const message = wording.message ?? issue.message;
  const text = path ? `${path}: ${message}` : message;
  return wording.fullStop ? `${text}.` : text;
}

/** valibot's default "Invalid type: Expected …" said plainly, for schemas without own messages. */
export function plainTypeMessage(message: string): string {
  return message.replace(/^Invalid type: /, 'wrong type: ');
}

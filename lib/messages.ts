/**
 * Messages between Steward's contexts, as one typed union. Named by sender and intent. The
 * background checks who sent each one (only the extension's own pages may).
 */
import type { UrlVerdict } from './compiler.ts';

export type BlockPageOpened = {
  type: 'blockPage/opened';
  category: string;
  mode: 'block' | 'warn';
};

/** Staff chose "Continue" on a warning: allow this host in this tab for a while. */
export type BlockPageContinue = {
  type: 'blockPage/continue';
  category: string;
  host: string;
};

export type OptionsTestUrl = { type: 'options/testUrl'; url: string };

export type RequestPolicyRefresh = { type: 'popup/refreshPolicy' };

export type StewardMessage =
  | BlockPageOpened
  | BlockPageContinue
  | OptionsTestUrl
  | RequestPolicyRefresh;

export type StewardReply = {
  'blockPage/opened': { ok: true };
  'blockPage/continue': { ok: true } | { ok: false; reason: string };
  'options/testUrl': UrlVerdict;
  'popup/refreshPolicy': { ok: true };
};

export function isStewardMessage(value: unknown): value is StewardMessage {
  if (!value || typeof value !== 'object') return false;
  const type = (value as { type?: unknown }).type;
  return (
    type === 'blockPage/opened' ||
    type === 'blockPage/continue' ||
    type === 'options/testUrl' ||
    type === 'popup/refreshPolicy'
  );
}

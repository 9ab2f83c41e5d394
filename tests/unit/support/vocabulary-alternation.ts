import type { CompiledVocabulary } from '../../../lib/dlp/detectors.ts';

/**
 * What a vocabulary's one alternation (`v.re`, the reference the gated walk replaced) finds: the
 * differential tests hold the walk's matches to it.
 */
export function alternationFinds(
  v: CompiledVocabulary,
  text: string,
): { index: number; text: string }[] {
  const out: { index: number; text: string }[] = [];
  v.re.lastIndex = 0;
  for (let m = v.re.exec(text); m; m = v.re.exec(text)) out.push({ index: m.index, text: m[0] });
  return out;
}

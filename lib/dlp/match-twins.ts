/**
 * Where a global search's matches start and end, without `exec` (h35-scan). `exec` makes an array
 * and a string per match (and one per capture); people lists read only where each full-name pair
 * is (~45 KB of match arrays a 100 KB scan).
 *
 * - `ahead`: the search inside a lookahead (`(?=(?:…))`, global). It matches with no width at
 *   the first place from `lastIndex` where the search matches, so its `test` leaves `lastIndex`
 *   at the start of the match `exec` would find.
 * - `at`: the same search, sticky. Tried at that start it tries the same alternatives in the same
 *   order, so it ends where that match ends.
 *
 * Searching on from that end (one further for an empty match) is what an `exec` loop does, so
 * `forEachMatch` gives exactly the loop's matches. The twins must be compiled before the
 * vocabulary, as the search itself (compile-first.ts).
 *
 * Slower than `exec` on long texts: irregexp cannot skip ahead through a lookahead as it does
 * through the search's own first characters. Tried for the keyword searches (line by line and
 * over the whole text) and `DOB_KEYS`, it cut ~80 KB a scan but made the identifier and birth-date
 * stages ~0.3 and ~0.2 ms slower on issue 13's message, so it is used only on single lines.
 */
export type MatchTwins = { readonly ahead: RegExp; readonly at: RegExp };

export function matchTwins(re: RegExp): MatchTwins {
  const flags = re.flags.replace('g', '').replace('y', '');
  return {
    ahead: new RegExp(`(?=(?:${re.source}))`, `${flags}g`),
    at: new RegExp(`(?:${re.source})`, `${flags}y`),
  };
}

/**
 * The end of the match that starts at `start` (where `twins.ahead`'s `test` left `lastIndex`);
 * the sticky twin's `lastIndex` is left at 0.
 */
export function matchEnd(twins: MatchTwins, text: string, start: number): number {
  const at = twins.at;
  at.lastIndex = start;
  at.test(text);
  const end = at.lastIndex;
  at.lastIndex = 0;
  return end;
}

/**
 * Each match of the global search the twins were made from, in order, as its `exec` loop from
 * `text`'s start finds them: `visit(start, end)`; a `true` from it stops the search. Returns
 * whether it was stopped.
 */
export function forEachMatch(
  twins: MatchTwins,
  text: string,
  visit: (start: number, end: number) => boolean | undefined,
): boolean {
  const ahead = twins.ahead;
  ahead.lastIndex = 0;
  while (ahead.test(text)) {
    const start = ahead.lastIndex;
    const end = matchEnd(twins, text, start);
    if (visit(start, end) === true) {
      ahead.lastIndex = 0;
      return true;
    }
    ahead.lastIndex = end === start ? start + 1 : end;
  }
  ahead.lastIndex = 0;
  return false;
}

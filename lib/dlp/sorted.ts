/**
 * The one binary search the detectors share: the index of the first item whose position in the
 * text is at least `position`, in items sorted by position (`items.length` when there is none).
 */
export function firstAtOrAfter<T>(
  items: ArrayLike<T>,
  position: number,
  positionOf: (item: T) => number,
): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (positionOf(items[mid]!) < position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const itself = (n: number): number => n;

/**
 * Guard against entries that are public suffixes (`co.uk`, `leeds.sch.uk`): listing one would block
 * or allow every site registered under it, which is how one bad line in a list could "block
 * everything". `psl` knows the suffixes but costs ~3 µs a look-up, too slow for every entry of a
 * 1M-domain list, so only entries shaped like a suffix (a short first label under a country code,
 * or a council under `sch.uk`) are looked up. Private suffixes such as `github.io` stay listable on
 * purpose: blocking all of a hosting platform is a legitimate school decision.
 */
import psl from 'psl';

const SHORT_SECOND_LEVEL = /^[a-z0-9-]{1,4}\.[a-z]{2}$/;
const THIRD_LEVEL_UNDER_CC = /^[a-z0-9-]+\.[a-z0-9-]{1,4}\.[a-z]{2}$/;

export function isBarePublicSuffix(domain: string): boolean {
  if (!SHORT_SECOND_LEVEL.test(domain) && !THIRD_LEVEL_UNDER_CC.test(domain)) return false;
  return psl.get(domain) === null;
}

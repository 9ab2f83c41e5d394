/**
 * The group or school an installation belongs to (`reportGroup` in policy, `status.group` in a
 * report): a trust sets one per organisational unit, so its dashboard can filter and compare.
 * A small module of its own so the policy parser does not pull in the report contract.
 */

/** Longest group name. */
export const MAX_GROUP_LENGTH = 80;

// Letters, digits, spaces and . , ' & ( ) / _ -, starting with a letter or digit.
const GROUP_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} .,'&()/_-]*$/u;

export const GROUP_RULE = `a name of 1-${MAX_GROUP_LENGTH} letters, digits, spaces and . , ' & ( ) / _ -, starting with a letter or digit`;

export function isGroupName(value: string): boolean {
  return value.length <= MAX_GROUP_LENGTH && GROUP_PATTERN.test(value);
}

/**
 * The send warning's finding types: a contract shared by the detectors, the report payload, the
 * admin server and the CLI's JSON output. One list, imported everywhere.
 */
export const FINDING_TYPES = [
  'upn',
  'nino',
  'nhs_number',
  'uln',
  'uci',
  'chi_number',
  'payment_card',
  'bank_account',
  'passport',
  'driving_licence',
  'date_of_birth',
  'postal_address',
  'people_list',
  'special_category',
  'safeguarding',
  'credential',
  'custom',
  /** The learned check's own finding (`learned.ts`): words a model weighs as a person's data. */
  'learned',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

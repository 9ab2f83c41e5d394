/** The dashboard's words for webmail problems browsers report (codes from lib/adapter-health.ts). */
import { describe, expect, it } from 'vitest';
import { ADAPTER_PROBLEMS, WEBMAIL_SERVICES } from '../../lib/adapter-health.ts';
import { adapterProblemText } from '../../server/names.ts';

describe('webmail problems in plain English', () => {
  it('names the service and the problem as the popup does, and how often', () => {
    expect(adapterProblemText('gmail', 'recipients_not_found', 3)).toBe(
      'Gmail: The recipient fields of an email could not be found, so it was sent without a check (3 times)',
    );
    expect(adapterProblemText('roundcube', 'body_not_found', 1)).toMatch(
      /^Roundcube: .+ \(once\)$/,
    );
  });

  it('has words for every code and service the report contract allows: no code reaches the page', () => {
    for (const service of WEBMAIL_SERVICES) {
      for (const problem of ADAPTER_PROBLEMS) {
        const text = adapterProblemText(service, problem, 2);
        expect(text).not.toContain(problem);
        expect(text).not.toMatch(new RegExp(`^${service}:`));
      }
    }
  });

  it('says so when a code is not one this server knows', () => {
    expect(adapterProblemText('gmail', 'new_code', 2)).toBe(
      'Gmail: a problem this server does not know (new_code) (2 times)',
    );
  });
});

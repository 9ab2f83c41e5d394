/**
 * The frame shared by Steward's pages that stop something: the block page (a site) and the
 * download page (a file). Both lead with what happened and what to do, then say what was stopped
 * and quote the school's clause under "Why". The pages decide their own actions (the children, shown
 * between the lead and the facts); the shell only lays them out the same way, so staff meet one
 * familiar page. Everything is text (Preact escapes it).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from './i18n.ts';
import './block-page.css';

export type StopPageFact = {
  label: string;
  value: string;
  /** Shown in the monospace "host" style (sites and file names from the web). */
  fromTheWeb?: boolean;
  testId?: string;
};

export function StopPageShell({
  tone,
  schoolName,
  title,
  lead,
  facts,
  at,
  clause,
  privacy,
  children,
}: {
  tone: 'block' | 'warn';
  schoolName?: string | undefined;
  title: string;
  lead: string;
  /** "What was blocked"; the time the page opened is added as the last fact. */
  facts?: StopPageFact[];
  at?: Date;
  /** The school's clause, quoted under "Why: your school's policy". */
  clause?: string | null;
  privacy?: string;
  children?: ComponentChildren;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users start at the heading, when the page has something to say.
  useEffect(() => heading.current?.focus(), []);
  return (
    <main class={`block-page ${tone === 'warn' ? 'is-warn' : 'is-block'}`}>
      <p class="brand">
        {t('extensionName')}
        {schoolName ? ` · ${schoolName}` : ''}
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      <p class="lead">{lead}</p>
      {children}
      {facts && (
        <section aria-labelledby="details-heading">
          <h2 id="details-heading">{t('block_details_heading')}</h2>
          <dl class="facts">
            {facts.map((f) => (
              <div key={f.label}>
                <dt>{f.label}</dt>
                <dd class={f.fromTheWeb ? 'host' : undefined} data-testid={f.testId}>
                  {f.value}
                </dd>
              </div>
            ))}
            {at && (
              <div>
                <dt>{t('block_when')}</dt>
                <dd>
                  <time dateTime={at.toISOString()}>{whenText(at)}</time>
                </dd>
              </div>
            )}
          </dl>
        </section>
      )}
      {clause && (
        <section aria-labelledby="why-heading">
          <h2 id="why-heading">{t('block_why')}</h2>
          <blockquote class="clause" data-testid="policy-clause">
            {clause}
          </blockquote>
        </section>
      )}
      {privacy && <p class="privacy">{privacy}</p>}
    </main>
  );
}

/** The time a stop page opened, as staff read it and as it goes into copied details. */
export function whenText(at: Date): string {
  return at.toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'short' });
}

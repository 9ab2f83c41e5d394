/**
 * The "Personal" control in a compose window (school mailbox): one click puts the policy's subject
 * label at the start of the subject ("personal e-mails must be labelled personal in the subject
 * header"), a second click takes it off again. It sits right after the subject field, in its own
 * small shadow root so neither the webmail's CSS nor ours leaks across. Its pressed state follows
 * the subject, so a label typed by hand shows as pressed too.
 */
import { t } from '../../components/i18n.ts';
import { hasSubjectLabel, toggleSubjectLabel } from '../../lib/mailbox/subject.ts';
import type { WebmailAdapter } from '../adapter.ts';
import { subjectField, writeSubject } from './subject-field.ts';

export const CONTROL_HOST = 'steward-personal-toggle';

const CSS = `
:host { all: initial; display: inline-block; vertical-align: middle; margin: 0 4px; }
button {
  font: 600 13px/1.2 system-ui, "Segoe UI", Roboto, Arial, sans-serif;
  color: #7c2d12; background: #ffffff; border: 1px solid #b45309; border-radius: 999px;
  padding: 3px 10px; cursor: pointer; white-space: nowrap;
}
button[aria-pressed="true"] { color: #ffffff; background: #b45309; }
button:focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
`;

type Control = { host: HTMLElement; button: HTMLButtonElement; sync(): void };

const controls = new WeakMap<HTMLInputElement, Control>();

function makeControl(input: HTMLInputElement, label: () => string): Control {
  const host = document.createElement(CONTROL_HOST);
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = CSS;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = t('mailbox_personal_button');
  button.dataset.testid = 'personal-subject-toggle';
  root.append(style, button);
  const sync = () => {
    button.setAttribute('aria-pressed', hasSubjectLabel(input.value, label()) ? 'true' : 'false');
    button.title = t('mailbox_personal_button_title', label());
  };
  button.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    writeSubject(input, toggleSubjectLabel(input.value, label()));
    sync();
  });
  // The webmail's keyboard shortcuts must not see keys pressed on our button.
  for (const type of ['keydown', 'keyup', 'keypress']) {
    host.addEventListener(type, (e) => e.stopPropagation());
  }
  input.addEventListener('input', sync);
  sync();
  return { host, button, sync };
}

/** Put a control next to the subject of every compose window that lacks one. */
export function attachPersonalControls(
  adapter: WebmailAdapter,
  doc: Document,
  label: () => string,
): number {
  let attached = 0;
  for (const compose of adapter.findComposes(doc)) {
    const input = subjectField(adapter.service, compose.root);
    if (!input) continue;
    let control = controls.get(input);
    if (!control) {
      control = makeControl(input, label);
      controls.set(input, control);
    }
    if (!control.host.isConnected || control.host.previousElementSibling !== input) {
      input.insertAdjacentElement('afterend', control.host);
      attached++;
    }
    control.sync();
  }
  return attached;
}

/** Take every control away (the mailbox turned out to be personal, or the script is stopping). */
export function detachPersonalControls(doc: Document): void {
  for (const host of doc.querySelectorAll(CONTROL_HOST)) host.remove();
}

/**
 * Keyboard rules shared by Steward's dialogs over a webmail (the send warning, the disclaimer
 * reminder): Escape means "Go back", and Tab cycles inside the dialog because it is modal.
 */
const FOCUSABLE = 'button:not([disabled]), textarea:not([disabled]), a[href], [tabindex="0"]';

export function modalKeyDown(e: KeyboardEvent, dialog: HTMLElement | null, onEscape: () => void) {
  if (e.key === 'Escape') {
    e.preventDefault();
    onEscape();
    return;
  }
  if (e.key !== 'Tab' || !dialog) return;
  const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  if (items.length === 0) return;
  const root = dialog.getRootNode() as ShadowRoot | Document;
  const active = root.activeElement;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  if (e.shiftKey && (active === first || !items.includes(active as HTMLElement))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !items.includes(active as HTMLElement))) {
    e.preventDefault();
    first.focus();
  }
}

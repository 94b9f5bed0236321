// What every view is given, and how it shows a refusal.

import { ApiError, plainWords, RETRY_EVENT, RETRYABLE } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import type { Live } from './live.js';
import type { Selection } from './picker.js';

/** What a view reads with and where it draws; `onLeave` runs when another view replaces it (unsubscribes). */
export interface ViewContext {
  root: HTMLElement;
  selection: Selection;
  live: Live;
  onLeave(cleanup: () => void): void;
  /** False once another view has replaced this one: an answer arriving late is dropped. */
  isCurrent(): boolean;
}

/**
 * An error box in plain words (what it means, then what the API said), with the API's code for
 * tests and styling; a failure that may pass by itself (a service or the database not
 * answering, the network, the rate limit) offers to draw the view again.
 */
export function errorBox(error: unknown): HTMLElement {
  const { summary, detail } = plainWords(error);
  const retryable = error instanceof ApiError && RETRYABLE.has(error.code);
  return h(
    'div',
    { class: 'error', role: 'alert', 'data-code': error instanceof ApiError ? error.code : 'UNKNOWN' },
    h('strong', {}, summary),
    h('div', { class: 'detail' }, detail),
    retryable ? h('button', { type: 'button', class: 'retry', onclick: () => window.dispatchEvent(new Event(RETRY_EVENT)) }, t('retry')) : null,
  );
}

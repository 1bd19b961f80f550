/**
 * The toolbar badge: how many distinct IBKR API errors (informational notices excluded) the
 * content script marked on the tab's page. Pure: the message shape and the badge's text and title.
 */
export const PAGE_ERRORS = 'ibkr-page-errors';

export interface PageErrorsMessage {
  type: typeof PAGE_ERRORS;
  /** Distinct entry ids of the errors marked on the page (no informational notices). */
  ids: string[];
}

export function isPageErrorsMessage(value: unknown): value is PageErrorsMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === PAGE_ERRORS &&
    Array.isArray((value as { ids?: unknown }).ids) &&
    (value as { ids: unknown[] }).ids.every((id) => typeof id === 'string')
  );
}

/** The popup's title, which WXT makes the action's default title. */
export const DEFAULT_ACTION_TITLE = 'IBKR API Error Lookup';

export interface BadgeState {
  text: string;
  title: string;
}

/** Badge text and tooltip for `count` distinct errors on the page. */
export function badgeFor(count: number): BadgeState {
  if (count <= 0) return { text: '', title: DEFAULT_ACTION_TITLE };
  return {
    text: count > 99 ? '99+' : String(count),
    title: `${DEFAULT_ACTION_TITLE}: ${count} distinct IBKR API ${count === 1 ? 'error' : 'errors'} marked on this page (informational notices not counted)`,
  };
}

/**
 * The popup asks the content script of a tab for its page URL: the popup may not read tab URLs
 * itself (no `tabs` permission), and where the content script runs it knows its page.
 */
export const PAGE_URL_REQUEST = 'ibkr-page-url';

export function isPageUrlRequest(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === PAGE_URL_REQUEST;
}

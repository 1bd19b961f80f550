/**
 * The toolbar badge: how many distinct IBKR API errors (informational notices excluded) the
 * content script marked on the tab's page. Pure: the badge's text and title (the message that
 * carries the count is `pageErrors` in lib/messages.ts).
 */

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

/**
 * What the card is showing and for whom: hidden, a marker's tooltip (hovered, or pinned as a
 * dialog), or the "Explain selection" panel. Keeps the markers' attributes in step with it and
 * hands focus back to what opened the card when it closes.
 */

/** Set on every piece of the marker group whose card is open, for the group highlight. */
export const ACTIVE_ATTR = 'data-ibkr-active';

export type Mode =
  | { kind: 'hidden' }
  | { kind: 'tooltip'; marker: HTMLElement; group: HTMLElement[]; pinned: boolean }
  | { kind: 'panel'; anchor: DOMRect | null; returnFocus: Element | null }
  /** A pinned card whose mention the page took away: it stays where it was, pointing at no marker. */
  | { kind: 'detached'; anchor: DOMRect | null };

export interface CardState {
  readonly mode: Mode;
  /** Whether the open tooltip is this marker's (any piece of its mention). */
  isOpenFor(marker: HTMLElement): boolean;
  /** A pinned tooltip or a panel: a dialog the user opened, which hover and scrolling leave alone. */
  readonly isDialog: boolean;
  toTooltip(marker: HTMLElement, group: HTMLElement[], pinned: boolean): void;
  toPanel(anchor: DOMRect | null): void;
  /** Lets go of the open mention (the page took it away); the card stays at `anchor`. */
  toDetached(anchor: DOMRect | null): void;
  /**
   * Closes; with `restoreFocus`, focus goes back to the marker or to what had it before the panel,
   * and from a detached card to `detachedFocus` (lib/card/detached-focus.ts).
   */
  toHidden(restoreFocus: boolean, detachedFocus?: HTMLElement | null): void;
  /** The element focus is being handed back to: its focus event must not reopen the card. */
  isReturning(el: EventTarget | null): boolean;
  /** Where the card hangs now (viewport coordinates); undefined when hidden. */
  anchor(): DOMRect | null | undefined;
}

/**
 * `rectOf`: where a marker's mention is on screen (the card hangs there); `onActive`: told as a
 * mention's card opens and closes, to paint it as the open one.
 */
export function createCardState(
  doc: Document,
  rectOf: (marker: HTMLElement) => DOMRect = (m) => m.getBoundingClientRect(),
  onActive?: (marker: HTMLElement, active: boolean) => void,
): CardState {
  let mode: Mode = { kind: 'hidden' };
  let returningTo: Element | null = null;

  /** Expanded on the focusable piece (aria-expanded belongs to the control), highlight on all pieces. */
  const markGroup = (open: boolean) => {
    if (mode.kind !== 'tooltip') return;
    if (mode.group[0]?.hasAttribute('aria-haspopup')) mode.group[0].setAttribute('aria-expanded', String(open));
    for (const piece of mode.group) {
      if (open) piece.setAttribute(ACTIVE_ATTR, '');
      else piece.removeAttribute(ACTIVE_ATTR);
      onActive?.(piece, open);
    }
  };

  return {
    get mode() {
      return mode;
    },
    get isDialog() {
      return mode.kind === 'panel' || mode.kind === 'detached' || (mode.kind === 'tooltip' && mode.pinned);
    },
    isOpenFor: (marker) => mode.kind === 'tooltip' && (mode.marker === marker || mode.group.includes(marker)),
    toTooltip(marker, group, pinned) {
      if (mode.kind === 'tooltip' && mode.group[0] !== group[0]) markGroup(false);
      mode = { kind: 'tooltip', marker: group[0] ?? marker, group, pinned };
      markGroup(true);
    },
    toPanel(anchor) {
      markGroup(false);
      const returnFocus = mode.kind === 'panel' ? mode.returnFocus : doc.activeElement;
      mode = { kind: 'panel', anchor, returnFocus };
    },
    toDetached(anchor) {
      markGroup(false);
      mode = { kind: 'detached', anchor };
    },
    toHidden(restoreFocus, detachedFocus = null) {
      const previous = mode;
      markGroup(false);
      mode = { kind: 'hidden' };
      if (!restoreFocus) return;
      const target = previous.kind === 'tooltip' ? previous.marker : previous.kind === 'panel' ? previous.returnFocus : detachedFocus;
      if (target?.isConnected) {
        returningTo = target;
        (target as HTMLElement).focus?.({ preventScroll: true });
        returningTo = null;
      }
    },
    isReturning: (el) => el !== null && el === returningTo,
    anchor: () => (mode.kind === 'tooltip' ? rectOf(mode.marker) : mode.kind === 'hidden' ? undefined : mode.anchor),
  };
}

/**
 * What the card does: show a marker's explanation (after a hover delay, or at once on focus and
 * click), show the "Explain selection" panel, hide (after a grace delay when the pointer leaves),
 * and stay next to what it explains. The entry always comes from the annotator's record of the
 * marker (`matchOf`), never from the marker's attribute, which the page can rewrite.
 */
import type { KnowledgeEntry } from '../../knowledge/schema';
import { replaceChildren } from '../dom';
import type { Explanation } from '../explain';
import { entryActions, entryMarkdown } from '../markdown';
import type { Match } from '../matcher';
import { kindWord, renderNoticesLine, type Child } from '../render';
import { pageTone, watchPageTone } from '../page-tone';
import { focusAfterDetached, type LostMention } from './detached-focus';
import { lazyCard, presentCard, type LazyCard } from './host';
import type { KnowledgeSource } from './knowledge-source';
import { placeCard } from './place';
import { createCardState, type CardState } from './state';
import { explainView, tooltipView, type MentionDetails } from './views';

export interface ControllerOptions {
  doc: Document;
  css: string;
  knowledge: KnowledgeSource;
  /** Hover delay before the tooltip shows, read at each hover. */
  showDelay(): number;
  /** Delay before a tooltip the pointer left hides. */
  hideDelay(): number;
  /** Where a marker's mention starts on screen (its first line of text). */
  rectOf(marker: HTMLElement): DOMRect;
  /** The mention whose card opens or closes, to paint it as the open one. */
  onActive?(marker: HTMLElement, active: boolean): void;
  /** Every piece of the mention a marker belongs to. */
  groupOf(marker: HTMLElement): HTMLElement[];
  /** The annotator's record of a marker: its entry, variant and the page's reason. */
  matchOf(marker: HTMLElement): Match | undefined;
}

/**
 * The text of a mention as the page shows it: the header takes the line's own word from it. A
 * marker holds no text; its accessible name is the marked text.
 */
const mentionText = (group: HTMLElement[]) => group.map((piece) => piece.getAttribute('aria-label') ?? piece.textContent ?? '').join('');

export class CardController {
  readonly state: CardState;
  readonly ui: LazyCard;
  readonly knowledge: KnowledgeSource;
  private readonly win: Window & typeof globalThis;
  private showTimer: number | undefined;
  private hideTimer: number | undefined;
  /** The card that waits for its entry's text (the latest asked); anything that hides drops it. */
  private waiting: { marker: HTMLElement; pinned: boolean } | null = null;
  private serial = 0;
  /** Where the card's anchor was when the card was last placed (viewport coordinates). */
  private placedAnchor: DOMRect | null = null;
  /** The pinned mention: a mark the page makes again in its place takes the card over. */
  private pinned: PinnedMention | null = null;
  /** Stops following the page's tone for the shown card; null while no card is shown. */
  private unwatchTone: (() => void) | null = null;

  constructor(private readonly options: ControllerOptions) {
    this.knowledge = options.knowledge;
    this.win = options.doc.defaultView as Window & typeof globalThis;
    this.state = createCardState(options.doc, options.rectOf, options.onActive);
    this.ui = lazyCard(options.doc, options.css, (card) => {
      card.addEventListener('mouseenter', () => this.keepOpen());
      card.addEventListener('mouseleave', () => {
        if (this.state.mode.kind === 'tooltip' && !this.state.mode.pinned) this.hideSoon();
      });
    });
  }

  /** Shows a marker's card now; `pinned` makes it a dialog that takes focus. */
  show(marker: HTMLElement, pinned = false): void {
    this.cancelTimers();
    const match = this.options.matchOf(marker);
    if (match && !this.knowledge.isReady([match.entryId])) return this.showWhenReady(marker, pinned, match.entryId);
    this.waiting = null;
    const found = this.entryWord(marker);
    if (!found || !match) return;
    const { entry, word } = found;
    const group = this.options.groupOf(marker);
    const details: MentionDetails = { variant: match.variant, reason: match.reason, word };
    const titleId = this.nextTitleId();
    const card = this.fill(tooltipView(entry, titleId, pinned, details), pinned ? 'dialog' : 'tooltip', titleId, marker, () =>
      entryMarkdown(entry, this.knowledge.notices!, details),
    );
    this.state.toTooltip(marker, group, pinned);
    this.placeAt(card, this.options.rectOf(marker));
    this.pinned = pinned ? { entryId: match.entryId, text: mentionText(group), at: null, ancestors: ancestorsOf(marker), again: [] } : null;
    if (pinned) focusClose(card);
  }

  /**
   * The page took markers away. A hover card goes with its mention; a pinned card is being read,
   * so it stays where it is, detached (no marker claims it), until the user closes it or the
   * page makes the same mention again in the same place (`markerAdded`).
   */
  markersRemoved(markers: HTMLElement[]): void {
    const { mode } = this.state;
    if (mode.kind !== 'tooltip' || !markers.some((m) => m === mode.marker || mode.group.includes(m))) return;
    if (!mode.pinned || !this.pinned) return this.hide();
    const anchor = this.placedAnchor;
    this.pinned.at = anchor && { x: anchor.left + this.win.scrollX, y: anchor.top + this.win.scrollY, slack: Math.max(4, anchor.height / 2) };
    this.state.toDetached(anchor);
    this.ui.element().querySelector('.body')?.prepend(detachedNote(this.options.doc));
  }

  /** A new marker: the detached card's mention, made again where it was (a re-rendered output or comment), takes the card back. */
  markerAdded(marker: HTMLElement): void {
    const at = this.state.mode.kind === 'detached' ? this.pinned?.at : null;
    if (!at || this.options.matchOf(marker)?.entryId !== this.pinned!.entryId) return;
    const group = this.options.groupOf(marker);
    const rect = this.options.rectOf(marker);
    const moved = Math.max(Math.abs(rect.left + this.win.scrollX - at.x), Math.abs(rect.top + this.win.scrollY - at.y));
    if (mentionText(group) !== this.pinned!.text) return;
    if (moved > at.slack) {
      // Kept for focus when the card closes; a log repeating the line keeps its latest few.
      const again = this.pinned!.again;
      if (again.push(marker) > MAX_AGAIN) again.shift();
      return;
    }
    this.ui.element().querySelector('.detached')?.remove();
    this.state.toTooltip(marker, group, true);
    this.place();
  }

  /**
   * Shows the "Explain selection" panel near `anchor` (viewport coordinates), or in the corner;
   * `note` says what was left out of a long selection.
   */
  explain(selection: string, result: Explanation | null, anchor: DOMRect | null = null, note: string | null = null): void {
    this.cancelTimers();
    this.waiting = null;
    if (this.knowledge.notices === null) return this.knowledge.whenReady([], () => this.explain(selection, result, anchor, note));
    const titleId = this.nextTitleId();
    const shown = result?.entry;
    const markdown = shown && (() => entryMarkdown(shown, this.knowledge.notices!));
    const card = this.fill(explainView(selection, result, titleId, note), 'dialog', titleId, this.win.getSelection()?.anchorNode ?? null, markdown);
    card.querySelectorAll<HTMLButtonElement>('.also button').forEach((b) =>
      b.addEventListener('click', () => {
        // Show another entry found in the same selection; the rest stay listed.
        const all = result ? [result.entry, ...result.others] : [];
        const first = all.find((e) => e.id === b.dataset.entryId)!;
        this.explain(selection, { entry: first, others: all.filter((e) => e !== first) }, anchor, note);
      }),
    );
    this.state.toPanel(anchor);
    this.placeAt(card, anchor);
    focusClose(card);
  }

  hide(restoreFocus = false): void {
    this.cancelTimers();
    this.waiting = null;
    this.unwatchTone?.();
    this.unwatchTone = null;
    if (this.state.mode.kind === 'hidden') return;
    const detachedFocus = restoreFocus && this.state.mode.kind === 'detached' ? this.focusAfterDetached() : null;
    this.ui.hide();
    this.state.toHidden(restoreFocus, detachedFocus);
  }

  /** Where focus goes as a detached card closes, when it is in the card (elsewhere the user put it: it stays). */
  private focusAfterDetached(): HTMLElement | null {
    const { doc } = this.options;
    const active = doc.activeElement;
    if (!this.pinned || (active && active !== doc.body && !this.ui.isCard(active))) return null;
    const target = focusAfterDetached(doc, this.pinned, this.options.rectOf);
    // A marker inside a link takes no focus: the link does.
    return target?.closest('a') ?? target;
  }

  /** Shows a hovered marker's card after the hover delay. */
  showSoon(marker: HTMLElement): void {
    this.win.clearTimeout(this.showTimer);
    this.showTimer = this.win.setTimeout(() => this.show(marker), this.options.showDelay());
  }

  /** Drops a pending show (the pointer left before the delay, or the text is still on its way). */
  cancelShow(): void {
    this.win.clearTimeout(this.showTimer);
    this.waiting = null;
  }

  /** Keeps the card: the pointer came back before the hide delay ran out. */
  keepOpen(): void {
    this.win.clearTimeout(this.hideTimer);
  }

  hideSoon(): void {
    this.win.clearTimeout(this.hideTimer);
    this.hideTimer = this.win.setTimeout(() => this.hide(), this.options.hideDelay());
  }

  /** Places the card next to what it explains again (scrolling, resizing). */
  place(): void {
    const anchor = this.state.anchor();
    if (anchor !== undefined && this.ui.root) this.placeAt(this.ui.element(), anchor);
  }

  /**
   * Whether what the card hangs from moved since the card was placed. A scroll of a box that
   * does not hold the mention (a live log scrolling itself elsewhere on the page) moves nothing.
   */
  anchorMoved(): boolean {
    const now = this.state.anchor();
    const then = this.placedAnchor;
    if (!now || !then) return now !== then;
    return Math.abs(now.top - then.top) > 0.5 || Math.abs(now.left - then.left) > 0.5;
  }

  /** The card's Tab stops in order, those shown now (not the content of a folded section). */
  stops(): HTMLElement[] {
    if (!this.ui.root) return [];
    const all = this.ui.element().querySelectorAll<HTMLElement>('button, a[href], summary, [tabindex]:not([tabindex="-1"])');
    return [...all].filter((el) => el.checkVisibility());
  }

  /** Runs `then` once the text of `marker`'s entry is here (never for a marker the annotator has no record of). */
  whenEntryReady(marker: HTMLElement, then: () => void): void {
    const match = this.options.matchOf(marker);
    if (match) this.knowledge.whenReady([match.entryId], then);
  }

  /** A marker's entry, from the annotator's record, and the word its header uses; null before the text is here. */
  entryWord(marker: HTMLElement): { entry: KnowledgeEntry; word: string } | null {
    const match = this.options.matchOf(marker);
    const entry = match && this.knowledge.entry(match.entryId);
    return entry ? { entry, word: kindWord(entry, mentionText(this.options.groupOf(marker))) } : null;
  }

  private placeAt(card: HTMLElement, anchor: DOMRect | null): void {
    placeCard(card, this.win, anchor);
    this.placedAnchor = anchor;
  }

  private cancelTimers(): void {
    this.win.clearTimeout(this.showTimer);
    this.win.clearTimeout(this.hideTimer);
  }

  private nextTitleId(): string {
    return `ibkr-title-${++this.serial}`;
  }

  /** Shows `marker` once its entry's text is here; a click that pins is not undone by the hover show after it. */
  private showWhenReady(marker: HTMLElement, pinned: boolean, entryId: string): void {
    const request = { marker, pinned: pinned || (this.waiting?.marker === marker && this.waiting.pinned) };
    this.waiting = request;
    this.knowledge.whenReady([entryId], () => {
      if (this.waiting === request) this.show(marker, request.pinned);
    });
  }

  /**
   * Fills the card with `nodes` and the notices line; `near` is what it explains (its palette follows
   * the ground there where the page's body paints nothing); `markdown` backs its "Copy as Markdown".
   */
  private fill(nodes: Child[], role: 'tooltip' | 'dialog', labelledBy: string | null, near: Node | null, markdown?: () => string): HTMLElement {
    const { doc } = this.options;
    const card = this.ui.element();
    replaceChildren(card, doc, ...nodes, renderNoticesLine(this.knowledge.notices!));
    if (markdown) card.querySelector('.body')?.append(entryActions(doc, markdown));
    card.querySelector('.close')?.addEventListener('click', () => this.hide(true));
    // Light or dark as the page shows (the site's declared theme, else its background), not as the OS is set.
    presentCard(card, { role, labelledBy, theme: pageTone(doc, near) });
    this.followTone(card, near);
    return card;
  }

  /** While the card is shown, a page that switches its theme takes the card's palette along. */
  private followTone(card: HTMLElement, near: Node | null): void {
    const { doc } = this.options;
    this.unwatchTone?.();
    this.unwatchTone = watchPageTone(
      doc,
      () => {
        card.dataset.theme = pageTone(doc, near);
      },
      near,
    );
  }
}

/** A pinned mention, and where it was on the page (document coordinates) once the page took it away. */
interface PinnedMention extends LostMention {
  entryId: string;
  text: string;
  at: { x: number; y: number; slack: number } | null;
}

/** A marker's ancestors, innermost first, up to <body> (through shadow roots to their hosts). */
function ancestorsOf(marker: HTMLElement): Element[] {
  const chain: Element[] = [];
  for (let el = marker.parentElement ?? ((marker.parentNode as ShadowRoot | null)?.host ?? null); el && el.localName !== 'body'; ) {
    chain.push(el);
    el = el.parentElement ?? ((el.parentNode as ShadowRoot | null)?.host ?? null);
  }
  return chain;
}

/** How many markers made again for a detached card's mention are kept (lib/card/detached-focus.ts). */
const MAX_AGAIN = 32;

export const DETACHED_NOTE = 'The page no longer shows this text; the card stays until you close it.';

function detachedNote(doc: Document): HTMLElement {
  const note = doc.createElement('p');
  note.className = 'detached';
  note.setAttribute('role', 'status');
  note.textContent = DETACHED_NOTE;
  return note;
}

const focusClose = (card: HTMLElement) => card.querySelector<HTMLElement>('.close')?.focus();

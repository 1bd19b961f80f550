/**
 * Markdown as GitHub renders it, for tests: GFM (tables, autolinked URLs, strikethrough) with raw
 * HTML passed through, so that any HTML our Markdown lets slip would show up as elements.
 * micromark follows the CommonMark and GFM specs that GitHub's cmark-gfm implements.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';

export function renderMarkdown(markdown: string): string {
  return micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
}

/** Elements that would make pasted text active or hidden: links, images, HTML blocks, emphasis. */
export const ACTIVE_ELEMENTS = 'a, img, details, summary, script, iframe, strong, em, del, input';

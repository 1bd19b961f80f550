/**
 * What the content script carries of the knowledge base: each entry's match data and severity,
 * and the stem index (knowledge/vite-plugin.ts). Importing this instead of ./index keeps the
 * entries' text (about 430 KB) out of the script every page compiles; the content script asks
 * the background for it when a card first needs it (lib/knowledge-request.ts).
 */
import readMatchData from 'virtual:ibkr-match-data';
import type { MatchData } from './schema';

let data: MatchData | null = null;

/** The match data, parsed on the first call (the content script makes it in an idle callback). */
export default function matchData(): MatchData {
  return (data ??= readMatchData());
}

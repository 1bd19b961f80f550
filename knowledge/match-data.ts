/**
 * What a content script needs of the knowledge base to find and mark errors: each entry's match
 * data and severity, and the stem index (knowledge/vite-plugin.ts), as JSON text. The background
 * holds it and hands it to each content script as it starts (lib/knowledge-request.ts), so no
 * page compiles it as part of the content script.
 */
import json from 'virtual:ibkr-match-data';

export default json;

/** The whole knowledge base as one JSON string, for the background to hand to content scripts. */
import json from 'virtual:ibkr-knowledge-json';

export default json;

/**
 * The educational boundary and the trademark notice alone, for pages that show no entry (the
 * options page): importing them from here keeps the knowledge base out of those pages' bundles.
 */
import notices from 'virtual:ibkr-notices';

export default notices;

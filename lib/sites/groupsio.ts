/** The TWS API group on groups.io (the users' forum IBKR's API documentation points to). */
import type { SiteModule } from './site-module';

export const groupsio = {
  id: 'groupsio',
  label: 'TWS API group on groups.io',
  // This group only: the rest of groups.io is about everything else.
  matches: ['https://groups.io/g/twsapi/*'],
  ibkrContext: true,
} as const satisfies SiteModule;

export const testUrls = ['https://groups.io/g/twsapi/topics', 'https://groups.io/g/twsapi/message/1'];

import type { Identity } from '@thads/kit';
import type { Dependencies } from './cache/dependencies';

/** What the gateway knows of one request. */
export interface GatewayContext {
  requestId: string;
  identity: Identity;
  /** A refresh run by the live layer (merged subscriptions that were checked one by one). */
  live?: boolean;
  /** A live refresh run after the caches heard every change committed before it: they may serve it. */
  cachesSettled?: boolean;
  /** What the answer is read from, noted by each subgraph fetch (answer cache). */
  dependencies?: Dependencies;
  /**
   * The operation's type once resolved, and whether its answer may be kept (an object of its
   * own: Apollo Server runs each operation on a shallow copy of the context).
   */
  answer?: {
    operation?: 'query' | 'mutation' | 'subscription';
    cacheable?: boolean;
    /**
     * The change notices a mutation's writes caused, as its subgraphs named them; 'unknown'
     * once a subgraph that ran a mutation did not say (then the gateway uses its barrier).
     */
    changes?: string[] | 'unknown';
  };
}

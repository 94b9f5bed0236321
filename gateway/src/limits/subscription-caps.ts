import { GraphQLError } from 'graphql';
import { ErrorCode } from '@thads/kit';

/** The live subscriptions one graphql-ws connection holds, by operation id. */
export type ConnectionSlots = Set<string>;

/**
 * Caps on live subscriptions: per connection, and per principal over all its connections
 * (0: no cap). A subscription over a cap is refused with SUBSCRIPTION_LIMIT; the connection
 * and its other subscriptions go on.
 */
export class SubscriptionCaps {
  private readonly byPrincipal = new Map<string, number>();

  constructor(
    private readonly perConnection: number,
    private readonly perPrincipal: number,
  ) {}

  /** Takes a slot for subscription `id`, or says why not. */
  take(slots: ConnectionSlots, principal: string, id: string): GraphQLError | undefined {
    if (this.perConnection > 0 && slots.size >= this.perConnection)
      return refusal(`This connection holds ${this.perConnection} live subscriptions, the most one may; complete one first.`, 'connection', this.perConnection);
    const held = this.byPrincipal.get(principal) ?? 0;
    if (this.perPrincipal > 0 && held >= this.perPrincipal)
      return refusal(
        `You hold ${this.perPrincipal} live subscriptions over all your connections (keys and tokens of one organisation together), the most allowed; complete one first.`,
        'principal',
        this.perPrincipal,
      );
    slots.add(id);
    this.byPrincipal.set(principal, held + 1);
    return undefined;
  }

  /** Gives back the slot of a subscription that ended (any number of times). */
  release(slots: ConnectionSlots, principal: string, id: string): void {
    if (!slots.delete(id)) return;
    const held = (this.byPrincipal.get(principal) ?? 1) - 1;
    if (held > 0) this.byPrincipal.set(principal, held);
    else this.byPrincipal.delete(principal);
  }

  /** Gives back every slot of a closed connection. */
  releaseAll(slots: ConnectionSlots, principal: string): void {
    for (const id of [...slots]) this.release(slots, principal, id);
  }
}

function refusal(message: string, limit: 'connection' | 'principal', max: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.SUBSCRIPTION_LIMIT, limit, max } });
}

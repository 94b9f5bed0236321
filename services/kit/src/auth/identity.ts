/** The roles of the hub, each with what it may see and do. */
export const ROLES = ['ministry', 'province', 'integrator', 'reporter'] as const;
export type Role = (typeof ROLES)[number];

/** Families of fields an integrator's key may grant. */
export const FAMILIES = ['units', 'cases', 'money', 'complaints'] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * Who is calling, as the gateway verified it (from a JWT or an API key), forwarded to the
 * subgraphs signed. `units` are the roots of what the caller may see (province: its
 * province; integrator: its granted units; reporter: the units it reports for).
 */
export interface Identity {
  subject: string;
  role: Role;
  units: number[];
  families: Family[];
  /**
   * Who answers for the caller: the organisation that owns its keys and tokens
   * (`org:<name>`). Every key and token of one principal shares one set of limits (rate,
   * live subscriptions); unset, the subject alone is the principal.
   */
  principal?: string;
}

/** The principal of an organisation, as API keys (their owner) and tokens (their `org` claim) name it. */
export const organisationPrincipal = (name: string) => `org:${name}`;

/** What the live multiplexer may share between callers: equal keys see equal data. */
export function scopeKey(identity: Identity): string {
  return `${identity.role}:${[...identity.units].sort((a, b) => a - b).join(',')}:${[...identity.families].sort().join(',')}`;
}

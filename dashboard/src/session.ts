// Who the caller is: the credential kept for this tab, and what a token says about its holder.

const STORE = 'thads.dashboard.credential';

/** The pasted token or API key, kept in sessionStorage: it leaves with the tab. */
export function credential(): string | null {
  return sessionStorage.getItem(STORE);
}

/** Keeps (or forgets, with null) the credential; a pasted "Bearer " prefix is dropped. */
export function setCredential(value: string | null): void {
  const cleaned = value?.trim().replace(/^Bearer\s+/i, '');
  if (cleaned) sessionStorage.setItem(STORE, cleaned);
  else sessionStorage.removeItem(STORE);
}

/** The Authorization header value, if any (API keys are accepted as bearer credentials too). */
export function authorization(): string | undefined {
  const value = credential();
  return value ? `Bearer ${value}` : undefined;
}

/** What the dashboard knows of its caller, for showing and for choosing the first view. */
export interface Caller {
  kind: 'anonymous' | 'token' | 'apiKey';
  role?: string;
  units: string[];
  /** The units' names, when the API said who the caller is. */
  unitNames?: string[];
  subject?: string;
  /** Whether the API said so (`me`), rather than a token's unread claims. */
  verified?: boolean;
}

/** What the API said of the current credential (`me`), once asked. */
let told: { credential: string | null; caller: Caller } | undefined;

/** Keeps what the API said of the current credential; `caller()` prefers it to the token's claims. */
export function rememberCaller(value: Caller | undefined): void {
  told = value && { credential: credential(), caller: value };
}

function base64UrlJson(part: string): Record<string, unknown> | undefined {
  try {
    const text = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The caller: as the API said (`me`, see me.ts) once it has, else as its credential looks. A
 * token's claims are read, not verified: they only choose what to show first; the API decides
 * what may be read.
 */
export function caller(): Caller {
  if (told && told.credential === credential()) return told.caller;
  return guessedCaller();
}

/** The caller as its credential looks before the API is asked: a token's claims, unverified. */
export function guessedCaller(): Caller {
  const value = credential();
  if (!value) return { kind: 'anonymous', units: [] };
  const parts = value.split('.');
  const claims = parts.length === 3 ? base64UrlJson(parts[1]) : undefined;
  if (!claims) return { kind: 'apiKey', units: [] };
  return {
    kind: 'token',
    role: typeof claims.role === 'string' ? claims.role : undefined,
    units: Array.isArray(claims.units) ? claims.units.map(String) : [],
    subject: typeof claims.sub === 'string' ? claims.sub : undefined,
  };
}

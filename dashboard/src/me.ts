// Who the caller is, as the API says: the role and units the gateway verified from the token or API key.

import { query } from './api.js';
import { guessedCaller, rememberCaller } from './session.js';

const ME = 'query Me { me { role units { id name } } }';

interface MeData {
  me: { role: string; units: { id: string; name: string }[] };
}

/**
 * Asks the API who the current credential belongs to. Until it answers, and when it cannot
 * (a refused credential, a hub without `me`), the dashboard goes by what the credential looks
 * like; an API key then shows no role.
 */
export async function loadCaller(): Promise<void> {
  const guess = guessedCaller();
  try {
    const { me } = await query<MeData>(ME, {});
    rememberCaller({
      kind: guess.kind,
      subject: guess.subject,
      role: me.role.toLowerCase(),
      units: me.units.map((u) => u.id),
      unitNames: me.units.map((u) => u.name),
      verified: true,
    });
  } catch {
    rememberCaller(undefined);
  }
}

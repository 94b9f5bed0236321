import { migrate } from '@thads/kit';
import { SERVICES } from '../services';

/** Applies every service's pending migrations (each in its own schema). */
export async function migrateAll(url: string, log: (line: string) => void): Promise<void> {
  for (const service of SERVICES) {
    const db = service.dataSource(url);
    await db.initialize();
    try {
      const applied = await migrate(db);
      log(`${service.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
    } finally {
      await db.destroy();
    }
  }
}

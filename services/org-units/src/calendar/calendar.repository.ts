import type { DataSource } from 'typeorm';

export class CalendarRepository {
  constructor(private readonly db: DataSource) {}

  async closedThrough(): Promise<string | null> {
    const [row] = (await this.db.query(`SELECT max(closed_through)::text AS d FROM org_units.reporting_close`)) as { d: string | null }[];
    return row?.d ?? null;
  }

  async close(through: string): Promise<void> {
    await this.db.query(`INSERT INTO org_units.reporting_close (closed_through) VALUES ($1) ON CONFLICT DO NOTHING`, [through]);
  }
}

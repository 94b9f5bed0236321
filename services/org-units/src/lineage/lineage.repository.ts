import type { DataSource } from 'typeorm';
import { Lineage } from './lineage.entity';

export class LineageRepository {
  constructor(private readonly db: DataSource) {}

  /** Every edge that starts or ends at one of the units. */
  touching(unitIds: readonly number[]): Promise<Lineage[]> {
    return this.db
      .getRepository(Lineage)
      .createQueryBuilder('l')
      .where('l.from_unit_id = ANY(:ids) OR l.to_unit_id = ANY(:ids)', { ids: unitIds })
      .orderBy('l.effective_on', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .getMany();
  }
}

import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateScalar, ORG_UNIT_DESCRIPTION, ORG_UNIT_ID_DESCRIPTION } from '@thads/kit';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { OrgUnitType, WardKind } from './org-unit-type';

@Entity({ name: 'org_unit' })
@Index(['parentId'])
@ObjectType({ description: ORG_UNIT_DESCRIPTION })
@Directive('@key(fields: "id")')
export class OrgUnit {
  @PrimaryColumn({ type: 'int' })
  @Field(() => ID, { description: ORG_UNIT_ID_DESCRIPTION })
  id!: number;

  @Column({ type: 'text' })
  @Field({ description: 'Short code, unique among the units valid on any one date (e.g. "ha-noi"). An old and a new unit may share a code.' })
  code!: string;

  @Column({ type: 'text' })
  @Field({ description: 'Official name in Vietnamese, with diacritics (e.g. "Thành phố Hồ Chí Minh").' })
  name!: string;

  /** Lower case, without diacritics: what search matches against. */
  @Column({ type: 'text', name: 'name_folded' })
  nameFolded!: string;

  @Column({ type: 'text' })
  @Field(() => OrgUnitType, { description: 'Level of the unit.' })
  type!: OrgUnitType;

  @Column({ type: 'text', name: 'ward_kind', nullable: true })
  @Field(() => WardKind, { nullable: true, description: 'For a ward-level unit: commune, ward or special zone.' })
  wardKind!: WardKind | null;

  @Column({ type: 'int', name: 'parent_id', nullable: true })
  parentId!: number | null;

  @Column({ type: 'date', name: 'valid_from' })
  @Field(() => DateScalar, { description: 'First day the unit exists (YYYY-MM-DD). Units that existed before records began start on 1900-01-01.' })
  validFrom!: string;

  /** First day the unit no longer exists (exclusive end); null while it exists. */
  @Column({ type: 'date', name: 'valid_to', nullable: true })
  validTo!: string | null;
}

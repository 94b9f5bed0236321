import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Petition indicators of one unit (its whole subtree) for one period, as in the THADS report on complaints and denunciations.' })
export class PetitionFigures {
  @Field(() => Int, { description: 'Pending when the period starts.' })
  carriedOver!: number;

  @Field(() => Int, { description: 'Received in the period.' })
  newlyReceived!: number;

  @Field(() => Int, { description: 'To resolve = carried over + newly received.' })
  toResolve!: number;

  @Field(() => Int, { description: 'Resolved in the period.' })
  resolved!: number;

  @Field(() => Int, { description: 'Still pending at the end = to resolve − resolved.' })
  pending!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Resolution rate = resolved ÷ to resolve, percent, rounded half-up to 2 decimals; null when there is nothing to resolve.',
  })
  resolutionRate!: number | null;
}

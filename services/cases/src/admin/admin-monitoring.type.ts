import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Monitoring of the enforcement of administrative judgments (theo dõi thi hành án hành chính) for a unit and period.' })
export class AdminMonitoring {
  @Field(() => Int, { description: 'Judgments unfinished when the period starts.' })
  carriedOver!: number;

  @Field(() => Int, { description: 'Judgments that came under monitoring in the period.' })
  newlyReceived!: number;

  @Field(() => Int, { description: 'Total = carried over + newly received.' })
  total!: number;

  @Field(() => Int, { description: 'Judgments whose enforcement was completed in the period.' })
  completed!: number;

  @Field(() => Int, { description: 'Judgments unfinished at the end = total − completed.' })
  unfinished!: number;

  @Field(() => Int, { description: 'Of the unfinished: those with a decision to monitor.' })
  unfinishedWithDecision!: number;

  @Field(() => Int, { description: 'Of the unfinished: those without a decision to monitor.' })
  unfinishedWithoutDecision!: number;

  @Field(() => Float, { nullable: true, description: 'Completed ÷ total, percent, 2 decimals; null when the total is 0.' })
  completionRate!: number | null;
}

import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import {
  CaseCategoryName,
  DateScalar,
  ErrorCode,
  IMPORT_KEY_DESCRIPTION,
  ImportResult,
  VndScalar,
  categoryMask,
  importEventFile,
  parseUnitId,
  userError,
  type ImportSpec,
} from '@thads/kit';
import type { MoneyCommand } from './money-commands';
import type { Context } from '../context';
import { CaseMoney } from './case-money.entity';
import { moneyCommandsOf } from './money-import';
import { MoneyEventKindInput } from './money.inputs';
import { applyMoneyCommands, applyMoneyOnce } from './money.writer';

const KEY = 'A key the client makes once per intended change (a UUID): a retry with the same key and input changes nothing.';

/** The service's import mutation: lines become commands, written all or nothing, once a key. */
const MONEY_IMPORT: ImportSpec<MoneyCommand> = {
  schema: 'finances',
  operation: 'importMoneyEvents',
  commandsOf: moneyCommandsOf,
  apply: applyMoneyCommands,
};

@Resolver(() => CaseMoney)
export class MoneyMutations {
  private async saved(ctx: Context, caseId: string): Promise<CaseMoney> {
    ctx.loaders.moneyByCase.clear(caseId);
    return (await ctx.loaders.moneyByCase.load(caseId))!;
  }

  @Mutation(() => CaseMoney, { description: 'Records the amount a case must enforce, in VND. Negative, fractional or non-numeric amounts are refused.' })
  async receiveCaseMoney(
    @Arg('caseId', () => ID, { description: 'The enforcement case.' }) caseId: string,
    @Arg('unitId', () => ID, { description: 'The unit handling it, valid on `receivedOn`.' }) unitId: string,
    @Arg('receivedOn', () => DateScalar, { description: 'Date received.' }) receivedOn: string,
    @Arg('amount', () => VndScalar, { description: 'Amount to enforce, VND.' }) amount: bigint,
    @Arg('categories', () => [CaseCategoryName], { defaultValue: [], description: 'Categories of the case.' }) categories: CaseCategoryName[],
    @Arg('idempotencyKey', { description: KEY }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<CaseMoney> {
    if (!/^\d{1,18}$/.test(caseId)) throw userError(ErrorCode.BAD_USER_INPUT, `caseId must be a positive whole number, got "${caseId}".`, { field: 'caseId' });
    const mask = categoryMask(categories, (name) => {
      throw userError(ErrorCode.BAD_USER_INPUT, `Unknown category ${name}.`);
    });
    await applyMoneyOnce(
      ctx.db,
      ctx.access.identity,
      idempotencyKey,
      { type: 'RECEIVE', caseId, unitId: parseUnitId(unitId), date: receivedOn, amount, categories: mask },
      ctx.access,
    );
    return this.saved(ctx, caseId);
  }

  @Mutation(() => CaseMoney, {
    description: 'Records money collected on a case (thu được): lowers what remains and adds to money done. More than remains is refused.',
  })
  async recordCollection(
    @Arg('caseId', () => ID, { description: 'The enforcement case.' }) caseId: string,
    @Arg('collectedOn', () => DateScalar, { description: 'Date collected.' }) collectedOn: string,
    @Arg('amount', () => VndScalar, { description: 'Amount collected, VND, positive.' }) amount: bigint,
    @Arg('idempotencyKey', { description: KEY }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<CaseMoney> {
    await applyMoneyOnce(ctx.db, ctx.access.identity, idempotencyKey, { type: 'EVENT', caseId, kind: 'COLLECTED', date: collectedOn, amount }, ctx.access);
    return this.saved(ctx, caseId);
  }

  @Mutation(() => CaseMoney, {
    description: 'Records a change of the money of a case: classified, completed, terminated, entrusted out, withdrawn or moved to the separate book.',
  })
  async recordMoneyEvent(
    @Arg('caseId', () => ID, { description: 'The enforcement case.' }) caseId: string,
    @Arg('kind', () => MoneyEventKindInput, { description: 'What happened.' }) kind: MoneyEventKindInput,
    @Arg('occurredOn', () => DateScalar, { description: 'When.' }) occurredOn: string,
    @Arg('idempotencyKey', { description: KEY }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<CaseMoney> {
    await applyMoneyOnce(ctx.db, ctx.access.identity, idempotencyKey, { type: 'EVENT', caseId, kind, date: occurredOn, amount: 0n }, ctx.access);
    return this.saved(ctx, caseId);
  }

  @Mutation(() => ImportResult, {
    description: 'Imports the money lines (MONEY_RECEIVED, MONEY_COLLECTED, …) of an NDJSON or CSV file in the server’s import folder, all or nothing.',
  })
  async importMoneyEvents(
    @Arg('path', { description: 'File name inside the import folder (IMPORT_DIR).' }) path: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IMPORT_KEY_DESCRIPTION }) idempotencyKey: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<ImportResult> {
    return importEventFile(MONEY_IMPORT, ctx, path, idempotencyKey);
  }
}

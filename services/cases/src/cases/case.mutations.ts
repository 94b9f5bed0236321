import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { ErrorCode, IMPORT_KEY_DESCRIPTION, ImportResult, categoryMask, importEventFile, parseUnitId, userError, type ImportSpec } from '@thads/kit';
import type { CaseCommand } from './case-commands';
import type { Context } from '../context';
import { EnforcementCase } from './case.entity';
import { CaseEventInput, ReceiveCaseInput } from './case.inputs';
import { caseCommandsOf } from './case-import';
import { applyCaseCommands, applyOnce } from './case.writer';

const KEY_DESCRIPTION =
  'A key the client makes once per intended change (a UUID): a retry with the same key and input changes nothing and returns the same case.';

/** The service's import mutation: lines become commands, written all or nothing, once a key. */
const CASE_IMPORT: ImportSpec<CaseCommand> = {
  schema: 'cases',
  operation: 'importCaseEvents',
  commandsOf: caseCommandsOf,
  apply: applyCaseCommands,
};

@Resolver(() => EnforcementCase)
export class CaseMutations {
  @Mutation(() => EnforcementCase, { description: 'Records a newly received case. Writes the case, its deltas and a change event in one transaction.' })
  async receiveCase(
    @Arg('input', () => ReceiveCaseInput, { description: 'The case.' }) input: ReceiveCaseInput,
    @Arg('idempotencyKey', { description: KEY_DESCRIPTION }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<EnforcementCase> {
    const categories = categoryMask(input.categories, (name) => {
      throw userError(ErrorCode.BAD_USER_INPUT, `Unknown category ${name}.`);
    });
    const result = await applyOnce(
      ctx.db,
      ctx.access.identity,
      idempotencyKey,
      { type: 'RECEIVE', unitId: parseUnitId(input.unitId), date: input.receivedOn, judgmentRef: input.judgmentRef, categories },
      ctx.access,
    );
    return result.case ?? (await ctx.loaders.caseById.load(result.caseIds[0]!))!;
  }

  @Mutation(() => EnforcementCase, {
    description:
      'Records what happened to a case: classified, postponed, suspended, resumed, completed, terminated, entrusted out, withdrawn or moved to the separate book. Impossible transitions are refused with BAD_USER_INPUT (reason IMPOSSIBLE_TRANSITION).',
  })
  async recordCaseEvent(
    @Arg('input', () => CaseEventInput, { description: 'The event.' }) input: CaseEventInput,
    @Arg('idempotencyKey', { description: KEY_DESCRIPTION }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<EnforcementCase> {
    const result = await applyOnce(
      ctx.db,
      ctx.access.identity,
      idempotencyKey,
      { type: 'EVENT', caseId: input.caseId, kind: input.kind, date: input.occurredOn },
      ctx.access,
    );
    return result.case ?? (await ctx.loaders.caseById.load(result.caseIds[0]!))!;
  }

  @Mutation(() => ImportResult, {
    description:
      'Imports the case lines (CASE_RECEIVED, CASE_COMPLETED, …) of an NDJSON or CSV file in the server’s import folder, with the same checks as the single mutations, all or nothing.',
  })
  async importCaseEvents(
    @Arg('path', { description: 'File name inside the import folder (IMPORT_DIR), ending in .ndjson or .csv.' }) path: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IMPORT_KEY_DESCRIPTION }) idempotencyKey: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<ImportResult> {
    return importEventFile(CASE_IMPORT, ctx, path, idempotencyKey);
  }
}

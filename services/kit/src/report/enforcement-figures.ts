import type { RollupRow } from '../rollup/rollup-query';
import { percent } from '../util/rate';

/** The indicators of the reports on results by case and by money (exact integers: counts or VND). */
export interface EnforcementFigures {
  carriedOver: bigint;
  newlyReceived: bigint;
  totalHandled: bigint;
  entrustedOut: bigint;
  withdrawn: bigint;
  separateBook: bigint;
  toEnforce: bigint;
  enforceable: bigint;
  notEnforceable: bigint;
  done: bigint;
  carriedToNext: bigint;
  completionRate: number | null;
  enforceableShare: number | null;
}

/**
 * The circular's indicators from one rollup row of enforcement work, cases or money alike:
 * every figure is a sum of deltas or follows from them.
 * - carried over = open at the start; total handled = carried over + newly received;
 * - to be enforced = total handled − entrusted out − withdrawn − moved to the separate book;
 * - enforceable = done + open work classified enforceable at the end;
 * - carried to next = to be enforced − done; rates rounded half-up to 2 decimals.
 */
export function enforcementFigures(row: RollupRow): EnforcementFigures {
  const v = (name: string) => row[name] ?? 0n;
  const carriedOver = v('open_deltaAtStart');
  const newlyReceived = v('received');
  const totalHandled = carriedOver + newlyReceived;
  const entrustedOut = v('entrusted_out');
  const withdrawn = v('withdrawn');
  const separateBook = v('separate_book');
  const toEnforce = totalHandled - entrustedOut - withdrawn - separateBook;
  const done = v('done');
  const enforceable = done + v('open_enforceable_deltaAtEnd');
  return {
    carriedOver,
    newlyReceived,
    totalHandled,
    entrustedOut,
    withdrawn,
    separateBook,
    toEnforce,
    enforceable,
    notEnforceable: toEnforce - enforceable,
    done,
    carriedToNext: toEnforce - done,
    completionRate: percent(done, enforceable),
    enforceableShare: percent(enforceable, toEnforce),
  };
}

import type { FormColumn, FormValueKind } from './report-form-spec';

/** The figures the forms on results by case and by money share (counts or dong). */
interface Enforcement {
  carriedOver: number | bigint;
  newlyReceived: number | bigint;
  totalHandled: number | bigint;
  entrustedOut: number | bigint;
  withdrawn: number | bigint;
  separateBook: number | bigint;
  toEnforce: number | bigint;
  enforceable: number | bigint;
  notEnforceable: number | bigint;
  done: number | bigint;
  carriedToNext: number | bigint;
  completionRate: number | null;
  enforceableShare: number | null;
}

/** enforceable − done, exact in either type. */
const undone = (f: Enforcement): number | bigint =>
  typeof f.enforceable === 'bigint' ? f.enforceable - BigInt(f.done) : Number(f.enforceable) - Number(f.done);

/**
 * The columns of the circular's forms on results by case (form 1) and by money (form 2), in
 * the forms' order: what was handled, what left, what is to be enforced and of it what is
 * enforceable, done and not yet done, what carries to the next period, and the two rates.
 * `extra` columns (money collected) come right after "done", which they detail.
 */
export function enforcementFormColumns<F extends Enforcement>(kind: Exclude<FormValueKind, 'RATE'>, extra: readonly FormColumn<F>[] = []): FormColumn<F>[] {
  const column = (key: keyof Enforcement & string, label: string, labelEn: string): FormColumn<F> => ({
    key,
    label,
    labelEn,
    kind,
    value: (f) => f[key] as number | bigint,
  });
  return [
    column('carriedOver', 'Năm trước chuyển sang', 'Carried over'),
    column('newlyReceived', 'Mới thụ lý', 'Newly received'),
    column('totalHandled', 'Tổng số thụ lý', 'Total handled'),
    column('entrustedOut', 'Ủy thác', 'Entrusted out'),
    column('withdrawn', 'Thu hồi, hủy quyết định', 'Withdrawn'),
    column('separateBook', 'Chuyển sổ theo dõi riêng', 'Moved to the separate book'),
    column('toEnforce', 'Tổng số phải thi hành', 'To be enforced'),
    column('enforceable', 'Có điều kiện thi hành', 'Enforceable'),
    column('done', 'Thi hành xong', 'Done'),
    ...extra,
    { key: 'enforceableNotDone', label: 'Có điều kiện nhưng chưa thi hành xong', labelEn: 'Enforceable, not yet done', kind, value: undone },
    column('notEnforceable', 'Chưa có điều kiện thi hành', 'Not yet enforceable'),
    column('carriedToNext', 'Chuyển kỳ sau', 'Carried to the next period'),
    { key: 'completionRate', label: 'Tỷ lệ thi hành xong (%)', labelEn: 'Completion rate (%)', kind: 'RATE', value: (f) => f.completionRate },
    { key: 'enforceableShare', label: 'Tỷ lệ có điều kiện thi hành (%)', labelEn: 'Enforceable share (%)', kind: 'RATE', value: (f) => f.enforceableShare },
  ];
}

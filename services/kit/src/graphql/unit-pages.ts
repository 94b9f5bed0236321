/**
 * The pages of the unit connections (`unitsConnection`, `childrenConnection`,
 * `descendantsConnection`): org-units refuses a larger `first`, and the gateway's cost guard
 * sizes a page by it, so both read these.
 */
export const UNIT_PAGE = {
  /** The largest page: the ~3,400 current units fit in seven. */
  max: 500,
  /** The page when `first` is not given. */
  default: 100,
} as const;

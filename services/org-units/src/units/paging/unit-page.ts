import { ErrorCode, UNIT_PAGE, userError, vietnameseOrder } from '@thads/kit';
import { OrderDirection, UnitOrderField, type UnitOrder } from './unit-connection.types';

/** The largest page and the default one, shared with the gateway's cost guard, which sizes a page by `first`. */
export const MAX_FIRST = UNIT_PAGE.max;
export const DEFAULT_FIRST = UNIT_PAGE.default;

/** What a unit is sorted by. */
export interface Sortable {
  id: number;
  name: string;
  code: string;
}

/**
 * The total order of a connection: its key, then the id. Names sort with Node's ICU
 * (vietnameseOrder), not PostgreSQL's: the embedded PostgreSQL may lack ICU collations, and
 * the report forms sort the same way.
 */
export function comparator(order: UnitOrder): (a: Sortable, b: Sortable) => number {
  const sign = order.direction === OrderDirection.DESC ? -1 : 1;
  const key =
    order.field === UnitOrderField.NAME
      ? (a: Sortable, b: Sortable) => vietnameseOrder.compare(a.name, b.name)
      : order.field === UnitOrderField.CODE
        ? (a: Sortable, b: Sortable) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
        : () => 0;
  return (a, b) => sign * (key(a, b) || a.id - b.id);
}

/** The sort key a cursor carries: enough to find its place again even after units were added or removed. */
function keyOf(order: UnitOrder, unit: Sortable): string {
  return order.field === UnitOrderField.NAME ? unit.name : order.field === UnitOrderField.CODE ? unit.code : '';
}

/** An opaque cursor: base64url of the order, the sort key and the id. */
export function encodeCursor(order: UnitOrder, unit: Sortable): string {
  return Buffer.from(JSON.stringify([order.field, order.direction, keyOf(order, unit), unit.id])).toString('base64url');
}

/** The position a cursor names, or BAD_USER_INPUT when it is not a cursor of this order. */
export function decodeCursor(order: UnitOrder, cursor: string): Sortable {
  const bad = (why: string) =>
    userError(ErrorCode.BAD_USER_INPUT, `"after" is not a cursor of this list: ${why}. Pass the endCursor or an edge's cursor of a page in the same order.`, {
      field: 'after',
    });
  let parsed: unknown;
  try {
    parsed = /^[A-Za-z0-9_-]{1,2000}$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || typeof parsed[2] !== 'string' || !Number.isSafeInteger(parsed[3])) throw bad('it cannot be read');
  const [field, direction, key, id] = parsed as [string, string, string, number];
  if (field !== order.field || direction !== order.direction)
    throw bad(`it was made for the order ${field} ${direction}, this list is sorted by ${order.field} ${order.direction}`);
  return { id, name: order.field === UnitOrderField.NAME ? key : '', code: order.field === UnitOrderField.CODE ? key : '' };
}

/** `first` checked: 0 to MAX_FIRST. */
export function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST)
    throw userError(ErrorCode.BAD_USER_INPUT, `first must be 0–${MAX_FIRST}, got ${first}. Page through longer lists with "after".`, {
      field: 'first',
      max: MAX_FIRST,
    });
  return first;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** Sorts the matching units and cuts the page after the cursor: ~4,000 units at most, sorted in a few milliseconds. */
export function pageOf<T extends Sortable>(units: readonly T[], order: UnitOrder, first: number, after: string | undefined | null): Page<T> {
  checkFirst(first);
  const compare = comparator(order);
  const sorted = [...units].sort(compare);
  let start = 0;
  if (after != null) {
    const position = decodeCursor(order, after);
    // The first unit after the cursor's place (binary search: the list is sorted by the same order).
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compare(sorted[mid]!, position) <= 0) low = mid + 1;
      else high = mid;
    }
    start = low;
  }
  const nodes = sorted.slice(start, start + first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(order, node), node }));
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: start + nodes.length < sorted.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: sorted.length,
  };
}

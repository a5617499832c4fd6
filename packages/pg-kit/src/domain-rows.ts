// Rows as the domain's values, so that an adapter's query reads as what it returns, with no row
// type and no mapper beside it: a column named in snake_case comes back in camelCase, a bigint as
// a number (the cents this shop counts fit one exactly; one that does not is an error, never a
// rounding), a timestamp as ISO 8601 text, as the domain writes its dates, and NULL as a field
// left out, as the domain leaves out what a value lacks.
import type { QueryResult } from "pg";

/** PostgreSQL's type id of `bigint`, which pg gives as text (it may not fit a JavaScript number). */
const INT8 = 20;

const camelCase = (column: string) => column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

export function domainRows<T>({ rows, fields }: Pick<QueryResult, "rows" | "fields">): T[] {
  const columns = fields.map(({ name, dataTypeID }) => ({ name, key: camelCase(name), bigint: dataTypeID === INT8 }));
  return rows.map((row: Record<string, unknown>) => {
    const value: Record<string, unknown> = {};
    for (const { name, key, bigint } of columns) {
      const cell = row[name];
      if (cell === null || cell === undefined) continue;
      value[key] = bigint ? exactNumber(cell, name) : cell instanceof Date ? cell.toISOString() : cell;
    }
    return value as T;
  });
}

function exactNumber(cell: unknown, column: string): number {
  const number = Number(cell);
  if (!Number.isSafeInteger(number))
    throw new RangeError(`${column}: ${String(cell)} does not fit a JavaScript number`);
  return number;
}

/** One line of `npm run bench`'s table: what was measured, and its figure. */
export interface Row {
  readonly what: string;
  readonly value: string;
}

/** The rows as aligned lines. */
export function formatRows(rows: readonly Row[]): string {
  const width = Math.max(...rows.map((r) => r.what.length));
  return rows.map((row) => `${row.what.padEnd(width)}  ${row.value}`).join('\n');
}

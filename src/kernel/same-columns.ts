// Whether a row about to be written differs from the row as read: a write that would change nothing (or only a
// timestamp) is skipped by the callers, which saves a statement per renewal (#10).

/**
 * True when every column of `after` holds the same value (`===`: texts, numbers, bigints, null) as in `before`,
 * `ignoring` the named column (`updated_at`, say). Rows are flat: JSON columns are compared as their stored text.
 */
export function sameColumns<R extends object>(before: R, after: R, ignoring?: keyof R): boolean {
  return (Object.keys(after) as Array<keyof R>).every(
    (column) => column === ignoring || after[column] === before[column],
  );
}

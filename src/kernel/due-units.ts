// One rule shared by every module's due work (DueWorkRunner.runDue in modules/module.ts): a call tries each due
// unit once.

/**
 * The due units a `runDue` call works through, `batch` ids at a time from `dueIds(limit)` (earliest due first), each
 * id given once per call: a unit that falls due again while the call runs (a renewal right after a resume), or one
 * that failed, waits for the next call, in due order with everything else.
 */
export async function* dueIdsOncePerCall(
  dueIds: (limit: number) => Promise<string[]>,
  batch: number,
): AsyncGenerator<string[]> {
  const tried = new Set<string>();
  for (;;) {
    const ids = (await dueIds(batch + tried.size)).filter((id) => !tried.has(id));
    if (ids.length === 0) return;
    for (const id of ids) tried.add(id);
    yield ids;
  }
}

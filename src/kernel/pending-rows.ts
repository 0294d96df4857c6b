// Whole rows a batch transaction (renewals, issue #10) writes once, just before its commit, instead of one
// statement each as its units make them. Structurally a `Deferred` (context.ts): the batch marks it before each
// unit, rewinds it when the unit is rolled back, and flushes it before the commit. Generic in what it writes with
// (`D`: the batch's transaction), so it holds no SQL: the module that owns the table gives `write`.

/** Where a log stood: its length, and how much of it was in the database then. */
export interface PendingMark {
  length: number;
  written: number;
}

/**
 * A log of whole rows of one table, each entry a row as a unit left it; a later entry for the same id supersedes
 * the earlier one, so each row is written once, as it ended, by `write` (one multi-row statement, say).
 * `written`: how much of the log is in the database already (`writeNow` before a read that cannot see pending
 * rows). @NOTE a unit rolled back to its savepoint also rolls back what was written during it, so its mark takes
 * `written` back with it, and those rows are written again later.
 */
export class PendingRows<R extends { id: string }, D> {
  private log: R[] = [];
  private written = 0;

  /**
   * @param write writes the rows (each as its last entry has it, in the order they were first added) in the
   *   caller's transaction
   * @param order when the batch flushes it among its deferred work (ascending; see `Deferred.order`)
   */
  constructor(
    private readonly write: (db: D, rows: R[]) => Promise<void>,
    readonly order: number,
  ) {}

  add(row: R): void {
    this.log.push(row);
  }

  /** The latest pending (not yet written) row with `id`. */
  pending(id: string): R | undefined {
    for (let index = this.log.length - 1; index >= this.written; index -= 1) {
      const row = this.log[index]!;
      if (row.id === id) return row;
    }
    return undefined;
  }

  /** The pending rows `test` accepts, each as last added. */
  pendingWhere(test: (row: R) => boolean): R[] {
    return [...this.latest().values()].filter(test);
  }

  mark(): PendingMark {
    return { length: this.log.length, written: this.written };
  }

  rewind(mark: PendingMark): void {
    this.log.length = Math.min(this.log.length, mark.length);
    this.written = Math.min(this.written, mark.written);
  }

  flush(db: D): Promise<void> {
    return this.writeNow(db);
  }

  /** Writes what is pending, now. */
  async writeNow(db: D): Promise<void> {
    if (this.written === this.log.length) return;
    const rows = [...this.latest().values()];
    this.written = this.log.length;
    await this.write(db, rows);
  }

  private latest(): Map<string, R> {
    const rows = new Map<string, R>();
    for (let index = this.written; index < this.log.length; index += 1) rows.set(this.log[index]!.id, this.log[index]!);
    return rows;
  }
}

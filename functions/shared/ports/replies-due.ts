/** Port: the items whose outbox owes a reply's send that is due (the sweeper's reply work list). */
export interface RepliesDueIndex {
  /** Ids of items owing a reply's send whose next attempt was due before `before`, most overdue first. */
  due(before: string, limit: number): Promise<string[]>;
}

/** Port: the complaints whose next clock announcement (warning, breach, escalation) is overdue. */
export interface ClockActionsIndex {
  /** Ids of complaints with a clock announcement owed before `before`, oldest first. */
  overdue(before: string, limit: number): Promise<string[]>;
}

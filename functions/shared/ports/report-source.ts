import type { ReportItem } from '../reports/report-facts.ts';
import type { QuarterWindow } from '../reports/quarters.ts';

/** A complaint received before the quarter, as the repeat-complaint rule needs it (nothing else is read). */
export interface PriorComplaint {
  id: string;
  receivedAt: string;
  customerKey: string;
}

/** Where a quarter's items go as the source reads them, page by page. */
export interface QuarterSink {
  /** Items with the report's attributes (REPORT_ATTRIBUTES). */
  items(batch: readonly ReportItem[]): void;
  /** Complaints with a customer key received in the 90 days before the quarter (id, receipt, key only). */
  priorComplaints(batch: readonly PriorComplaint[]): void;
}

/**
 * Port: reads what a quarter's figures need through the table's indexes (never a scan), page by page:
 * every item received in the window, the complaints received earlier that were acted on, resolved or
 * rated in it (items), and the complaints with a customer key received in the 90 days before it (prior
 * complaints). functions/admin/reports/README.md, "What the storage side reads", proposes the indexes. More is harmless (the
 * figures filter by their own rules); an item handed over twice counts once.
 */
export interface ReportSource {
  feedQuarter(window: QuarterWindow, sink: QuarterSink): Promise<void>;
}

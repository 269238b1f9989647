/**
 * What each admin route does and who may call it, in words, by `METHOD path`: for the OpenAPI document
 * only (openapi-build.ts, run by `npm run schemas`). Kept out of routes.ts so the admin Lambda, which
 * serves the packed document, does not carry them (about 3 KB of its 250 KB). The permissions table
 * decides who may call a route; `who` says it for readers.
 */
export const ROUTE_DOCS: Record<string, { summary: string; who: string }> = {
  'GET /admin/complaints': { summary: 'The complaint queue: open complaints soonest due first (or resolved ones by day with status=resolved)', who: 'agent+' },
  'GET /admin/complaints/{id}': { summary: 'One complaint (or any feedback item) with its clocks and timeline', who: 'agent+' },
  'PATCH /admin/complaints/{id}': { summary: 'Reclassify (kind, category, severity); the model\'s answer is kept', who: 'supervisor+' },
  'POST /admin/complaints/{id}/assign': { summary: 'Assign a complaint (agents: take an unassigned one for themselves)', who: 'supervisor+, or an agent taking an unassigned one' },
  'POST /admin/complaints/{id}/responses': { summary: 'Answer the customer on the channel they wrote from (202, queued), or record a response made by phone, e-mail, letter or in person (via); the first reply sent meets the first-response clock', who: 'assignee, supervisor+' },
  'POST /admin/complaints/{id}/resolve': { summary: 'Resolve a complaint (stops every clock)', who: 'assignee, supervisor+' },
  'POST /admin/complaints/{id}/reopen': { summary: 'Reopen a resolved complaint', who: 'supervisor+' },
  'POST /admin/complaints/{id}/notes': { summary: 'Add an internal note to the timeline', who: 'agent+' },
  'POST /admin/complaints/{id}/satisfaction': { summary: 'Record customer satisfaction (1-5), once per resolution, after it', who: 'assignee, supervisor+' },
  'POST /admin/complaints/{id}/clocks/{clock}/extend': { summary: 'Extend a resolution clock as its rule allows (China complex 30 days, approved 60 days; UK payment services holding_reply 35 business days); once per reason', who: 'supervisor+' },
  'POST /admin/complaints/{id}/clocks/{clock}/pause': { summary: 'Pause a resolution clock (China: external appraisal time is not counted); its timer stops', who: 'supervisor+' },
  'POST /admin/complaints/{id}/clocks/{clock}/resume': { summary: 'Resume a paused clock: its times move by exactly the paused time', who: 'supervisor+' },
  'POST /admin/feedback/{id}/replies': { summary: 'Reply to the customer on any feedback item (202, queued), or record a response made outside Redress (via); on a complaint, as …/responses', who: 'agent+ (on a complaint: assignee, supervisor+)' },
  'GET /admin/feedback': { summary: 'All feedback (any kind) by day of receipt, oldest first, for analysis and export', who: 'agent+' },
  'GET /admin/triage': { summary: 'The triage queue: items whose kind a person should settle (uncertain, negative but not taken as a complaint, or in a language the classifier does not read), soonest due first', who: 'agent+' },
  'GET /admin/feedback/{id}': { summary: 'One feedback item (any kind), as GET /admin/complaints/{id}', who: 'agent+' },
  'PATCH /admin/feedback/{id}': { summary: 'Settle the kind of an item in triage, or of any item that is not a complaint (recorded as a reclassification; the item leaves triage); a complaint confirmed late has its clocks counted from receipt', who: 'agent+' },
  'GET /admin/feedback/{id}/suggestions': { summary: 'Suggested answers from the FAQ for any item, recomputed now (top 3, calibrated scores, shared cues)', who: 'agent+' },
  'GET /admin/faq': { summary: "The bank's FAQ, in its order, a page at a time", who: 'agent+' },
  'PUT /admin/faq': { summary: 'Replace the FAQ (or merge by id with mode=upsert) from JSON or CSV (text/csv); every problem named by row and field; audited', who: 'admin' },
  'GET /admin/faq/changes': { summary: 'The audit trail of FAQ changes, newest first', who: 'agent+' },
  'GET /admin/metrics': { summary: 'Service-quality KPIs for a receipt window', who: 'supervisor+' },
  'GET /admin/customers/{customerKey}': { summary: "A customer's items across channels, newest first, with open complaints and complaints in the last 90 days (linked keys included)", who: 'agent+' },
  'POST /admin/customers/{customerKey}/links': { summary: 'Link another customer key to this one as the same customer (audited; items are not changed)', who: 'supervisor+' },
  'DELETE /admin/customers/{customerKey}/links/{otherKey}': { summary: 'Remove the link between two customer keys (audited; items are not changed)', who: 'supervisor+' },
  'GET /admin/plan': { summary: "The bank's plan: baseline period and figures, targets (ETag for If-Match)", who: 'admin' },
  'PUT /admin/plan': { summary: "Set the bank's plan (validated; audited with who, when, before and after)", who: 'admin' },
  'PUT /admin/customer-base/{quarter}': { summary: "Set a quarter's active and digital-active customers (the bank's own counts; audited)", who: 'admin' },
  'GET /admin/reports/quarterly': { summary: 'The quarterly evaluation: a quarter beside the previous one and the baseline, each target met or not (JSON, or CSV on Accept: text/csv or format=csv)', who: 'supervisor+' },
  'GET /admin/reports/handlers': { summary: "Per-handler figures of a quarter (JSON, or CSV on Accept: text/csv or format=csv)", who: 'supervisor+' },
};

/**
 * Customer links live on the feedback table under their own partition keys (functions/shared/adapters/
 * table-design.ts: `CUSTOMER_LINKS` for the links, `CUSTOMER#<key>` for each key's audit). The admin
 * function's Query and DeleteItem on the table are held to those partitions with `dynamodb:LeadingKeys`,
 * so they open no way to read or delete feedback items.
 */
export const CUSTOMER_PARTITIONS_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CUSTOMER_LINKS', 'CUSTOMER#*'] } };

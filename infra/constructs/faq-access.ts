/**
 * The FAQ lives on the feedback table under its own partition keys (functions/shared/faq/adapters/
 * dynamo-faq-store.ts: `FAQ` for the head and audit trail, `FAQ#<snapshot id>` for snapshot chunks). The
 * batch and query grants the FAQ needs are held to those partitions with `dynamodb:LeadingKeys`, so they
 * open no way to read or rewrite feedback items in bulk.
 */
export const FAQ_PARTITIONS_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FAQ', 'FAQ#*'] } };

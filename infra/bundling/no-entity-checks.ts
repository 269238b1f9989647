/**
 * Stand-in for `is-unsafe` in Lambda bundles (an esbuild alias); not AWS SDK, but the same kind of
 * dead weight: about 17 KB of HTML/XML/SQL/shell pattern tables in the ingest bundle. fast-xml-parser
 * calls `isUnsafe` only for entities declared in a document's DOCTYPE (its `onInputEntity` hook), and
 * the only XML reader we bundle (functions/shared/channels/xml.ts) refuses every document with a DOCTYPE
 * or entity declaration before the parser sees it, with entity processing off as well; so it is never
 * called there (infra/bundling/no-entity-checks.test.ts checks that). Should that change, this stand-in
 * fails closed: every declared entity is "unsafe" and blocked.
 * Locally and in tests the real module is used.
 */
export const HTML: readonly RegExp[] = [];
export const XML: readonly RegExp[] = [];

/** Always true: block. */
export function isUnsafe(_value: string, _contexts?: unknown): boolean {
  return true;
}

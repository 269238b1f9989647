/**
 * The replies' error family: a reply through the channel that cannot be made (no reply credentials for
 * the item's source, or the platform's window closed). The problem middleware answers it 409 with the
 * rule and what is still allowed.
 */

/** A reply the channel refuses; `facts` (the rule, when the window closed, what is still allowed) go into the 409's body. */
export class ReplyRefusedError extends Error {
  override name = 'ReplyRefusedError';
  constructor(
    readonly detail: string,
    readonly facts: { rule: string } & Record<string, unknown>,
  ) {
    super(detail);
  }
}

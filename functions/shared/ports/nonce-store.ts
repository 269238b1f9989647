/**
 * Port: where signed (timestamp, nonce) pairs are remembered, so that a signature which does not cover
 * the body (WeChat's plaintext `signature`, and its GET verification query) can be used only for the one
 * request it was made for. DynamoDB in AWS (a conditional put, shared by every Lambda instance), dynalite
 * on one machine.
 */

/** One signed pair a platform sends once, as an adapter asks the ingest handler to claim it. */
export interface NonceClaim {
  /** What was signed, e.g. `wechat:<timestamp>:<nonce>`. */
  key: string;
  /**
   * A digest of what the signature does not cover (the body; for a GET, the echoed value). The same
   * request sent again (a platform retry) has the same fingerprint and passes; the same signed query
   * with anything else is a forgery.
   */
  fingerprint: string;
  /** After this the platform's timestamp window refuses the pair anyway, so the record may be dropped. */
  expiresAt: Date;
}

/** `new`: first use; `repeat`: the same request again; `conflict`: the pair was used for something else. */
export type NonceClaimResult = 'new' | 'repeat' | 'conflict';

export interface NonceStore {
  /** Records the claim unless the key is held by another fingerprint; durable before it resolves. Throws when the store is unreachable. */
  claim(claim: NonceClaim): Promise<NonceClaimResult>;
}

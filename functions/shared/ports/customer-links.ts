/** Port: links between customer keys (DynamoDB in AWS, dynalite on one machine). Links never touch items. */
import type { KeyPair } from '../customers/link-closure.ts';

/** Why two keys are one customer: a supervisor said so, or a key rotation saw the same identity under both secrets. */
export type LinkReason = 'supervisor' | 'key-rotation';

/** A stored link, with who made it and when. */
export interface CustomerLink extends KeyPair {
  linkedBy: string;
  linkedAt: string;
  reason: LinkReason;
}

/** One audited change to a key's links. */
export interface LinkAuditEntry {
  at: string;
  action: 'linked' | 'unlinked';
  customerKey: string;
  otherKey: string;
  actor: string;
}

export interface CustomerLinks {
  /** Stores the link (one conditional put); false when it already existed (nothing changes then). */
  link(link: CustomerLink): Promise<boolean>;
  /** Removes the link between two keys (one conditional delete), returning it, or undefined when there was none. */
  unlink(pair: KeyPair): Promise<CustomerLink | undefined>;
  /** Every link (one small partition: links are made by people and by a rotation's overlap). */
  all(): Promise<CustomerLink[]>;
  /** Records an audit entry under both keys (two puts; each entry names its key). */
  audit(entry: LinkAuditEntry): Promise<void>;
  /** A key's audit entries, newest first, at most `limit`. */
  auditOf(key: string, limit: number): Promise<LinkAuditEntry[]>;
}

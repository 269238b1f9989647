/**
 * The single DynamoDB table: on demand, point-in-time recovery, encrypted (the stage's data key), with the
 * admin queue's GSIs, and a TTL on `expiresAt` (epoch seconds) for its transient records: claimed nonces,
 * rating pointers and sent-reply pointers. Nothing relies on the TTL for correctness (each reader checks
 * the time itself; dynalite has no TTL): it only keeps the table from growing.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { RETIRED_INDEXES, TABLE_INDEXES, TABLE_KEY, TTL_ATTRIBUTE, type TableIndex } from '../../functions/shared/adapters/table-design.ts';

export interface FeedbackTableProps {
  retainData: boolean;
  /** The stage's data key (customer-managed); AWS-owned encryption without one. */
  encryptionKey?: IKey;
  /**
   * An index migration under way (StageConfig `tableIndexes`): new indexes not created yet, and replaced
   * ones still kept. Neither: the table has exactly TABLE_INDEXES.
   */
  indexes?: { pending?: readonly string[]; retired?: readonly string[] };
}

/** The GSIs the table has: TABLE_INDEXES but those pending, and the retired ones still kept. */
export function tableIndexesOf(indexes: FeedbackTableProps['indexes'] = {}): TableIndex[] {
  const pending = new Set(indexes.pending ?? []);
  const retired = new Set(indexes.retired ?? []);
  return [...Object.values(TABLE_INDEXES).filter((i) => !pending.has(i.name)), ...Object.values(RETIRED_INDEXES).filter((i) => retired.has(i.name))];
}

export class FeedbackTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: FeedbackTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEY.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEY.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(props.encryptionKey ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey } : { encryption: TableEncryption.AWS_MANAGED }),
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of tableIndexesOf(props.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(index.projection
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection] }
          : { projectionType: ProjectionType.ALL }),
      });
    }
  }
}

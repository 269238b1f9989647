/**
 * What every queue of the stack shares: encryption with the stage's data key (SQS-managed encryption
 * without one), TLS only, and whether it outlives the stack.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';

/** The encryption, TLS and removal settings of a queue of this stack. */
export function queueProtection(encryptionKey: IKey | undefined, retain: boolean | undefined): Pick<QueueProps, 'encryption' | 'encryptionMasterKey' | 'removalPolicy' | 'enforceSSL'> {
  return {
    ...(encryptionKey ? { encryption: QueueEncryption.KMS, encryptionMasterKey: encryptionKey } : { encryption: QueueEncryption.SQS_MANAGED }),
    removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    enforceSSL: true,
  };
}

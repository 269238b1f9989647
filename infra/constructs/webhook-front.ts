/**
 * A WAF-capable front for the HTTP API, when the stage asks for it (`front: 'cloudfront'`): a CloudFront
 * distribution that forwards every method, header, query string and body to the API uncached, with the
 * bank's web ACL (AWS WAF, CLOUDFRONT scope, which AWS only keeps in us-east-1: hence its ARN from the
 * stage config rather than created here) and the stage's custom domain and certificate (ACM, us-east-1).
 * The platforms are then registered at `https://<domain>/webhooks/…`, and `publicUrl` must be that
 * domain (Twilio signs the exact URL). Access logs go to an encrypted, private, versioned bucket.
 *
 * The API's own execute-api endpoint stays reachable; docs/runbook.md "Edge" says how to watch it.
 */
import { CfnOutput, Duration, Fn, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { AllowedMethods, CachePolicy, Distribution, HttpVersion, OriginProtocolPolicy, OriginRequestPolicy, PriceClass, SecurityPolicyProtocol, ViewerProtocolPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface WebhookFrontProps {
  api: HttpApi;
  /** ARN of the AWS WAF web ACL (scope CLOUDFRONT) in front of the webhooks. */
  webAclArn: string;
  /** The public domain and its ACM certificate (us-east-1). */
  domainName?: string;
  certificateArn?: string;
  retain: boolean;
  logRetentionDays: number;
}

export class WebhookFront extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: WebhookFrontProps) {
    super(scope, id);
    const logs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // CloudFront's standard logs are written with an ACL.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const apiHost = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    const custom = props.domainName && props.certificateArn ? { domainNames: [props.domainName], certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) } : {};
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Redress webhooks and admin API (WAF in front of the HTTP API)',
      defaultBehavior: {
        origin: new HttpOrigin(apiHost, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
        allowedMethods: AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        // Nothing cached; everything but the Host header forwarded (API Gateway routes on its own host).
        cachePolicy: CachePolicy.CACHING_DISABLED,
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      webAclId: props.webAclArn,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: logs,
      ...custom,
    });
    Validations.of(this.distribution).acknowledge({ id: 'AwsSolutions-CFR1', reason: 'Customers complain from abroad too (travel, expatriates): no geo restriction at the front; the web ACL can add one per bank.' });
    Validations.of(this.distribution).acknowledge({ id: 'AwsSolutions-CFR4', reason: 'Without a custom domain the distribution uses the default CloudFront certificate; with one (domainName + certificateArn) TLS 1.2_2021 is enforced.' });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This bucket holds the CloudFront access logs themselves; logging it would log the logs.' });
    Validations.of(logs).acknowledge({ id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: 'This bucket holds the CloudFront access logs themselves; logging it would log the logs.' });
    Validations.of(logs).acknowledge({ id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'Access logs are kept for their retention in this region; replicating them is the bank\'s log archive\'s job.' });
    Validations.of(logs).acknowledge({ id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'CloudFront standard logging cannot write to a bucket encrypted with SSE-KMS; SSE-S3 is used.' });
    new CfnOutput(scope, 'FrontUrl', { value: props.domainName ? `https://${props.domainName}` : `https://${this.distribution.distributionDomainName}`, description: 'Public base URL behind AWS WAF (register the webhooks here; set publicUrl to it)' });
  }
}

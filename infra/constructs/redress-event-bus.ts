/**
 * The routing of the Redress event bus (the bus and its archive are in the stateful stack,
 * infra/constructs/archived-event-bus.ts): the rule that sends SLA breaches and escalations to the
 * supervisors' SNS topic, and the rule that sends regulatory customer notices to the
 * customer-communications topic. Stateless: destroyed and redeployed with the functions (e-mail
 * subscriptions are then confirmed again, docs/runbook.md).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../schemas/event-names.ts';

export interface RedressEventBusProps {
  stage: string;
  /** The stage's bus (stateful stack). */
  bus: IEventBus;
  supervisorEmails: string[];
  /** Where each rule's target dead-letters events it could not take (with EventBridge's retry settings). */
  targetDeadLetters?: { deadLetterQueue: IQueue; retryAttempts: number; maxEventAge: Duration };
  /** Keep the topics' key when the stack is deleted. */
  retain?: boolean;
}

export class RedressEventBus extends Construct {
  readonly bus: IEventBus;
  readonly supervisorTopic: Topic;
  /** Where the customer communications team hears that a customer must be written to. */
  readonly customerNoticeTopic: Topic;
  /** The rules that deliver to targets (their FailedInvocations are alarmed). */
  readonly rules: Rule[] = [];

  constructor(scope: Construct, id: string, props: RedressEventBusProps) {
    super(scope, id);
    this.bus = props.bus;
    const key = new Key(this, 'TopicKey', { enableKeyRotation: true, description: 'Redress supervisor alerts topic', removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY });
    this.supervisorTopic = new Topic(this, 'SupervisorAlerts', { displayName: 'Redress SLA breaches and escalations', masterKey: key, enforceSSL: true });
    for (const email of props.supervisorEmails) this.supervisorTopic.addSubscription(new EmailSubscription(email));
    const target = props.targetDeadLetters ?? {};
    const toSupervisors = new Rule(this, 'BreachesToSupervisors', {
      eventBus: this.bus,
      description: 'SLA breaches and escalations go to the supervisors',
      eventPattern: { source: [EVENT_SOURCE], detailType: ['Complaint.SlaBreached', 'Complaint.Escalated'] },
      targets: [new SnsTopic(this.supervisorTopic, target)],
    });
    this.customerNoticeTopic = new Topic(this, 'CustomerNotices', { displayName: 'Redress customer notices (extensions, summary resolutions)', masterKey: key, enforceSSL: true });
    const toNotices = new Rule(this, 'NoticesToCustomerCommunications', {
      eventBus: this.bus,
      description: 'Regulatory customer notices: an extended resolution deadline, a summary resolution communication',
      eventPattern: { source: [EVENT_SOURCE], detailType: ['Complaint.CustomerNoticeRequired', 'Complaint.SummaryResolutionRequired'] },
      targets: [new SnsTopic(this.customerNoticeTopic, target)],
    });
    this.rules.push(toSupervisors, toNotices);
    // EventBridge must be able to use the topic's key to publish.
    key.grantEncryptDecrypt(new ServicePrincipal('events.amazonaws.com'));
  }
}

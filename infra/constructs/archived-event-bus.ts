/**
 * The Redress event bus and its archive (replay after an outage of a consumer): stateful, so it lives in
 * the stage's stateful stack; the rules that route its events live with the functions in the stateless
 * stack (infra/constructs/redress-event-bus.ts) and can be destroyed and redeployed around it.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../schemas/event-names.ts';

export interface ArchivedEventBusProps {
  stage: string;
  /** Keep the archive when the stack is deleted. */
  retain?: boolean;
}

export class ArchivedEventBus extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: ArchivedEventBusProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: `redress-${props.stage}` });
    const archive = this.bus.archive('Archive', {
      description: 'Every Redress event, for replay to a consumer that missed some',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(365),
    });
    archive.applyRemovalPolicy(props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
  }
}

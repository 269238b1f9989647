/**
 * The complaint clock: a Standard state machine, one execution per (complaint, clock), that sleeps
 * until each deadline and asks the clock-check function what to do:
 *
 *   Wait(warnAt) → CheckWarning → Wait(dueAt) → CheckBreach → Wait(escalateAt) → CheckEscalation
 *
 * Each check re-reads the complaint, so a response or resolution that happened meanwhile silences it
 * (the admin actions also stop the execution). Checks retry with backoff; if the breach or escalation
 * check still fails, a direct EventBridge integration announces it anyway (marked `fallback`), so a
 * breach is never lost; the sweeper reconciles the item later.
 */
import { Duration, RemovalPolicy, Stack, Token, Validations, type CfnResource } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  CustomerManagedEncryptionConfiguration,
  Condition,
  DefinitionBody,
  JsonPath,
  LogLevel,
  Pass,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Wait,
  WaitTime,
  type IChainable,
  type IStateMachine,
  type State,
} from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgePutEvents, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, type IConstruct } from 'constructs';
import { EVENT_SOURCE, SCHEMA_VERSION } from '../../schemas/event-names.ts';

export interface ComplaintClockProps {
  checkFunction: IFunction;
  eventBus: IEventBus;
  logRetentionDays: number;
  /** The stage's data key: execution data (feedback ids, deadlines) is encrypted with it. */
  encryptionKey?: IKey;
  /** X-Ray tracing of the executions (the stage's `tracing`); on unless false. */
  tracing?: boolean;
}

export { CLOCK_STATES } from './clock-states.ts';
import { CLOCK_STATES } from './clock-states.ts';

export class ComplaintClock extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: ComplaintClockProps) {
    super(scope, id);

    const check = (name: string, stage: 'warning' | 'breach' | 'escalate') =>
      new LambdaInvoke(this, name, {
        stateName: name,
        lambdaFunction: props.checkFunction,
        // The execution name rides along only to correlate the check's log entries with the execution.
        payload: TaskInput.fromObject({ feedbackId: JsonPath.stringAt('$.feedbackId'), clock: JsonPath.stringAt('$.clock'), stage, executionName: JsonPath.stringAt('$$.Execution.Name') }),
        resultSelector: { continue: JsonPath.stringAt('$.Payload.continue') },
        resultPath: '$.check',
        retryOnServiceExceptions: false,
      }).addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 8, maxDelay: Duration.minutes(5) });

    const fallback = (name: string, detailName: string, type: string, level: number, next: IChainable) => {
      const detail = new Pass(this, detailName, {
        parameters: {
          eventId: JsonPath.format(`{}:${type}:{}:{}`, JsonPath.stringAt('$.feedbackId'), JsonPath.stringAt('$.clock'), JsonPath.stringAt('$.dueAt')),
          feedbackId: JsonPath.stringAt('$.feedbackId'),
          complaintId: JsonPath.stringAt('$.feedbackId'),
          clock: JsonPath.stringAt('$.clock'),
          dueAt: JsonPath.stringAt('$.dueAt'),
          escalationLevel: level,
          occurredAt: JsonPath.stringAt('$$.State.EnteredTime'),
          schemaVersion: SCHEMA_VERSION,
          fallback: true,
        },
        resultPath: '$.fallback',
      });
      const emit = new EventBridgePutEvents(this, name, {
        stateName: name,
        entries: [{ detail: TaskInput.fromJsonPathAt('$.fallback'), detailType: type, source: EVENT_SOURCE, eventBus: props.eventBus }],
        resultPath: JsonPath.DISCARD,
      });
      emit.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 10 });
      return detail.next(emit).next(next);
    };

    const stopped = new Succeed(this, 'ClockStopped');
    const done = new Succeed(this, 'ClockDone');
    const keepGoing = (name: string, next: State) =>
      new Choice(this, name).when(Condition.booleanEquals('$.check.continue', false), stopped).otherwise(next);

    const waitEscalate = new Wait(this, 'WaitForEscalation', { time: WaitTime.timestampPath('$.escalateAt') });
    const checkEscalation = check(CLOCK_STATES.checkEscalation, 'escalate');
    checkEscalation.addCatch(fallback(CLOCK_STATES.escalationFallback, 'EscalationFallbackDetail', 'Complaint.Escalated', 2, done), { resultPath: '$.error' });
    waitEscalate.next(checkEscalation).next(done);

    const waitDue = new Wait(this, 'WaitForDue', { time: WaitTime.timestampPath('$.dueAtWait') });
    const checkBreach = check(CLOCK_STATES.checkBreach, 'breach');
    checkBreach.addCatch(fallback(CLOCK_STATES.breachFallback, 'BreachFallbackDetail', 'Complaint.SlaBreached', 1, waitEscalate), { resultPath: '$.error' });
    waitDue.next(checkBreach).next(keepGoing('AfterBreach', waitEscalate));

    const waitWarn = new Wait(this, 'WaitForWarning', { time: WaitTime.timestampPath('$.warnAt') });
    const checkWarning = check(CLOCK_STATES.checkWarning, 'warning');
    // A failed warning check must not stop the clock: go on to the due time.
    checkWarning.addCatch(waitDue, { resultPath: '$.error' });
    waitWarn.next(checkWarning).next(keepGoing('AfterWarning', waitDue));

    const logs = new LogGroup(this, 'Logs', { retention: props.logRetentionDays as RetentionDays, removalPolicy: RemovalPolicy.DESTROY });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(waitWarn),
      comment: 'Redress complaint clock: warning, breach and level-2 escalation of one clock of one complaint',
      tracingEnabled: props.tracing ?? true,
      ...(props.encryptionKey ? { encryptionConfiguration: new CustomerManagedEncryptionConfiguration(props.encryptionKey) } : {}),
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
  }
}

/**
 * Lets `grantee` stop the clock's timers: StopExecution on this state machine's executions
 * (`execution:<machine>:*`: there is one per complaint clock, named at run time, so the grant cannot
 * name them), and acknowledges cdk-nag's wildcard finding for exactly that resource.
 */
export function grantStopClockExecutions(stateMachine: IStateMachine, grantee: IGrantable & IConstruct): void {
  stateMachine.grantExecution(grantee, 'states:StopExecution');
  const stack = Stack.of(stateMachine);
  const logicalId = stack.getLogicalId(stateMachine.node.defaultChild as CfnResource);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  Validations.of(grantee).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${region}:${account}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId}"}]}]}:*]`,
    reason: "StopExecution applies to executions, one per complaint clock, named at run time; the grant is limited to the clock state machine's executions.",
  });
}

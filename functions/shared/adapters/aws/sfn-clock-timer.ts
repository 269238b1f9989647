/** ClockTimer on Step Functions: one Standard execution per (complaint, clock, due time). */
import { ExecutionAlreadyExists, ExecutionDoesNotExist, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { ClockTimer, TimerRef, TimerStart } from '../../ports/clock-timer.ts';
import { timerExecutionInput, timerExecutionName } from './sfn-execution-naming.ts';

export class SfnClockTimer implements ClockTimer {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(timer: TimerStart): Promise<void> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: timerExecutionName(timer), input: JSON.stringify(timerExecutionInput(timer)) }),
      );
    } catch (err) {
      // Same name already used: this timer was started before (a retry). Nothing to do.
      if (err instanceof ExecutionAlreadyExists || (err as { name?: string }).name === 'ExecutionAlreadyExists') return;
      throw err;
    }
  }

  async stop(timer: TimerRef): Promise<void> {
    try {
      await this.sfn.send(new StopExecutionCommand({ executionArn: this.executionArn(timer), cause: 'clock stopped by a complaint handler action' }));
    } catch (err) {
      if (err instanceof ExecutionDoesNotExist || (err as { name?: string }).name === 'ExecutionDoesNotExist') return;
      throw err;
    }
  }

  /** arn:…:stateMachine:<name> → arn:…:execution:<name>:<execution name>. */
  private executionArn(timer: TimerRef): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${timerExecutionName(timer)}`;
  }
}

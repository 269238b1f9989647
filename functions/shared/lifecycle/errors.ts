/**
 * The lifecycle's error family: a command the lifecycle refuses for the item it was aimed at. Each names
 * the item and the version it was refused at, so the problem middleware (middleware/http-problem.ts)
 * answers it (409, 404) without the handler translating it.
 */
import type { CommandType } from './state-machine.ts';

/** The item a refused command was aimed at, as it was read. */
export interface CommandSubject {
  readonly id: string;
  readonly version: number;
}

/** Base of the lifecycle's refusals. */
export abstract class LifecycleError extends Error {
  constructor(
    readonly subject: CommandSubject,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A command the lifecycle forbids in the item's state (the admin API's 409, naming the allowed ones). */
export class InvalidTransitionError extends LifecycleError {
  override name = 'InvalidTransitionError';
  constructor(
    subject: CommandSubject,
    readonly command: CommandType,
    readonly state: string,
    readonly allowed: CommandType[],
    why: string,
    options?: ErrorOptions,
  ) {
    super(subject, why, options);
  }
}

/** A command named a clock the complaint does not have (the admin API's 404). */
export class UnknownClockError extends LifecycleError {
  override name = 'UnknownClockError';
  constructor(
    subject: CommandSubject,
    readonly clock: string,
    readonly known: string[],
  ) {
    super(subject, `no clock ${JSON.stringify(clock.slice(0, 64))} on this complaint (it has: ${known.length ? known.join(', ') : 'none'})`);
  }
}

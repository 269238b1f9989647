/** EventBus on EventBridge: PutEvents in chunks of ten, source `redress`; a failed entry fails the call. */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../../../../schemas/event-names.ts';
import type { DomainEvent, EventBus } from '../../ports/event-bus.ts';

/**
 * PutEvents answered 200 but refused some entries. Carries their error codes (`ThrottlingException`,
 * `InternalFailure`, `MalformedDetail`, …) so the processor can tell a retry-later from a never.
 */
export class EventBridgeEntriesError extends Error {
  override name = 'EventBridgeEntriesError';
  constructor(
    readonly errorCodes: string[],
    total: number,
  ) {
    super(`EventBridge rejected ${errorCodes.length} of ${total} events (${[...new Set(errorCodes)].join(', ')})`);
  }
}

export class EventBridgeEventBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 10) {
      const chunk = events.slice(i, i + 10);
      const res = await this.client.send(
        new PutEventsCommand({
          Entries: chunk.map((e) => ({
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: e.detailType,
            Time: new Date(e.time),
            Detail: JSON.stringify(e.detail),
          })),
        }),
      );
      if (res.FailedEntryCount) {
        const codes = (res.Entries ?? []).filter((e) => e.ErrorCode).map((e) => e.ErrorCode!);
        throw new EventBridgeEntriesError(codes.length ? codes : Array.from({ length: res.FailedEntryCount }, () => 'Unknown'), chunk.length);
      }
    }
  }
}

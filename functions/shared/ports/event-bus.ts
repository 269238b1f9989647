/** Port: where domain events go (EventBridge in AWS, the local bus on one machine). */

/** One domain event, in the shape our publishers build (the bus adds account, region and so on). */
export interface DomainEvent {
  /** Deterministic id (`<feedbackId>:<type>[:<qualifier>]`): the same state change always has the same id, so consumers and the local bus can drop repeats. */
  id: string;
  detailType: string;
  time: string;
  detail: Record<string, unknown>;
}

export interface EventBus {
  /** Publishes every event or throws; partial failures throw too (the caller retries the whole set). */
  publish(events: DomainEvent[]): Promise<void>;
}

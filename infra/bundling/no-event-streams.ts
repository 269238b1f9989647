/**
 * Stand-in for `@smithy/core/event-streams` in Lambda bundles (an esbuild alias). The SDK's HTTP protocol
 * loads it with a dynamic import only when an operation streams events (Bedrock, Transcribe, Lambda's
 * InvokeWithResponseStream…); none of the clients our functions bundle (DynamoDB, SQS, EventBridge, Step
 * Functions, Secrets Manager) has such an operation, so the codec, marshallers and serde (about 15 KB)
 * are never loaded there. A client with an event stream added to a function without removing the alias
 * fails loudly on its first call, and infra/bundling/esbuild-options.test.ts fails first.
 * Locally and in tests the real module is used.
 */
const unavailable = (): never => {
  throw new Error('event streams are not bundled in this Lambda (alias in infra/bundling/esbuild-options.ts)');
};

export class EventStreamSerde {
  constructor() {
    unavailable();
  }
}

export const eventStreamSerdeProvider = unavailable;

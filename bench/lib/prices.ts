/**
 * Public list prices (USD, us-east-1, on-demand, no free tier) used for the cost figures. Check them
 * against the AWS pricing pages before quoting a budget; they are inputs, not measurements.
 */
export const PRICES = {
  apiGatewayHttpPerRequest: 1.0 / 1e6, // HTTP API, first 300 M requests/month
  lambdaPerRequest: 0.2 / 1e6,
  lambdaArmPerGbSecond: 0.0000133334,
  sqsPerRequest: 0.4 / 1e6, // standard queue, per 64 KB chunk
  dynamoPerWriteUnit: 0.625 / 1e6, // on-demand write request unit
  dynamoPerReadUnit: 0.125 / 1e6, // on-demand read request unit
  sfnPerTransition: 25 / 1e6, // Standard workflows
  eventBridgePerEvent: 1.0 / 1e6, // custom events
};

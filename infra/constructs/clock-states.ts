/**
 * The complaint clock's Task state names: the contract between the ComplaintClock construct and the
 * local runtime, which binds its task handlers to them. Kept free of CDK imports so the local stack can
 * use them without loading aws-cdk-lib.
 */
export const CLOCK_STATES = {
  checkWarning: 'CheckWarning',
  checkBreach: 'CheckBreach',
  checkEscalation: 'CheckEscalation',
  breachFallback: 'AnnounceBreachFallback',
  escalationFallback: 'AnnounceEscalationFallback',
} as const;

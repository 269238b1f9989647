/** The roles a handler may hold (the token's `cognito:groups`): what the permission rules speak of. */
export const ROLES = ['agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

import type { AuditRecord, CustomerBase, Plan } from '../../../schemas/plan.ts';

/** Port: where the plan, the customer bases and their audit trail are kept. */
export interface PlanStore {
  getPlan(): Promise<Plan | undefined>;
  /**
   * Writes `plan` with its audit record in one conditional write: only when the stored version is
   * `expectedVersion` (0: no plan yet).
   * @throws VersionConflictError when it is not (another administrator won the race).
   */
  savePlan(plan: Plan, audit: AuditRecord, expectedVersion: number): Promise<void>;
  getCustomerBase(quarter: string): Promise<CustomerBase | undefined>;
  /** As savePlan, for one quarter's customer base. */
  saveCustomerBase(base: CustomerBase, audit: AuditRecord, expectedVersion: number): Promise<void>;
  /** The audit records of a resource (`plan`, `customer-base/2027-Q1`), newest first. */
  auditTrail(resource: string, limit: number): Promise<AuditRecord[]>;
}

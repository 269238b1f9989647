/**
 * A stage synthesized as the CDK app builds it (infra/stage-stacks.ts: a stateful and a stateless
 * stack), bundling skipped, and its two templates read as one: resources, outputs and conditions side
 * by side, each `Fn::ImportValue` of the stateless stack replaced by the stateful stack's exported value.
 * The stage's properties (a function's grants on the table, an alarm on a queue) span both stacks, so
 * the infra tests assert on this merged template; what belongs to one stack is asserted on that stack.
 */
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StageConfig } from '../../infra/config.ts';
import type { RedressStack } from '../../infra/redress-stack.ts';
import type { RedressStatefulStack } from '../../infra/redress-stateful-stack.ts';
import { stageStacks } from '../../infra/stage-stacks.ts';
import type { CfnTemplate } from './cfn-iam.ts';

export const TEST_ENV = { account: '123456789012', region: 'eu-west-1' };

export interface SynthesizedStage {
  stateful: RedressStatefulStack;
  /** The stateless stack (functions, APIs, alarms): `stack.functions`, `stack.getLogicalId(…)`. */
  stack: RedressStack;
  /** Both templates as one (imports resolved). */
  template: Template;
  json: CfnTemplate & { Outputs: Record<string, { Value: unknown; Export?: { Name: unknown } }> };
  /** cdk-nag's unacknowledged findings on either stack (`rule at path`), when `nag` was asked for. */
  violations: string[];
}

type Json = Record<string, any>;

/** Replaces every `{ "Fn::ImportValue": name }` in `value` by the exported value it names. */
function resolveImports(value: unknown, exports: Map<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveImports(v, exports));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === 'Fn::ImportValue') {
    const name = JSON.stringify(entries[0]![1]);
    if (!exports.has(name)) throw new Error(`import of ${name}, which no stack exports`);
    return exports.get(name);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveImports(v, exports)]));
}

/** The templates as one: sections merged (a logical id in two templates is an error), imports resolved. */
export function mergeTemplates(templates: Json[]): Json {
  const exports = new Map<string, unknown>();
  for (const t of templates) for (const o of Object.values((t.Outputs ?? {}) as Json)) if (o.Export) exports.set(JSON.stringify(o.Export.Name), o.Value);
  const merged: Json = { Resources: {}, Outputs: {}, Conditions: {}, Parameters: {}, Rules: {} };
  for (const t of templates) {
    for (const section of ['Resources', 'Outputs', 'Conditions', 'Parameters', 'Rules']) {
      for (const [id, v] of Object.entries((t[section] ?? {}) as Json)) {
        if (section === 'Resources' && id in merged[section]) throw new Error(`logical id ${id} in two stacks`);
        merged[section][id] = resolveImports(v, exports);
      }
    }
  }
  return merged;
}

/** Synthesizes the stage of `config` (a StageConfig input), optionally with the three cdk-nag packs. */
export function synthStage(config: Record<string, unknown>, options: { nag?: boolean } = {}): SynthesizedStage {
  const outdir = mkdtempSync(join(tmpdir(), 'redress-synth-'));
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const { stateful, stateless } = stageStacks(app, StageConfig.parse(config), TEST_ENV);
  let violations: string[] = [];
  if (options.nag) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app), new NIST80053R5Checks(app));
    try {
      app.synth();
    } catch {
      // A failed validation throws after writing its report.
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    violations = report.pluginReports.flatMap((r: { violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }) =>
      r.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)),
    );
  }
  const json = mergeTemplates([Template.fromStack(stateful).toJSON(), Template.fromStack(stateless).toJSON()]);
  return { stateful, stack: stateless, template: Template.fromJSON(json), json: json as SynthesizedStage['json'], violations };
}

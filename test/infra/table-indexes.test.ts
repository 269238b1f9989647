/**
 * The table's GSIs on the synthesized template: the list and customer indexes project only what the
 * lists filter on (whole items are read by BatchGetItem), no index projects `version` (every write
 * changes it), and an index migration on a stage with data goes one GSI creation or deletion per table
 * update (CloudFormation's limit), the stateless stack refusing to deploy while its indexes are pending.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { StageConfig, stageConfigFromContext } from '../../infra/config.ts';
import { FeedbackTable, tableIndexesOf } from '../../infra/constructs/feedback-table.ts';
import { LIST_ATTRIBUTES, RETIRED_INDEXES, TABLE_INDEXES } from '../../functions/shared/adapters/table-design.ts';
import { synthStage } from '../helpers/stage-template.ts';

interface Gsi {
  IndexName: string;
  KeySchema: Array<{ AttributeName: string; KeyType: string }>;
  Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
}

function gsis(indexes?: { pending?: string[]; retired?: string[] }): Gsi[] {
  const stack = new Stack(new App(), 'T');
  new FeedbackTable(stack, 'Feedback', { retainData: true, ...(indexes ? { indexes } : {}) });
  const table = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'))[0]!;
  return table.Properties.GlobalSecondaryIndexes as Gsi[];
}
const named = (list: Gsi[], name: string) => list.find((g) => g.IndexName === name);
/** Attributes that change on (nearly) every write of an item, or are its bulk: never in a list index. */
const CHURN = ['version', 'timeline', 'replies', 'outbox', 'text', 'classification', 'suggestions', 'reportFacts'];

describe('the list and customer indexes', () => {
  it.each(['FeedbackByDayV2', 'OpenByDueV2', 'CustomerHistoryV2'])('%s projects only what the lists filter on (INCLUDE), not whole items', (name) => {
    const gsi = named(gsis(), name)!;
    expect(gsi.Projection.ProjectionType).toBe('INCLUDE');
    expect(gsi.Projection.NonKeyAttributes).toEqual(expect.arrayContaining([...LIST_ATTRIBUTES]));
    for (const attribute of CHURN) expect(gsi.Projection.NonKeyAttributes).not.toContain(attribute);
  });

  it('CustomerHistoryV2 also projects the customer key (the counts read it)', () => {
    expect(named(gsis(), 'CustomerHistoryV2')!.Projection.NonKeyAttributes).toContain('customerKey');
  });

  it('keep the keys of the indexes they replace, so DynamoDB backfills them from the items already stored', () => {
    for (const key of ['openByDue', 'feedbackByDay', 'customerHistory', 'reportByDay', 'complaintActivity'] as const) {
      expect([TABLE_INDEXES[key].partitionKey, TABLE_INDEXES[key].sortKey]).toEqual([RETIRED_INDEXES[key].partitionKey, RETIRED_INDEXES[key].sortKey]);
      expect(TABLE_INDEXES[key].name).not.toBe(RETIRED_INDEXES[key].name);
    }
  });
});

describe('no index is rewritten by every write', () => {
  it('none projects `version`; the report indexes keep reportFacts; only the two small sparse queues hold whole items', () => {
    const all = gsis();
    for (const gsi of all) expect(gsi.Projection.NonKeyAttributes ?? [], gsi.IndexName).not.toContain('version');
    expect(named(all, 'ReportByDayV2')!.Projection.NonKeyAttributes).toContain('reportFacts');
    expect(named(all, 'ComplaintActivityByDayV2')!.Projection.NonKeyAttributes).toContain('reportFacts');
    expect(all.filter((g) => g.Projection.ProjectionType === 'ALL').map((g) => g.IndexName).sort()).toEqual(['OpenByAssignee']);
  });

  it('a new stage has exactly TABLE_INDEXES, none of the retired ones', () => {
    expect(gsis().map((g) => g.IndexName).sort()).toEqual(Object.values(TABLE_INDEXES).map((i) => i.name).sort());
  });
});

describe('index migration on a stage with data (StageConfig tableIndexes)', () => {
  const NEW = ['OpenByDueV2', 'FeedbackByDayV2', 'CustomerHistoryV2', 'ReportByDayV2', 'ComplaintActivityByDayV2', 'TriageByDueV2'];
  const OLD = Object.values(RETIRED_INDEXES).map((i) => i.name);

  it('leaves pending indexes out and keeps retired ones, as they were (whole items; the report ones with version)', () => {
    const list = gsis({ pending: NEW, retired: OLD });
    const names = list.map((g) => g.IndexName);
    for (const n of NEW) expect(names).not.toContain(n);
    for (const n of OLD) expect(names).toContain(n);
    expect(named(list, 'FeedbackByDay')!.Projection).toEqual({ ProjectionType: 'ALL' });
    expect(named(list, 'ReportByDay')!.Projection.NonKeyAttributes).toContain('version');
  });

  it('the documented sequence (README "Deploy") changes one GSI per table update, from the old layout to the new', () => {
    const steps: Array<{ pending: string[]; retired: string[] }> = [];
    for (let i = 0; i <= NEW.length; i++) steps.push({ pending: NEW.slice(i), retired: OLD });
    for (let i = 1; i <= OLD.length; i++) steps.push({ pending: [], retired: OLD.slice(i) });
    const layouts = steps.map((s) => new Set(tableIndexesOf(s).map((i) => i.name)));
    const before = new Set([...Object.values(TABLE_INDEXES).map((i) => i.name).filter((n) => !NEW.includes(n)), ...OLD]);
    expect(layouts[0]).toEqual(before);
    for (let i = 1; i < layouts.length; i++) {
      const added = [...layouts[i]!].filter((n) => !layouts[i - 1]!.has(n));
      const removed = [...layouts[i - 1]!].filter((n) => !layouts[i]!.has(n));
      expect(added.length + removed.length, `step ${i}`).toBe(1);
    }
    expect(layouts.at(-1)).toEqual(new Set(Object.values(TABLE_INDEXES).map((i) => i.name)));
  });

  it('the prod preset (a stage with data) starts where prod is: its next deploy changes no index', () => {
    const presets = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context.stages;
    const prod = stageConfigFromContext((key) => ({ stage: 'prod', stages: presets })[key]);
    const deployed = ['OpenByDue', 'OpenByAssignee', 'FeedbackByDay', 'ClockActionsDue', 'MetricsByDay', 'TriageByDue', 'CustomerHistory', 'ComplaintsByDay', 'ReportByDay', 'ComplaintActivityByDay', 'RepliesDue'];
    expect(tableIndexesOf(prod.tableIndexes).map((i) => i.name).sort()).toEqual(deployed.sort());
  });

  it('rejects names that are not indexes of the design', () => {
    expect(() => StageConfig.parse({ stage: 'x', tableIndexes: { pending: ['OpenByDue'] } })).toThrow();
    expect(() => StageConfig.parse({ stage: 'x', tableIndexes: { retired: ['OpenByDueV2'] } })).toThrow();
  });

  it('while an index is pending, the stateless stack (whose code reads it) carries an error and so does not deploy; the stateful one deploys', () => {
    const stage = synthStage({ stage: 'test', tableIndexes: { pending: ['CustomerHistoryV2'], retired: OLD } });
    Annotations.fromStack(stage.stack).hasError('*', Match.stringLikeRegexp('CustomerHistoryV2'));
    expect(Annotations.fromStack(stage.stateful).findError('*', Match.anyValue())).toEqual([]);
  }, 120_000);
});

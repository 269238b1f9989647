/**
 * Where the admin API is reachable (stage config `adminApi`): on the public webhook API (`shared`), or
 * on an HTTP API of its own (`separate`, the prod preset) that the public URL never serves, with its own
 * throttle, access logs (the admin alarms read them) and output; the JWT authorizer on every admin route
 * either way, and cdk-nag clean.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROUTES, OPENAPI_PATH, SURVEY_ROUTE } from '../../functions/admin/routes.ts';
import { stageConfigFromContext } from '../../infra/config.ts';
import { synthStage, type SynthesizedStage } from '../helpers/stage-template.ts';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

/** The stage's HTTP APIs by name, each with its route keys (and each route's authorization) and its stage. */
function apis(stage: SynthesizedStage) {
  const resources = stage.json.Resources as Resources;
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  return Object.fromEntries(
    of('AWS::ApiGatewayV2::Api').map(([id, api]) => {
      const routes = of('AWS::ApiGatewayV2::Route').filter(([, r]) => r.Properties.ApiId?.Ref === id).map(([, r]) => r.Properties);
      const stageProps = of('AWS::ApiGatewayV2::Stage').find(([, s]) => s.Properties.ApiId?.Ref === id)![1].Properties;
      return [api.Properties.Name as string, { id, routes, routeKeys: routes.map((r) => String(r.RouteKey)), stage: stageProps }];
    }),
  );
}

const ADMIN_KEYS = ADMIN_ROUTES.map((r) => `${r.method} ${r.path}`);
let shared: SynthesizedStage;
let separate: SynthesizedStage;

beforeAll(() => {
  shared = synthStage({ stage: 'test' });
  separate = synthStage({ stage: 'test', adminApi: 'separate', adminThrottle: { rateLimit: 7, burstLimit: 14 } }, { nag: true });
}, 180_000);

describe('adminApi: shared (the default)', () => {
  it('serves the webhooks and the JWT-guarded admin routes on one HTTP API', () => {
    const all = apis(shared);
    expect(Object.keys(all)).toEqual(['redress-test']);
    const api = all['redress-test']!;
    expect(api.routeKeys).toEqual(expect.arrayContaining([...ADMIN_KEYS, 'POST /webhooks/web', `GET ${OPENAPI_PATH}`]));
    for (const r of api.routes.filter((r) => ADMIN_KEYS.includes(String(r.RouteKey)))) expect(r.AuthorizationType).toBe('JWT');
    expect(Object.keys(shared.json.Outputs).some((o) => o.startsWith('AdminApiUrl'))).toBe(false);
  });
});

describe('adminApi: separate', () => {
  it('keeps every admin route off the public webhook API, which still serves the survey and the contract document', () => {
    const pub = apis(separate)['redress-test']!;
    expect(pub.routeKeys.filter((k) => k.includes(' /admin'))).toEqual([]);
    expect(pub.routeKeys).toEqual(expect.arrayContaining(['POST /webhooks/web', `GET ${SURVEY_ROUTE}`, `POST ${SURVEY_ROUTE}`, `GET ${OPENAPI_PATH}`]));
  });

  it('serves exactly the admin routes (and the contract document) on the admin API, every admin route with the Cognito JWT authorizer', () => {
    const admin = apis(separate)['redress-test-admin']!;
    expect(admin.routeKeys.sort()).toEqual([...ADMIN_KEYS, `GET ${OPENAPI_PATH}`].sort());
    const authorizers = Object.entries(separate.json.Resources as Resources).filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(authorizer.Properties.ApiId).toEqual({ Ref: admin.id });
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    for (const r of admin.routes.filter((r) => ADMIN_KEYS.includes(String(r.RouteKey)))) {
      expect(r.AuthorizationType).toBe('JWT');
      expect(r.AuthorizerId).toEqual({ Ref: authorizerId });
    }
  });

  it("throttles the admin API as a whole by the stage's adminThrottle and leaves the webhooks' budget alone", () => {
    const all = apis(separate);
    expect(all['redress-test-admin']!.stage.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 14, ThrottlingRateLimit: 7 });
    expect(all['redress-test']!.stage.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 1000, ThrottlingRateLimit: 500 });
    expect(Object.keys(all['redress-test']!.stage.RouteSettings ?? {}).filter((k) => k.includes('/admin'))).toEqual([]);
  });

  it("logs the admin API's requests apart, and the admin alarms count them there", () => {
    const all = apis(separate);
    const logGroupOf = (api: { stage: Record<string, any> }) => JSON.stringify(api.stage.AccessLogSettings.DestinationArn);
    const adminLogs = logGroupOf(all['redress-test-admin']!);
    const webhookLogs = logGroupOf(all['redress-test']!);
    expect(adminLogs).not.toEqual(webhookLogs);
    const filters = Object.values(separate.json.Resources as Resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter');
    const logGroupOfMetric = (name: string) => filters.find((f) => f.Properties.MetricTransformations[0].MetricName === name)!.Properties.LogGroupName.Ref as string;
    expect(adminLogs).toContain(`"${logGroupOfMetric('Admin5xx')}"`);
    expect(adminLogs).toContain(`"${logGroupOfMetric('AdminLatency')}"`);
    expect(webhookLogs).toContain(`"${logGroupOfMetric('Webhook5xx')}"`);
  });

  it('outputs the admin API URL', () => {
    expect(Object.keys(separate.json.Outputs).some((o) => o.startsWith('AdminApiUrl'))).toBe(true);
  });

  it('leaves no unacknowledged cdk-nag finding', () => {
    expect(separate.violations).toEqual([]);
  });
});

describe('adminApi config', () => {
  const context = (values: Record<string, unknown>) => (key: string) => values[key];
  it('is separate in the prod preset, shared by default, settable with -c, and nothing else', () => {
    const presets = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context.stages;
    expect(stageConfigFromContext(context({ stage: 'prod', stages: presets })).adminApi).toBe('separate');
    expect(stageConfigFromContext(context({})).adminApi).toBe('shared');
    expect(stageConfigFromContext(context({ adminApi: 'separate' })).adminApi).toBe('separate');
    expect(() => stageConfigFromContext(context({ adminApi: 'private' }))).toThrow();
  });
});

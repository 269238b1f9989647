/**
 * The deploy pipeline (.github/workflows/deploy.yml) runs its stages in the order issue 19 asks for:
 * tests → synth (cdk-nag) → diff → dev → approval → prod, and prod only behind an environment that
 * can require reviewers. Read line by line: each job's `needs` and `environment`.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

const workflow = readFileSync(new URL('../../.github/workflows/deploy.yml', import.meta.url), 'utf8');

/** Job name → its `needs` and `environment`, from the workflow's two-space-indented jobs. */
function jobs(): Record<string, { needs?: string; environment?: string; body: string }> {
  const out: Record<string, { needs?: string; environment?: string; body: string }> = {};
  const section = workflow.slice(workflow.indexOf('\njobs:\n'));
  for (const block of section.split(/\n(?=  [a-z-]+:\n)/).slice(1)) {
    const name = block.match(/^ {2}([a-z-]+):/)![1]!;
    out[name] = { needs: block.match(/^ {4}needs: (\S+)/m)?.[1], environment: block.match(/^ {4}environment: (\S+)/m)?.[1], body: block };
  }
  return out;
}

describe('deploy pipeline', () => {
  it('chains test → synth → diff → deploy-dev → deploy-prod', () => {
    const j = jobs();
    expect(Object.keys(j)).toEqual(['test', 'synth', 'diff', 'deploy-dev', 'deploy-prod']);
    expect([j.synth!.needs, j.diff!.needs, j['deploy-dev']!.needs, j['deploy-prod']!.needs]).toEqual(['test', 'synth', 'diff', 'deploy-dev']);
  });

  it('typechecks and runs the whole test suite (cdk-nag packs included) before anything is synthesized', () => {
    expect(jobs().test!.body).toMatch(/npm run typecheck[\s\S]*npm test/);
  });

  it('deploys prod only from the `prod` environment (required reviewers: the manual approval), with the assembly dev got', () => {
    const prod = jobs()['deploy-prod']!;
    expect(prod.environment).toBe('prod');
    expect(prod.body).toContain('npx cdk deploy --app cdk.out/prod');
    expect(jobs().synth!.body).toContain('-c stage=prod');
  });

  it('uses OIDC roles, never stored access keys', () => {
    expect(workflow).toContain('id-token: write');
    expect(workflow).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key/);
  });
});

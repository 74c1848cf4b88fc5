import { platformStackName } from '../../common/stack-names';
import { evaluatePlans, formatReport, RULES, SUPPRESSIONS, type Rule, type Suppression } from '../../policy';
import { NOW } from './fixtures/check';
import { PlanBuilder } from './fixtures/plan-builder';
import { compliantPlatform, FUNCTION, STAGE, TABLE } from './fixtures/platform';
import { compliantStateBucket } from './fixtures/state-bucket';

const NO_SUPPRESSIONS: Suppression[] = [];
const evaluate = (
  inputs: Parameters<typeof evaluatePlans>[0],
  suppressions: readonly Suppression[] = NO_SUPPRESSIONS,
) => evaluatePlans(inputs, { suppressions, now: NOW });

/** The platform fixture as the project's stacks are: no WAF, no cache; dev without reserved concurrency. */
const platformStage = (stage: 'dev' | 'prod') => {
  const fixture = compliantPlatform()
    .without('aws_wafv2_web_acl_association.stage')
    .with(STAGE, { cache_cluster_enabled: undefined });
  return (stage === 'dev' ? fixture.with(FUNCTION, { reserved_concurrent_executions: -1 }) : fixture).input(
    platformStackName(stage),
  );
};

describe('evaluatePlans', () => {
  it('passes compliant stacks with every rule passed and nothing suppressed', () => {
    const report = evaluate([compliantPlatform().input('platform-test'), compliantStateBucket().input('bootstrap')]);
    expect(report.ok).toBe(true);
    for (const stack of report.stacks) {
      expect(stack).toMatchObject({ ok: true, failed: 0, suppressed: 0, passed: RULES.length });
    }
  });

  it('counts rules without matching resources as passed, and says so', () => {
    const report = evaluate([compliantStateBucket().input('bootstrap')]);
    const [stack] = report.stacks;
    const lambda = stack.results.find((r) => r.rule.id === 'CKV_AWS_50')!;
    expect(lambda).toMatchObject({ status: 'passed', applicable: false, failures: [] });
    expect(stack.notApplicable).toBeGreaterThan(0);
    expect(formatReport(report, { listPassed: true })).toMatch(
      /pass CKV_AWS_50 Lambda functions have active X-Ray tracing \(no matching resources\)/,
    );
  });

  it('fails the gate on any failure, naming stack, rule, address and fix', () => {
    const broken = compliantPlatform()
      .with(TABLE, { point_in_time_recovery: [{ enabled: false }] })
      .input('platform-test');
    const report = evaluate([broken, compliantStateBucket().input('bootstrap')]);
    expect(report.ok).toBe(false);
    expect(report.stacks.map((s) => [s.stack, s.ok, s.failed])).toEqual([
      ['platform-test', false, 1],
      ['bootstrap', true, 0],
    ]);
    const text = formatReport(report);
    expect(text).toContain('platform-test: FAILED');
    expect(text).toContain('FAIL CKV_AWS_28 [DDB3] DynamoDB tables have point-in-time recovery enabled');
    expect(text).toContain(`    ${TABLE}\n      point_in_time_recovery[0].enabled is false (needs true)`);
    expect(text).toContain('fix: Set point_in_time_recovery { enabled = true } on the aws_dynamodb_table.');
    expect(text).toMatch(/Policy gate FAILED: 1 finding\(s\) in platform-test\.$/);
  });

  it('reports warnings without failing the gate', () => {
    const report = evaluatePlans([compliantPlatform().input()], {
      suppressions: [],
      now: new Date('2027-03-15T00:00:00Z'),
    });
    expect(report.ok).toBe(true);
    expect(formatReport(report)).toMatch(
      /WARN CKV_AWS_363 \[L1\][\s\S]*nodejs22.x reaches end of support on 2027-04-30/,
    );
  });

  it('turns a rule that throws into a failure instead of a pass', () => {
    const crashing: Rule = {
      id: 'X_1',
      title: 'crashes',
      fix: 'none',
      resourceTypes: [],
      check: () => {
        throw new Error('boom');
      },
    };
    const report = evaluatePlans([compliantPlatform().input()], { rules: [crashing], suppressions: [] });
    expect(report.ok).toBe(false);
    expect(report.stacks[0].results[0].failures[0].message).toMatch(/could not evaluate the plan: boom/);
  });
});

describe('suppressions', () => {
  const wafInDev: Suppression = {
    rule: 'APIG3',
    stacks: 'platform-dev',
    addresses: 'aws_api_gateway_stage.*',
    justification: 'An example justification, long enough to be a sentence.',
  };

  it('apply only to the rule (by id or alias), stack and addresses they name, and are reported with their justification', () => {
    const report = evaluate([platformStage('dev'), platformStage('prod')], [wafInDev]);
    const [dev, prod] = report.stacks;
    const devWaf = dev.results.find((r) => r.rule.id === 'CKV2_AWS_29')!;
    expect(devWaf.status).toBe('suppressed');
    expect(devWaf.suppressed.map((f) => [f.address, f.suppression])).toEqual([[STAGE, wafInDev]]);
    expect(prod.results.find((r) => r.rule.id === 'CKV2_AWS_29')!.status).toBe('failed');
    expect(dev.results.find((r) => r.rule.id === 'CKV_AWS_120')!.status).toBe('failed');

    const text = formatReport(report);
    expect(text).toContain(`SUPPRESSED CKV2_AWS_29 [APIG3]`);
    expect(text).toContain(`${STAGE}: no WAF web ACL is associated with the stage`);
    expect(text).toContain('justification: An example justification, long enough to be a sentence.');
  });

  it('do not apply to other resources of the same stack', () => {
    const narrow: Suppression = { ...wafInDev, addresses: 'aws_api_gateway_stage.other' };
    const report = evaluate([platformStage('dev')], [narrow]);
    expect(report.stacks[0].results.find((r) => r.rule.id === 'CKV2_AWS_29')!.status).toBe('failed');
    expect(report.unusedSuppressions).toEqual([narrow]);
    expect(formatReport(report)).toContain('Unused suppressions');
  });

  it('are refused without a justification or for an unknown rule', () => {
    expect(() => evaluate([platformStage('dev')], [{ ...wafInDev, justification: ' ' }])).toThrow(
      /needs a written justification/,
    );
    expect(() => evaluate([platformStage('dev')], [{ ...wafInDev, rule: 'CKV_AWS_9999' }])).toThrow(
      /unknown rule "CKV_AWS_9999"/,
    );
  });

  describe("the project's suppressions", () => {
    const report = evaluatePlans(
      [platformStage('dev'), platformStage('prod'), compliantStateBucket().input('bootstrap')],
      { now: NOW },
    );
    const result = (stack: string, id: string) =>
      report.stacks.find((s) => s.stack === stack)!.results.find((r) => r.rule.id === id)!;

    it('accept no WAF and no stage cache on every platform stage', () => {
      for (const stack of ['platform-dev', 'platform-prod']) {
        expect(result(stack, 'CKV2_AWS_29').status).toBe('suppressed');
        expect(result(stack, 'CKV_AWS_120').status).toBe('suppressed');
      }
    });

    it('accept a function without reserved concurrency in dev only', () => {
      expect(result('platform-dev', 'CKV_AWS_115').status).toBe('suppressed');
      expect(result('platform-prod', 'CKV_AWS_115').status).toBe('passed');
      const prodWithout = evaluatePlans(
        [compliantPlatform().with(FUNCTION, { reserved_concurrent_executions: -1 }).input('platform-prod')],
        { now: NOW },
      );
      expect(prodWithout.stacks[0].results.find((r) => r.rule.id === 'CKV_AWS_115')!.status).toBe('failed');
    });

    it('are all used and all justified', () => {
      expect(report.ok).toBe(true);
      expect(report.unusedSuppressions).toEqual([]);
      for (const suppression of SUPPRESSIONS) expect(suppression.justification.length).toBeGreaterThan(100);
    });
  });
});

describe('rules', () => {
  it('have unique ids, a title, a fix and the resource types they look at', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.title).toMatch(/\w{3}/);
      expect(rule.fix).toMatch(/\w{3}/);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
    }
  });

  it('pass on a plan with no resources at all', () => {
    const report = evaluate([new PlanBuilder().input('empty')]);
    expect(report.stacks[0]).toMatchObject({ ok: true, passed: RULES.length, notApplicable: RULES.length });
  });
});

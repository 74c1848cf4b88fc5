import { dynamodbEncryption } from '../../policy/rules/dynamodb-encryption';
import { dynamodbPointInTimeRecovery } from '../../policy/rules/dynamodb-point-in-time-recovery';
import { logGroupRetention } from '../../policy/rules/log-group-retention';
import { addresses, check } from './fixtures/check';
import { PlanBuilder, UNKNOWN } from './fixtures/plan-builder';
import { ACCESS_LOGS, compliantPlatform, FUNCTION_LOGS, TABLE } from './fixtures/platform';

describe.each([dynamodbPointInTimeRecovery, dynamodbEncryption, logGroupRetention].map((r) => [r.id, r] as const))(
  '%s',
  (_, rule) => {
    it('passes on compliant tables and log groups', () => {
      expect(check(rule, compliantPlatform())).toEqual([]);
    });

    it('passes when the plan has no matching resources', () => {
      expect(check(rule, new PlanBuilder().add('aws_sqs_queue.q', { name: 'queue' }))).toEqual([]);
    });
  },
);

describe('CKV_AWS_28 point-in-time recovery', () => {
  it.each([
    [
      'disabled',
      { point_in_time_recovery: [{ enabled: false }] },
      'point_in_time_recovery[0].enabled is false (needs true)',
    ],
    [
      'not configured',
      { point_in_time_recovery: undefined },
      'point_in_time_recovery[0].enabled is not set (needs true)',
    ],
  ])('fails a table with recovery %s', (_, patch, message) => {
    const findings = check(dynamodbPointInTimeRecovery, compliantPlatform().with(TABLE, patch));
    expect(findings).toEqual([{ address: TABLE, message }]);
  });
});

describe('CKV_AWS_119 server-side encryption', () => {
  it('fails a table left on the default AWS owned key', () => {
    const findings = check(dynamodbEncryption, compliantPlatform().with(TABLE, { server_side_encryption: undefined }));
    expect(addresses(findings)).toEqual([TABLE]);
  });
});

describe('CKV_AWS_66 log retention', () => {
  it('fails log groups that keep logs forever, and one whose retention is unknown before apply', () => {
    const fixture = compliantPlatform()
      .with(ACCESS_LOGS, { retention_in_days: undefined })
      .with(FUNCTION_LOGS, { retention_in_days: UNKNOWN });
    const findings = check(logGroupRetention, fixture);
    expect(addresses(findings)).toEqual([ACCESS_LOGS, FUNCTION_LOGS].sort());
    expect(findings.find((f) => f.address === ACCESS_LOGS)!.message).toMatch(/kept forever/);
    expect(findings.find((f) => f.address === FUNCTION_LOGS)!.message).toMatch(/known only after apply/);
  });
});

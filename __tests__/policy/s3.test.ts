import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlanView, type ShowJsonPlan } from '../../policy';
import { s3DefaultEncryption } from '../../policy/rules/s3-encryption';
import { s3HasPublicAccessBlock, s3PublicAccessBlockFlags } from '../../policy/rules/s3-public-access-block';
import { s3TlsOnly } from '../../policy/rules/s3-tls-only';
import { s3Versioning } from '../../policy/rules/s3-versioning';
import { addresses, check, NOW } from './fixtures/check';
import { PlanBuilder, ref } from './fixtures/plan-builder';
import {
  BUCKET,
  BUCKET_POLICY,
  compliantStateBucket,
  ENCRYPTION,
  PUBLIC_ACCESS_BLOCK,
  TLS_DOCUMENT,
  TLS_ONLY_STATEMENT,
  VERSIONING,
} from './fixtures/state-bucket';

const S3_RULES = [s3Versioning, s3DefaultEncryption, s3HasPublicAccessBlock, ...s3PublicAccessBlockFlags, s3TlsOnly];

describe.each(S3_RULES.map((r) => [r.id, r] as const))('%s', (_, rule) => {
  it('passes on a compliant state bucket', () => {
    expect(check(rule, compliantStateBucket())).toEqual([]);
  });

  it('passes when the plan has no bucket', () => {
    expect(check(rule, new PlanBuilder().add('aws_sqs_queue.q', { name: 'queue' }))).toEqual([]);
  });
});

describe('CKV_AWS_21 versioning', () => {
  it('fails a bucket without versioning, or with versioning suspended', () => {
    expect(check(s3Versioning, compliantStateBucket().without(VERSIONING))).toEqual([
      { address: BUCKET, message: 'no aws_s3_bucket_versioning enables versioning' },
    ]);
    const suspended = compliantStateBucket().with(VERSIONING, { versioning_configuration: [{ status: 'Suspended' }] });
    expect(check(s3Versioning, suspended)[0].message).toMatch(/not Enabled/);
  });

  it('does not count versioning of another bucket', () => {
    const fixture = compliantStateBucket()
      .add('aws_s3_bucket.other', { bucket: 'other' })
      .with(VERSIONING, { bucket: ref('aws_s3_bucket.other', 'id') });
    expect(addresses(check(s3Versioning, fixture))).toEqual([BUCKET]);
  });

  it('recognises a companion naming the bucket literally', () => {
    expect(check(s3Versioning, compliantStateBucket().with(VERSIONING, { bucket: 'example-tfstate' }))).toEqual([]);
  });
});

describe('CKV_AWS_19 default encryption', () => {
  it('fails a bucket without a default encryption configuration', () => {
    expect(addresses(check(s3DefaultEncryption, compliantStateBucket().without(ENCRYPTION)))).toEqual([BUCKET]);
  });
});

describe('CKV2_AWS_6 and CKV_AWS_53-56 public access block', () => {
  it('fails a bucket without a public access block, unless the account blocks everything', () => {
    const fixture = compliantStateBucket().without(PUBLIC_ACCESS_BLOCK);
    expect(addresses(check(s3HasPublicAccessBlock, fixture))).toEqual([BUCKET]);
    const account = fixture.clone().add('aws_s3_account_public_access_block.account', {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(check(s3HasPublicAccessBlock, account)).toEqual([]);
  });

  it.each(
    s3PublicAccessBlockFlags.map(
      (rule, i) =>
        [
          rule.id,
          rule,
          ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'][i],
        ] as const,
    ),
  )('%s fails when %s is off, and only that rule does', (_, rule, attribute) => {
    const fixture = compliantStateBucket().with(PUBLIC_ACCESS_BLOCK, { [attribute]: false });
    expect(check(rule, fixture)).toEqual([
      { address: PUBLIC_ACCESS_BLOCK, message: `${attribute} is false (needs true)` },
    ]);
    for (const other of s3PublicAccessBlockFlags.filter((r) => r !== rule)) expect(check(other, fixture)).toEqual([]);
  });
});

describe('CKV_AWS_379 TLS only', () => {
  it('passes the real plan fragment: a policy document read at apply, its resources the bucket ARN and objects', () => {
    const plan = JSON.parse(
      fs.readFileSync(path.join(__dirname, 'fixtures', 'tls-only-bucket-policy.plan.json'), 'utf8'),
    ) as unknown;
    expect(s3TlsOnly.check(new PlanView('bootstrap', plan as ShowJsonPlan, undefined, NOW))).toEqual([]);
  });

  it('fails a bucket without a bucket policy', () => {
    const findings = check(s3TlsOnly, compliantStateBucket().without(BUCKET_POLICY));
    expect(findings).toEqual([
      { address: BUCKET, message: 'no bucket policy: requests over plain HTTP are not denied' },
    ]);
  });

  it.each([
    ['allows instead of denying', { effect: 'Allow' }],
    ['tests the wrong condition', { condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['true'] }] }],
    ['covers only the objects', { resources: [`${ref(BUCKET, 'arn')}/*`] }],
    [
      'covers another bucket',
      { resources: [ref('aws_s3_bucket.other', 'arn'), `${ref('aws_s3_bucket.other', 'arn')}/*`] },
    ],
    ['denies a single action', { actions: ['s3:GetObject'] }],
    [
      'applies to one principal only',
      { principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }] },
    ],
  ])('fails a policy that %s', (_, patch) => {
    const fixture = compliantStateBucket().with(TLS_DOCUMENT, { statement: [{ ...TLS_ONLY_STATEMENT, ...patch }] });
    expect(addresses(check(s3TlsOnly, fixture))).toEqual([BUCKET]);
  });

  it('accepts a literal JSON policy naming the bucket ARNs', () => {
    const policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['arn:aws:s3:::example-tfstate', 'arn:aws:s3:::example-tfstate/*'],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    expect(check(s3TlsOnly, compliantStateBucket().with(BUCKET_POLICY, { policy }))).toEqual([]);
  });
});

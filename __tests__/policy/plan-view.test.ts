import { PlanView, type ShowJsonPlan } from '../../policy';

describe('PlanView', () => {
  const plan: ShowJsonPlan = {
    resource_changes: [
      {
        address: 'aws_s3_bucket.b[0]',
        mode: 'managed',
        type: 'aws_s3_bucket',
        name: 'b',
        index: 0,
        change: { actions: ['create'], after: { bucket: 'one' }, after_unknown: { arn: true } },
      },
      {
        address: 'aws_s3_bucket.b[1]',
        mode: 'managed',
        type: 'aws_s3_bucket',
        name: 'b',
        index: 1,
        change: { actions: ['create'], after: { bucket: 'two' }, after_unknown: { arn: true } },
      },
      {
        address: 'aws_s3_bucket.gone',
        mode: 'managed',
        type: 'aws_s3_bucket',
        name: 'gone',
        change: { actions: ['delete'], after: null },
      },
      {
        address: 'module.m.aws_s3_bucket_versioning.v',
        module_address: 'module.m',
        mode: 'managed',
        type: 'aws_s3_bucket_versioning',
        name: 'v',
        change: {
          actions: ['create'],
          after: { versioning_configuration: [{ status: 'Enabled' }] },
          after_unknown: { bucket: true },
        },
      },
    ],
    prior_state: {
      values: {
        root_module: {
          resources: [
            {
              address: 'data.aws_region.current',
              mode: 'data',
              type: 'aws_region',
              name: 'current',
              values: { name: 'eu-west-1' },
            },
          ],
        },
      },
    },
    configuration: {
      root_module: {
        resources: [
          {
            address: 'aws_s3_bucket.b',
            mode: 'managed',
            type: 'aws_s3_bucket',
            name: 'b',
            expressions: { bucket: { constant_value: 'x' } },
          },
        ],
        module_calls: {
          m: {
            module: {
              resources: [
                {
                  address: 'aws_s3_bucket_versioning.v',
                  mode: 'managed',
                  type: 'aws_s3_bucket_versioning',
                  name: 'v',
                  expressions: {
                    bucket: {
                      constant_value: '${aws_s3_bucket.inner.id}',
                      references: ['aws_s3_bucket.inner.id', 'aws_s3_bucket.inner'],
                    },
                  },
                },
              ],
            },
          },
        },
      },
    },
  };
  const view = new PlanView('test', plan);

  it('holds every planned instance, data sources read while planning, and nothing deleted', () => {
    expect(view.resources.map((r) => r.address)).toEqual([
      'aws_s3_bucket.b[0]',
      'aws_s3_bucket.b[1]',
      'module.m.aws_s3_bucket_versioning.v',
      'data.aws_region.current',
    ]);
    expect(view.instancesOf('aws_s3_bucket.b').map((r) => r.values.bucket)).toEqual(['one', 'two']);
    expect(view.dataOfType('aws_region')[0].values).toEqual({ name: 'eu-west-1' });
  });

  it('tells known, unknown and absent values apart', () => {
    const [bucket] = view.ofType('aws_s3_bucket');
    expect(view.attribute(bucket, ['bucket'])).toEqual({ kind: 'known', value: 'one' });
    expect(view.attribute(bucket, ['arn'])).toEqual({ kind: 'unknown' });
    expect(view.attribute(bucket, ['policy'])).toEqual({ kind: 'absent' });
  });

  it('gives instances their configuration, and resolves references within a module', () => {
    const [bucket] = view.ofType('aws_s3_bucket');
    expect(view.expression(bucket, ['bucket'])).toEqual({ constant: 'x', references: [] });
    const [versioning] = view.ofType('aws_s3_bucket_versioning');
    expect(view.expression(versioning, ['bucket'])?.references).toContain('aws_s3_bucket.inner.id');
    expect(view.referenced(versioning, ['bucket'])).toEqual([]); // module.m.aws_s3_bucket.inner is not in the plan
  });
});

import { mapTemplates, parseReference, templateReferences, wholeReference } from '../../synth/references';

describe('references', () => {
  it.each([
    [
      'aws_api_gateway_rest_api.api_4F59AA66.execution_arn',
      {
        address: 'aws_api_gateway_rest_api.api_4F59AA66',
        mode: 'managed',
        type: 'aws_api_gateway_rest_api',
        name: 'api_4F59AA66',
        attribute: 'execution_arn',
        plain: true,
      },
    ],
    [
      'aws_lambda_permission.api_permission-get-categories_9F7F64DB',
      {
        address: 'aws_lambda_permission.api_permission-get-categories_9F7F64DB',
        mode: 'managed',
        type: 'aws_lambda_permission',
        name: 'api_permission-get-categories_9F7F64DB',
        attribute: undefined,
        plain: true,
      },
    ],
    [
      'data.aws_iam_policy_document.p.json',
      {
        address: 'data.aws_iam_policy_document.p',
        mode: 'data',
        type: 'aws_iam_policy_document',
        name: 'p',
        attribute: 'json',
        plain: true,
      },
    ],
    [
      'aws_s3_bucket.b[0].arn',
      { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', attribute: 'arn', plain: false },
    ],
    [
      'aws_s3_bucket.b["x.y"].arn',
      { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', attribute: 'arn', plain: false },
    ],
  ])('parses %s', (raw, expected) => {
    expect(parseReference(raw)).toEqual(expected);
  });

  it('ignores variables, locals and module outputs', () => {
    expect(['var.x', 'local.y', 'module.m.out', 'count.index'].map((r) => parseReference(r))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('parses only a whole reference: a function call or an operator around one is no reference', () => {
    expect(['lower(aws_x.a.name)', 'aws_x.a.arn, 1', 'aws_x.a.n + 1', 'aws_x'].map((r) => parseReference(r))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(parseReference('aws_x.a.tags.Name')).toMatchObject({ address: 'aws_x.a', attribute: 'tags', plain: false });
  });

  it('places references in a child module', () => {
    expect(parseReference('aws_x.a.arn', 'module.m.')?.address).toBe('module.m.aws_x.a');
  });

  it('finds the traversals inside templates, not in the literal text around them', () => {
    expect(templateReferences('${aws_x.a.arn}/*/GET/categories.json')).toEqual(['aws_x.a.arn']);
    expect(templateReferences('${sha1(jsonencode([aws_m.a.id, aws_m.b.http_method]))}')).toEqual([
      'aws_m.a.id',
      'aws_m.b.http_method',
    ]);
    expect(templateReferences('arn:aws:s3:::bucket.name/*')).toEqual([]);
  });

  it('reads a value that is exactly one reference, as synthesized JSON holds it', () => {
    expect(wholeReference('${aws_x.a.arn}')).toMatchObject({ address: 'aws_x.a', attribute: 'arn', plain: true });
    expect(
      ['${aws_x.a.arn}/*', 'aws_x.a.arn', '${lower(aws_x.a.name)}', 42].map((value) => wholeReference(value)),
    ).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('maps every template of a string', () => {
    expect(mapTemplates('${a.b.c}/x/${d.e.f}', (expression) => `<${expression}>`)).toBe('<a.b.c>/x/<d.e.f>');
  });
});

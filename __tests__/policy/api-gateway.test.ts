import { apiGatewayAccessLogging } from '../../policy/rules/api-gateway-access-logging';
import { apiGatewayAuthorization } from '../../policy/rules/api-gateway-authorization';
import { apiGatewayCaching } from '../../policy/rules/api-gateway-caching';
import { apiGatewayDeploymentCreateBeforeDestroy } from '../../policy/rules/api-gateway-deployment';
import { apiGatewayMethodSettings } from '../../policy/rules/api-gateway-method-settings';
import { apiGatewayRequestValidation } from '../../policy/rules/api-gateway-request-validation';
import { apiGatewayThrottling } from '../../policy/rules/api-gateway-throttling';
import { apiGatewayWaf } from '../../policy/rules/api-gateway-waf';
import { apiGatewayXray } from '../../policy/rules/api-gateway-xray';
import { addresses, check } from './fixtures/check';
import { PlanBuilder, ref, UNKNOWN } from './fixtures/plan-builder';
import {
  ACCESS_LOGS,
  API,
  AUTHORIZER,
  compliantPlatform,
  DEPLOYMENT,
  GET_METHOD,
  METHOD_SETTINGS,
  MODEL,
  POST_METHOD,
  RESOURCE,
  STAGE,
  VALIDATOR,
} from './fixtures/platform';

const API_RULES = [
  apiGatewayAuthorization,
  apiGatewayXray,
  apiGatewayAccessLogging,
  apiGatewayMethodSettings,
  apiGatewayThrottling,
  apiGatewayDeploymentCreateBeforeDestroy,
  apiGatewayRequestValidation,
  apiGatewayWaf,
  apiGatewayCaching,
];

describe.each(API_RULES.map((rule) => [rule.id, rule] as const))('%s', (_, rule) => {
  it('passes on a compliant API', () => {
    expect(check(rule, compliantPlatform())).toEqual([]);
  });

  it('passes when the plan has no API Gateway resources', () => {
    expect(check(rule, new PlanBuilder().add('aws_dynamodb_table.t', { name: 'table' }))).toEqual([]);
  });
});

describe('CKV_AWS_59 Cognito authorizer with scopes', () => {
  it('fails an open method', () => {
    const fixture = compliantPlatform().with(GET_METHOD, { authorization: 'NONE', authorizer_id: undefined });
    const findings = check(apiGatewayAuthorization, fixture);
    expect(addresses(findings)).toEqual([GET_METHOD]);
    expect(findings[0].message).toMatch(/authorization is NONE, not COGNITO_USER_POOLS/);
  });

  it('fails a method authorized by IAM instead of the user pool', () => {
    const fixture = compliantPlatform().with(GET_METHOD, { authorization: 'AWS_IAM', authorizer_id: undefined });
    expect(check(apiGatewayAuthorization, fixture)[0].message).toMatch(/AWS_IAM/);
  });

  it('fails a Cognito method without scopes: it would accept ID tokens only', () => {
    const fixture = compliantPlatform().with(POST_METHOD, { authorization_scopes: [] });
    const findings = check(apiGatewayAuthorization, fixture);
    expect(addresses(findings)).toEqual([POST_METHOD]);
    expect(findings[0].message).toMatch(/no authorization_scopes/);
  });

  it('fails when authorizer_id references an authorizer that is not of type COGNITO_USER_POOLS', () => {
    const fixture = compliantPlatform().with(AUTHORIZER, { type: 'TOKEN' });
    const findings = check(apiGatewayAuthorization, fixture);
    expect(addresses(findings)).toEqual([GET_METHOD, POST_METHOD]);
    expect(findings[0].message).toMatch(/of type TOKEN/);
  });

  it('fails when authorizer_id is not a reference to an authorizer of the stack', () => {
    const fixture = compliantPlatform().with(GET_METHOD, { authorizer_id: 'abc123' });
    expect(check(apiGatewayAuthorization, fixture)[0].message).toMatch(
      /does not reference an aws_api_gateway_authorizer/,
    );
  });

  it('accepts scopes computed from a resource server', () => {
    const fixture = compliantPlatform().with(GET_METHOD, {
      authorization_scopes: ref('aws_cognito_resource_server.rs', 'scope_identifiers'),
    });
    expect(check(apiGatewayAuthorization, fixture)).toEqual([]);
  });

  it('lets an OPTIONS preflight stay open in front of a MOCK integration, not in front of the Lambda', () => {
    const options = 'aws_api_gateway_method.options_categories';
    const integration = 'aws_api_gateway_integration.options_categories';
    const fixture = compliantPlatform()
      .add(options, {
        rest_api_id: ref(API, 'id'),
        resource_id: ref(RESOURCE, 'id'),
        http_method: 'OPTIONS',
        authorization: 'NONE',
      })
      .add(integration, {
        rest_api_id: ref(API, 'id'),
        resource_id: ref(RESOURCE, 'id'),
        http_method: ref(options, 'http_method'),
        type: 'MOCK',
      });
    expect(check(apiGatewayAuthorization, fixture)).toEqual([]);

    const proxied = fixture.clone().with(integration, { type: 'AWS_PROXY' });
    const findings = check(apiGatewayAuthorization, proxied);
    expect(addresses(findings)).toEqual([options]);
    expect(findings[0].message).toMatch(/must not reach a backend/);
  });

  it('fails an API defined by an OpenAPI body, whose methods it cannot see', () => {
    const fixture = compliantPlatform().with(API, { body: '{"openapi":"3.0.1"}' });
    expect(addresses(check(apiGatewayAuthorization, fixture))).toEqual([API]);
  });
});

describe('CKV_AWS_73 stage tracing', () => {
  it('fails a stage without X-Ray tracing', () => {
    const findings = check(apiGatewayXray, compliantPlatform().with(STAGE, { xray_tracing_enabled: false }));
    expect(addresses(findings)).toEqual([STAGE]);
    expect(findings[0].message).toBe('xray_tracing_enabled is false (needs true)');
  });
});

describe('CKV_AWS_76 access logging', () => {
  it('fails a stage without access logs', () => {
    const findings = check(
      apiGatewayAccessLogging,
      compliantPlatform().with(STAGE, { access_log_settings: undefined }),
    );
    expect(addresses(findings)).toEqual([STAGE]);
    expect(findings[0].message).toMatch(/no access_log_settings/);
  });

  it('fails when the access log group keeps logs forever', () => {
    const findings = check(apiGatewayAccessLogging, compliantPlatform().with(ACCESS_LOGS, { retention_in_days: 0 }));
    expect(addresses(findings)).toEqual([STAGE]);
    expect(findings[0].message).toContain(ACCESS_LOGS);
  });

  it('fails a destination outside the stack, whose retention it cannot see', () => {
    const fixture = compliantPlatform().with(STAGE, {
      access_log_settings: [{ destination_arn: 'arn:aws:logs:us-east-1:123456789012:log-group:elsewhere' }],
    });
    expect(check(apiGatewayAccessLogging, fixture)[0].message).toMatch(/outside this stack/);
  });
});

describe('CKV_AWS_276 method settings', () => {
  it('fails a stage without method settings for */*', () => {
    const findings = check(apiGatewayMethodSettings, compliantPlatform().without(METHOD_SETTINGS));
    expect(addresses(findings)).toEqual([STAGE]);
  });

  it('fails settings with data trace on, logging off and no metrics', () => {
    const fixture = compliantPlatform().with(METHOD_SETTINGS, {
      settings: [{ data_trace_enabled: true, logging_level: 'OFF', metrics_enabled: false }],
    });
    const findings = check(apiGatewayMethodSettings, fixture);
    expect(addresses(findings)).toEqual([METHOD_SETTINGS]);
    expect(findings[0].message).toMatch(/metrics_enabled is false/);
    expect(findings[0].message).toMatch(/logging_level is OFF/);
    expect(findings[0].message).toMatch(/data_trace_enabled is true/);
  });

  it('links settings to a stage by name on the same API when they do not reference it', () => {
    const fixture = compliantPlatform().with(METHOD_SETTINGS, { stage_name: 'test' });
    expect(check(apiGatewayMethodSettings, fixture)).toEqual([]);
    expect(
      addresses(check(apiGatewayMethodSettings, fixture.clone().with(METHOD_SETTINGS, { stage_name: 'other' }))),
    ).toEqual([STAGE]);
  });
});

describe('APIGWDefaultThrottling', () => {
  it('fails when the */* settings set no rate or burst limit', () => {
    const fixture = compliantPlatform().with(METHOD_SETTINGS, {
      settings: [{ throttling_rate_limit: -1, throttling_burst_limit: undefined }],
    });
    const findings = check(apiGatewayThrottling, fixture);
    expect(addresses(findings)).toEqual([METHOD_SETTINGS]);
    expect(findings[0].message).toMatch(/throttling_rate_limit is not set.*throttling_burst_limit is not set/);
  });

  it('fails a stage with no method settings at all', () => {
    expect(addresses(check(apiGatewayThrottling, compliantPlatform().without(METHOD_SETTINGS)))).toEqual([STAGE]);
  });
});

describe('CKV_AWS_217 deployment create_before_destroy', () => {
  it('fails a deployment without create_before_destroy in the synthesized configuration', () => {
    const fixture = compliantPlatform().with(DEPLOYMENT, {}, { lifecycle: {} });
    const findings = check(apiGatewayDeploymentCreateBeforeDestroy, fixture);
    expect(addresses(findings)).toEqual([DEPLOYMENT]);
    expect(findings[0].message).toMatch(/create_before_destroy is not true/);
  });

  it('fails rather than guesses when the synthesized configuration is not supplied', () => {
    const findings = check(apiGatewayDeploymentCreateBeforeDestroy, compliantPlatform(), { synthesized: false });
    expect(addresses(findings)).toEqual([DEPLOYMENT]);
    expect(findings[0].message).toMatch(/no synthesized configuration/);
  });
});

describe('CKV2_AWS_53 request validation', () => {
  it('fails a POST without validator and model', () => {
    const fixture = compliantPlatform().with(POST_METHOD, {
      request_validator_id: undefined,
      request_models: undefined,
    });
    const findings = check(apiGatewayRequestValidation, fixture);
    expect(addresses(findings)).toEqual([POST_METHOD]);
    expect(findings[0].message).toBe('POST: no request validator; no request model for application/json');
  });

  it('fails a validator that does not validate bodies', () => {
    const findings = check(
      apiGatewayRequestValidation,
      compliantPlatform().with(VALIDATOR, { validate_request_body: false }),
    );
    expect(findings[0].message).toMatch(/does not validate the body/);
  });

  it('fails the built-in Empty model, which validates nothing', () => {
    const fixture = compliantPlatform().with(POST_METHOD, { request_models: { 'application/json': 'Empty' } });
    expect(check(apiGatewayRequestValidation, fixture)[0].message).toMatch(/built-in "Empty" model/);
  });

  it('accepts a model named literally when the stack defines it', () => {
    const fixture = compliantPlatform().with(POST_METHOD, { request_models: { 'application/json': 'CategoryInput' } });
    expect(check(apiGatewayRequestValidation, fixture)).toEqual([]);
    const unknownModel = fixture.clone().without(MODEL);
    expect(check(apiGatewayRequestValidation, unknownModel)[0].message).toMatch(
      /not an aws_api_gateway_model of this stack/,
    );
  });

  it('ignores methods without a body', () => {
    const fixture = compliantPlatform().with(POST_METHOD, {
      http_method: 'DELETE',
      request_validator_id: undefined,
      request_models: undefined,
    });
    expect(check(apiGatewayRequestValidation, fixture)).toEqual([]);
  });
});

describe('CKV2_AWS_29 WAF and CKV_AWS_120 caching', () => {
  it('fails a stage without a web ACL association', () => {
    const findings = check(apiGatewayWaf, compliantPlatform().without('aws_wafv2_web_acl_association.stage'));
    expect(addresses(findings)).toEqual([STAGE]);
  });

  it('fails a stage without a cache cluster', () => {
    const findings = check(apiGatewayCaching, compliantPlatform().with(STAGE, { cache_cluster_enabled: undefined }));
    expect(addresses(findings)).toEqual([STAGE]);
    expect(findings[0].message).toBe('cache_cluster_enabled is not set (needs true)');
  });

  it('treats a value known only after apply as unverifiable, not as compliant', () => {
    const findings = check(apiGatewayCaching, compliantPlatform().with(STAGE, { cache_cluster_enabled: UNKNOWN }));
    expect(findings[0].message).toMatch(/known only after apply/);
  });
});

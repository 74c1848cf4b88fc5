import type { Suppression } from './types';

/**
 * The deviations this project accepts, each with its reason. Every report that applies one prints it; a
 * suppression that matches nothing is reported as unused, so stale ones get noticed and removed.
 */
export const SUPPRESSIONS: readonly Suppression[] = [
  {
    rule: 'CKV2_AWS_29',
    stacks: 'platform-*',
    addresses: 'aws_api_gateway_stage.*',
    justification:
      'Machine-to-machine API: API Gateway itself refuses every request without a valid Cognito access token ' +
      "carrying the method's scope (CKV_AWS_59) before any backend runs, and the stage is throttled " +
      '(APIGWDefaultThrottling). A web ACL adds a fixed monthly charge per ACL and rule plus a per-request fee for ' +
      'IP-reputation and rate-based rules this API does not need yet; associate one with the stage ' +
      '(aws_wafv2_web_acl_association) when clients come from known networks or abuse shows in the access logs.',
  },
  {
    rule: 'CKV_AWS_120',
    stacks: 'platform-*',
    addresses: 'aws_api_gateway_stage.*',
    justification:
      'The stage cache is keyed by method, path and query string, not by the calling client, so it would serve one ' +
      "client's response to another; and it would return a category as it was before a PUT or DELETE, breaking " +
      'read-your-writes and the ETag/If-Match contract of the API. DynamoDB answers these reads in milliseconds; ' +
      'a cache cluster would add an hourly charge for no benefit.',
  },
  {
    rule: 'CKV_AWS_115',
    stacks: 'platform-dev',
    addresses: 'aws_lambda_function.*',
    justification:
      'Development stage only: Lambda refuses a reservation that would leave the account fewer than 100 unreserved ' +
      'concurrent executions, and new accounts start with a concurrency quota far below that, so a dev stage with a ' +
      "reservation would not deploy there. The stage's API Gateway throttling bounds its load instead; prod " +
      'reserves concurrency from its stage config.',
  },
];

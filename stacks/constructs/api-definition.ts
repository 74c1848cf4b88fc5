import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import type { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';

/**
 * What a deployment of a REST API snapshots, read from the synthesized configuration itself, so that no setting can
 * be left out of the deployment's trigger.
 *
 * A deployment is "a snapshot of the REST API configuration" (Terraform AWS provider, `aws_api_gateway_deployment`);
 * "a snapshot of the API, including methods, integrations, models, mapping templates, and Lambda authorizers" (API
 * Gateway developer guide, "Create a deployment for a REST API"), and a changed resource policy needs a new deployment
 * too ("Create and attach an API Gateway resource policy to an API"). AWS CDK hashes the same way: every model
 * construct adds its whole properties to the deployment's logical id, and the deployment adds the REST API's whole
 * CloudFormation (aws-cdk-lib `aws-apigateway/lib/deployment.ts`, `calculateLogicalId`).
 */

/**
 * Resources that name a REST API but are not part of what its deployments snapshot. The deployment is the snapshot
 * itself. The stage points at the deployment (hashing it would be a cycle) and holds, with the method settings, the
 * stage's own settings — access logs, tracing, throttling, caching — which API Gateway keeps on the Stage resource
 * (API reference: `Stage.methodSettings`, `Stage.accessLogSettings`, `Stage.tracingEnabled`; a `Deployment` holds
 * only its id, description, date and an API summary) and changes in place ("Set up a stage for a REST API in API
 * Gateway", "Modify stage settings"). An older paragraph of "Create a deployment for a REST API" says to redeploy
 * after modifying stage settings; the sources disagree, but stage settings cannot be in the trigger either way, and
 * AWS CDK does not hash them either (aws-cdk-lib `aws-apigateway/lib/stage.ts`). Documentation parts reach a stage
 * through a documentation snapshot, not a deployment ("Publish API documentation using the API Gateway REST API").
 *
 * Everything else whose `rest_api_id` is the API's id counts, whatever its type, so a definition resource added
 * later, or a type the provider adds, is covered without a change here. A new kind of resource that hangs off the
 * stage instead (a usage plan, for example) has no `rest_api_id`, or Terraform reports the cycle: nothing is missed
 * silently. Log groups and Lambda permissions do not name the API's id and are not API Gateway's: a permission is
 * the function's resource policy, which Lambda checks when it is invoked (Lambda developer guide, resource-based
 * policies).
 */
const OUTSIDE_A_DEPLOYMENT: ReadonlySet<string> = new Set([
  'aws_api_gateway_deployment',
  'aws_api_gateway_stage',
  'aws_api_gateway_method_settings',
  'aws_api_gateway_documentation_part',
  'aws_api_gateway_documentation_version',
]);

/** Terraform meta-arguments: how Terraform manages a resource, not what the resource sets in API Gateway. */
const META_ARGUMENTS: ReadonlySet<string> = new Set([
  '//',
  'count',
  'for_each',
  'provider',
  'depends_on',
  'lifecycle',
  'provisioner',
  'connection',
]);

type Config = Record<string, unknown>;

/**
 * The definition of `api` as Terraform will see it: for the REST API and every resource of its stack whose
 * `rest_api_id` is the API's id (other than {@link OUTSIDE_A_DEPLOYMENT}), its address mapped to its id, and
 * `<address>.<attribute>` mapped to the attribute's synthesized configuration, whole (nested blocks, maps, raw
 * overrides), with no list of attributes. References stay references (`${aws_lambda_function.x.invoke_arn}`), so
 * Terraform hashes their values at plan time: a replaced user pool or function changes the result. Entries are
 * sorted by address, so two synths of the same app give the same JSON.
 *
 * A resource with `count`, `for_each` or dynamic blocks has configuration that refers to `count.index`, `each` or an
 * iterator, which mean something only inside that resource; it is represented by its planned attributes
 * (`${<address>}`) instead.
 *
 * Call it at synth time (inside a `Lazy`), once every resource exists. Overrides written on the stack itself
 * (`stack.addOverride('resource.…')`) are not seen: use the resource's own `addOverride`.
 */
export function apiDefinition(api: ApiGatewayRestApi): Record<string, unknown> {
  const stack = TerraformStack.of(api);
  const resolver = new DefaultTokenResolver(new StringConcat());
  const resolve = (value: unknown): unknown => Tokenization.resolve(value, { scope: stack, resolver }) as unknown;
  const apiId = resolve(api.id);
  const entries: [string, unknown][] = [];
  for (const node of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(node) || OUTSIDE_A_DEPLOYMENT.has(node.terraformResourceType)) continue;
    const config = synthesizedConfig(node);
    if (!config || (node !== api && resolve(config.rest_api_id) !== apiId)) continue;
    const address = `${node.terraformResourceType}.${node.friendlyUniqueId}`;
    // Written as Terraform references, not cdktf tokens: the resource is in this stack, and each token captures a
    // stack trace, which would cost more than everything else here.
    if (config.count !== undefined || config.for_each !== undefined || config.dynamic !== undefined) {
      entries.push([address, `\${${address}}`]);
      continue;
    }
    entries.push([address, `\${${address}.id}`]);
    for (const [attribute, value] of Object.entries(config)) {
      if (!META_ARGUMENTS.has(attribute)) entries.push([`${address}.${attribute}`, value]);
    }
  }
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The resource's configuration as it will be synthesized (attributes, meta-arguments and overrides), unresolved. */
function synthesizedConfig(resource: TerraformResource): Config | undefined {
  const synthesized = resource.toTerraform() as { resource?: Record<string, Record<string, Config>> };
  return synthesized.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId];
}

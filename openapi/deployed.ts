/**
 * The document of a deployed stage: the configuration `cdktf deploy` applied (the stack's JSON in `cdktf.out`), with
 * the stage's real API URL and token URL from its Terraform outputs (`api_url`, `token_endpoint`).
 */
import { readTerraformOutputs } from '../common/terraform-outputs';
import type { SynthesizedStackConfig } from '../synth/stack-json';
import { openApiDocument, type OpenApiDocument } from './document';

export async function deployedDocument(
  stack: SynthesizedStackConfig,
  outdir?: string,
  terraform?: string,
): Promise<OpenApiDocument> {
  const outputs = await readTerraformOutputs(stack.name, outdir, terraform);
  return openApiDocument(stack, {
    apiUrl: outputs.string('api_url').replace(/\/+$/, ''),
    tokenUrl: outputs.string('token_endpoint'),
  });
}

/**
 * `npm run openapi`: writes the OpenAPI 3.1 document of every stack with a REST API (or of the stacks named) to
 * `.build/openapi/<stack>.openapi.json`, generated from the synthesized Terraform JSON and checked with
 * @readme/openapi-parser. With `--from-outputs`, of a deployed stack: the configuration `cdktf deploy` applied
 * (cdktf.out) and its real API and token URLs (`terraform output -json`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import { BUILD_DIR, PROJECT_ROOT } from '../common/project-paths';
import { writeAtomically } from '../common/write-atomically';
import { parseArguments, USAGE, type OpenApiArguments } from '../openapi/arguments';
import { deployedDocument } from '../openapi/deployed';
import { openApiDocument } from '../openapi/document';
import { readManifest } from '../synth/manifest';
import { SynthesizedStackConfig } from '../synth/stack-json';
import { synthesize } from '../synth/synthesize';

const OUT_DIR = path.join(BUILD_DIR, 'openapi');

async function main(): Promise<void> {
  let args: OpenApiArguments;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const out = args.out === undefined ? OUT_DIR : path.resolve(args.out);
  const stacks = args.fromOutputs
    ? readManifest(path.join(PROJECT_ROOT, 'cdktf.out'))
    : synthesize(path.join(OUT_DIR, 'synth'));
  const unknown = args.stacks.filter((name) => !stacks.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(`No stack ${unknown.join(', ')} (stacks: ${stacks.map((s) => s.name).join(', ')}).`);
  }
  const chosen = stacks
    .filter((s) => args.stacks.length === 0 || args.stacks.includes(s.name))
    .map((s) => SynthesizedStackConfig.load(s.name, s.synthesizedFile))
    .filter((stack) => args.stacks.length > 0 || stack.resources('aws_api_gateway_rest_api').length > 0);
  for (const stack of chosen) {
    const document = args.fromOutputs ? await deployedDocument(stack) : openApiDocument(stack);
    const result = await validate(structuredClone(document));
    if (!result.valid) throw new Error(`${stack.name}: the document is not valid OpenAPI:\n${compileErrors(result)}`);
    const file = path.join(out, `${stack.name}.openapi.json`);
    fs.mkdirSync(out, { recursive: true });
    writeAtomically(file, `${JSON.stringify(document, null, 2)}\n`);
    console.log(`${path.relative(process.cwd(), file) || file}: ${Object.keys(document.paths ?? {}).length} paths`);
  }
}

main().catch((error: unknown) => {
  console.error(`npm run openapi failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BOOTSTRAP_STACK, platformStackName } from '../../common/stack-names';
import { STAGES } from '../../stacks/config';
import { Json, synthOnCore, SynthOutput } from '../../upgrade/synth-on-core';

jest.setTimeout(60_000);

/**
 * The only values allowed to differ: each names the version of the core that wrote the file.
 * - `manifest.json` → `version`: not part of any stack's Terraform configuration.
 * - every stack's `cdk.tf.json` → `//` → `metadata` → `version`: Terraform ignores `"//"` properties entirely
 *   (Terraform docs, JSON Configuration Syntax, "Comment Properties").
 */
function coreVersionKeys(files: Readonly<Record<string, Json>>): [file: string, keys: string[]][] {
  const stacks = Object.keys(files)
    .filter((file) => path.basename(file) === 'cdk.tf.json')
    .sort();
  return [
    ['manifest.json', ['version']],
    ...stacks.map((file): [string, string[]] => [file, ['//', 'metadata', 'version']]),
  ];
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object that holds the last of `keys` inside `value`, if there is one. */
function holderOf(value: Json | undefined, keys: readonly string[]): { [key: string]: Json } | undefined {
  let holder: Json | undefined = value;
  for (const key of keys.slice(0, -1)) holder = isObject(holder) ? holder[key] : undefined;
  return isObject(holder) ? holder : undefined;
}

/**
 * A frame of an annotation's stack trace in `manifest.json` (a synth warning, such as a stage whose alarms notify no
 * one) that lies inside the core package: it names the core's own file (`cdktf/lib/annotations.ts` or
 * `cdktn/src/annotations.ts`), so it is core metadata too. Frames in the project's code must stay identical.
 */
const CORE_FRAME = /\(.*\/node_modules\/(?:cdktf|cdktn)\/[^)]*\)$/;

/** The manifest's annotation stack traces with every frame inside the core package set to `placeholder`. */
function withCoreFramesAs(manifest: Json | undefined, placeholder: string): void {
  const stacks = isObject(manifest) ? manifest.stacks : undefined;
  if (!isObject(stacks)) return;
  for (const stack of Object.values(stacks)) {
    const annotations = isObject(stack) ? stack.annotations : undefined;
    if (!Array.isArray(annotations)) continue;
    for (const annotation of annotations) {
      const trace = isObject(annotation) ? annotation.stacktrace : undefined;
      if (!Array.isArray(trace)) continue;
      trace.forEach((frame, i) => {
        if (typeof frame === 'string' && CORE_FRAME.test(frame)) trace[i] = frame.replace(CORE_FRAME, placeholder);
      });
    }
  }
}

/**
 * The output's files with every core-version value checked against the core's version, then set to `placeholder`,
 * and every annotation stack-trace frame inside the core package set to `placeholder` too.
 */
function withCoreVersionsAs(output: SynthOutput, placeholder: string): Record<string, Json> {
  const files = structuredClone(output.files) as Record<string, Json>;
  withCoreFramesAs(files['manifest.json'], placeholder);
  for (const [file, keys] of coreVersionKeys(files)) {
    const holder = holderOf(files[file], keys);
    const last = keys[keys.length - 1];
    expect({ file, key: keys.join('.'), value: holder?.[last] }).toEqual({
      file,
      key: keys.join('.'),
      value: output.version,
    });
    if (holder) holder[last] = placeholder;
  }
  return files;
}

describe('the app synthesizes on CDK Terrain (cdktn) core to the Terraform JSON it synthesizes on cdktf', () => {
  let cdktf: SynthOutput;
  let cdktn: SynthOutput;

  beforeAll(async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktn-check-'));
    try {
      [cdktf, cdktn] = await Promise.all([
        synthOnCore('cdktf', path.join(scratch, 'cdktf')),
        synthOnCore('cdktn', path.join(scratch, 'cdktn')),
      ]);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('ran on two different cores', () => {
    expect(cdktf.version).not.toBe(cdktn.version);
  });

  it('writes the same files: the manifest, one cdk.tf.json per stack and the Lambda zips', () => {
    expect(Object.keys(cdktn.files).sort()).toEqual(Object.keys(cdktf.files).sort());
    expect(coreVersionKeys(cdktf.files).map(([file]) => file)).toEqual([
      'manifest.json',
      ...[BOOTSTRAP_STACK, ...STAGES.map(platformStackName)]
        .sort()
        .map((stack) => path.join('stacks', stack, 'cdk.tf.json')),
    ]);
  });

  it('differs only in the values naming the core version; every other key and value, and every zip, is identical', () => {
    expect(withCoreVersionsAs(cdktn, 'core version')).toEqual(withCoreVersionsAs(cdktf, 'core version'));
  });
});

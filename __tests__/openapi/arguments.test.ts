/** The command line of `npm run openapi`: what it takes, and a clear error for what it does not. */
import { parseArguments } from '../../openapi/arguments';

describe('npm run openapi arguments', () => {
  it('takes stacks, --from-outputs and --out, in either flag form', () => {
    expect(parseArguments([])).toEqual({ stacks: [], fromOutputs: false, out: undefined });
    expect(parseArguments(['--stack', 'platform-dev', '--stack=platform-prod', '--out', 'docs'])).toEqual({
      stacks: ['platform-dev', 'platform-prod'],
      fromOutputs: false,
      out: 'docs',
    });
    expect(parseArguments(['--stack', 'platform-dev', '--from-outputs'])).toMatchObject({ fromOutputs: true });
  });

  it('refuses what it cannot use, saying what to give', () => {
    expect(() => parseArguments(['--from-outputs'])).toThrow(/name it, e.g. --stack platform-dev/);
    expect(() => parseArguments(['--stack'])).toThrow(/--stack needs a stack name/);
    expect(() => parseArguments(['--stack', '../x'])).toThrow(/--stack needs a stack name/);
    expect(() => parseArguments(['--out', '--stack'])).toThrow(/--out needs a folder/);
    expect(() => parseArguments(['--stage', 'dev'])).toThrow(/Unknown option --stage/);
  });
});

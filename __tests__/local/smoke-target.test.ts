/** Where the smoke test finds its target: `.local/stack.json`, or a deployed stack's Terraform outputs. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deployedTarget, localTarget } from '../../scripts/smoke';
import { temporaryDirectory } from './support';

let dir: string;
let terraform: string;

beforeEach(() => {
  dir = temporaryDirectory('smoke-target-');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A fake `terraform` that prints `stdout` for `output -json` (and fails otherwise). */
function fakeTerraform(stdout: string): void {
  terraform = path.join(dir, 'terraform');
  const script = `#!/bin/sh\nif [ "$1 $2" = "output -json" ]; then cat <<'JSON'\n${stdout}\nJSON\nexit 0; fi\nexit 3\n`;
  fs.writeFileSync(terraform, script, { mode: 0o755 });
}

describe('smoke targets', () => {
  it('reads a deployed stack\'s outputs, the sensitive client secret included', async () => {
    fs.mkdirSync(path.join(dir, 'stacks', 'platform-dev'), { recursive: true });
    fakeTerraform(
      JSON.stringify({
        api_url: { value: 'https://abc.execute-api.us-east-1.amazonaws.com/dev/', sensitive: false },
        token_endpoint: { value: 'https://x.auth.us-east-1.amazoncognito.com/oauth2/token' },
        client_id: { value: 'id123' },
        client_secret: { value: 'secret456', sensitive: true },
        scopes: { value: ['access_points/read'] },
      }),
    );
    await expect(deployedTarget('platform-dev', dir, terraform)).resolves.toEqual({
      apiUrl: 'https://abc.execute-api.us-east-1.amazonaws.com/dev',
      tokenUrl: 'https://x.auth.us-east-1.amazoncognito.com/oauth2/token',
      clientId: 'id123',
      clientSecret: 'secret456',
      source: 'terraform outputs of platform-dev',
    });
  });

  it('explains a stack that is not deployed', async () => {
    fs.mkdirSync(path.join(dir, 'stacks', 'platform-dev'), { recursive: true });
    fakeTerraform('{}');
    await expect(deployedTarget('platform-dev', dir, terraform)).rejects.toThrow(/no output "api_url": is it deployed/);
    await expect(deployedTarget('platform-qa', dir, terraform)).rejects.toThrow(/platform-qa does not exist/);
  });

  it('reads .local/stack.json, and says how to create it when missing', () => {
    const file = path.join(dir, 'stack.json');
    expect(() => localTarget(file)).toThrow(/npm start/);
    fs.writeFileSync(file, JSON.stringify({ stage: 'dev', apiUrl: 'http://127.0.0.1:1/dev', tokenUrl: 't', clientId: 'c', clientSecret: 's' }));
    expect(localTarget(file)).toMatchObject({ apiUrl: 'http://127.0.0.1:1/dev', tokenUrl: 't', clientId: 'c', clientSecret: 's' });
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateWorkflow } from '@action-validator/core';

const WORKFLOWS = path.resolve(__dirname, '..', '.github', 'workflows');
const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string): string => fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');

describe('GitHub workflows', () => {
  it('exist for CI and deployment', () => {
    expect(files.sort()).toEqual(['ci.yml', 'deploy-stage.yml', 'deploy.yml']);
  });

  it.each(files)('%s is a valid workflow', (file) => {
    expect(validateWorkflow(read(file)).errors).toEqual([]);
  });

  it('the validator refuses a broken workflow', () => {
    expect(
      validateWorkflow('on: [push]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    step: []\n').errors.length,
    ).toBeGreaterThan(0);
  });

  it('CI runs the same test command as a person, and uses the Terraform version the project pins', () => {
    const ci = read('ci.yml');
    expect(ci).toContain('- run: npm ci');
    expect(ci).toContain('- run: npm test');
    const pinned = fs.readFileSync(path.resolve(__dirname, '..', '.terraform-version'), 'utf8').trim();
    for (const file of files) {
      for (const [, version] of read(file).matchAll(/terraform_version: (\S+)/g)) expect(version).toBe(pinned);
    }
  });

  it('assumes AWS roles through OIDC, never with stored keys', () => {
    for (const file of files) {
      expect(read(file)).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    }
    expect(read('deploy-stage.yml')).toMatch(/id-token: write/);
  });

  it('deploys only what CI passed, the very commit it tested', () => {
    const deploy = read('deploy.yml');
    expect(deploy).toMatch(/workflow_run:\s+workflows: \[ci\]\s+types: \[completed\]\s+branches: \[main\]/);
    expect(deploy).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(deploy).toContain('ref: ${{ github.event.workflow_run.head_sha || github.sha }}');
    expect(deploy).not.toMatch(/^\s+push:/m);
  });

  it("keeps each deployed stage's OpenAPI document, generated from its outputs, as an artifact", () => {
    const stage = read('deploy-stage.yml');
    expect(stage).toContain('- run: npm run openapi -- --stack platform-${{ inputs.stage }} --from-outputs');
    expect(stage).toMatch(/uses: actions\/upload-artifact@v4\s+with:\s+name: openapi-\$\{\{ inputs\.stage \}\}/);
    expect(stage).toContain('path: .build/openapi/platform-${{ inputs.stage }}.openapi.json');
    expect(stage.indexOf('--from-outputs')).toBeGreaterThan(stage.indexOf('npm run deploy'));
  });
});

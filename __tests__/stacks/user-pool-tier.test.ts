import 'cdktf/lib/testing/adapters/jest';
import { TerraformStack, Testing } from 'cdktf';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import { M2mAuth, type M2mAuthProps } from '../../stacks/constructs/m2m-auth';

Testing.setupJest();

function synthPool(props: Partial<M2mAuthProps<'read'>> = {}): string {
  const stack = new TerraformStack(Testing.app(), 'tier');
  new M2mAuth(stack, 'auth', {
    name: 'tier',
    region: 'us-east-1',
    resourceServerIdentifier: 'api',
    scopes: [{ name: 'read', description: 'Read' }],
    ...props,
  });
  return Testing.synth(stack);
}

describe('user pool feature plan', () => {
  it('is Lite unless asked otherwise, set on purpose (Cognito would choose Essentials)', () => {
    expect(synthPool()).toHaveResourceWithProperties(CognitoUserPool, { user_pool_tier: 'LITE' });
  });

  it('takes a higher plan when asked (customizing client-credentials access tokens needs Essentials)', () => {
    expect(synthPool({ userPoolTier: 'ESSENTIALS' })).toHaveResourceWithProperties(CognitoUserPool, {
      user_pool_tier: 'ESSENTIALS',
    });
  });
});

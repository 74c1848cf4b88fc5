/**
 * The names of the stacks: the contract between the app that synthesizes them (`stacks/app.ts`) and what reads them
 * by name (the local stack, the bench, deploy commands, tests).
 */

/** The account-level stack: state bucket and API Gateway logging role. */
export const BOOTSTRAP_STACK = 'bootstrap';

/** The stack of one stage: `platform-<stage>`. */
export function platformStackName(stage: string): string {
  return `platform-${stage}`;
}

/**
 * Runs before `npm run deploy` and `npm run destroy`: every stack's backend (and the bootstrap stack's bucket) is
 * configured from STATE_BUCKET, so deploying without it must stop here, with what to do.
 */
const bucket = process.env.STATE_BUCKET?.trim();
if (!bucket) {
  console.error(
    "STATE_BUCKET is not set. Set it to the S3 bucket that holds the stages' Terraform state — the one the " +
      'bootstrap stack creates (bucket names are global: choose your own), e.g.\n' +
      '  export STATE_BUCKET=acme-categories-tfstate\n' +
      'and keep it set for every deploy and destroy.',
  );
  process.exit(1);
}

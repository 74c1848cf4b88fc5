import type { Finding, Rule } from '../types';
import { finding } from './helpers';

/**
 * Dates on which AWS Lambda ends support for ("deprecates") each managed runtime, from the Lambda developer guide's
 * runtime table (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). After that date a runtime gets
 * no security patches, and soon after functions using it can no longer be created or updated.
 * Runtimes missing here (newer ones) pass. Update the table when AWS announces new dates.
 */
export const RUNTIME_END_OF_SUPPORT: Readonly<Record<string, string>> = {
  nodejs: '2016-10-31',
  'nodejs4.3': '2020-03-05',
  'nodejs4.3-edge': '2020-03-05',
  'nodejs6.10': '2019-08-12',
  'nodejs8.10': '2020-03-06',
  'nodejs10.x': '2021-07-30',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'nodejs24.x': '2028-04-30',
  'python2.7': '2021-07-15',
  'python3.6': '2022-07-18',
  'python3.7': '2023-12-04',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
  'python3.10': '2026-06-30',
  'python3.11': '2026-06-30',
  'python3.12': '2028-10-31',
  'python3.13': '2029-06-30',
  java8: '2024-01-08',
  'java8.al2': '2026-06-30',
  java11: '2026-06-30',
  java17: '2026-06-30',
  java21: '2029-06-30',
  'dotnetcore1.0': '2019-07-27',
  'dotnetcore2.0': '2019-05-30',
  'dotnetcore2.1': '2022-01-05',
  'dotnetcore3.1': '2023-04-03',
  'dotnet5.0': '2022-05-10',
  dotnet6: '2024-11-12',
  dotnet7: '2024-05-14',
  dotnet8: '2026-11-10',
  'go1.x': '2024-01-08',
  'ruby2.5': '2021-07-30',
  'ruby2.7': '2023-11-27',
  'ruby3.2': '2026-03-31',
  'ruby3.3': '2027-03-31',
  provided: '2024-01-08',
  'provided.al2': '2026-06-30',
  'provided.al2023': '2029-06-30',
};

/** How long before its end of support a runtime is reported (as a warning, which does not fail the gate). */
export const RUNTIME_WARNING_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Mirrors checkov CKV_AWS_363 and cdk-nag AwsSolutions-L1, with the deprecation dates in the table above rather than
 * a fixed list, so the gate starts failing on the day a runtime loses support and warns before.
 */
export const lambdaRuntime: Rule = {
  id: 'CKV_AWS_363',
  aliases: ['L1'],
  title: 'Lambda functions use a runtime that AWS still supports',
  fix: 'Move the aws_lambda_function to a supported runtime (NODE_RUNTIME in stacks/constructs/node-function.ts), e.g. the latest nodejs LTS runtime.',
  resourceTypes: ['aws_lambda_function'],
  check(plan) {
    const findings: Finding[] = [];
    const now = plan.evaluatedAt.getTime();
    for (const fn of plan.ofType('aws_lambda_function')) {
      const runtime = plan.value<string>(fn, ['runtime']);
      const end = runtime ? RUNTIME_END_OF_SUPPORT[runtime] : undefined;
      if (!runtime || !end) continue; // container images have no runtime; unlisted runtimes are newer ones
      const endTime = Date.parse(`${end}T00:00:00Z`);
      if (endTime <= now) {
        findings.push(finding(fn, `runtime ${runtime} reached end of support on ${end}`));
      } else if (endTime - now <= RUNTIME_WARNING_DAYS * DAY_MS) {
        const days = Math.ceil((endTime - now) / DAY_MS);
        findings.push({
          ...finding(fn, `runtime ${runtime} reaches end of support on ${end} (in ${days} days)`),
          severity: 'warning',
        });
      }
    }
    return findings;
  },
};

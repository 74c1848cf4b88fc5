import { stageConfig } from '../../stacks/config';
import { OPERATIONS_DEFAULTS, operationsConfig } from '../../stacks/operations/config';

describe('operations config', () => {
  it('notifies no one by default in dev, and warns about an unwatched prod', () => {
    expect(stageConfig('dev', {}).operations).toEqual({ ...OPERATIONS_DEFAULTS, warnWithoutSubscriptions: false });
    expect(stageConfig('prod', {}).operations).toMatchObject({ subscriptions: [], warnWithoutSubscriptions: true });
  });

  it('merges a stage override into the default thresholds', () => {
    expect(stageConfig('prod', {}).operations.alarms).toEqual({
      ...OPERATIONS_DEFAULTS.alarms,
      tokenClientInstances: 20,
    });
  });

  it('takes comma-separated subscriptions from ALARM_EMAIL_<STAGE> and ALARM_HTTPS_<STAGE>, trimmed and once each', () => {
    const { subscriptions } = stageConfig('prod', {
      ALARM_EMAIL_PROD: ' ops@example.com, oncall@example.org ,ops@example.com,',
      ALARM_HTTPS_PROD: 'https://events.pagerduty.example/integration/abc/enqueue',
      ALARM_EMAIL_DEV: 'dev@example.com',
    }).operations;
    expect(subscriptions).toEqual([
      { protocol: 'email', endpoint: 'ops@example.com' },
      { protocol: 'email', endpoint: 'oncall@example.org' },
      { protocol: 'https', endpoint: 'https://events.pagerduty.example/integration/abc/enqueue' },
    ]);
  });

  it('adds the environment to subscriptions from the stage config', () => {
    const config = operationsConfig(
      'dev',
      { subscriptions: [{ protocol: 'email', endpoint: 'team@example.com' }] },
      { ALARM_EMAIL_DEV: 'me@example.com' },
    );
    expect(config.subscriptions.map((s) => s.endpoint)).toEqual(['team@example.com', 'me@example.com']);
  });

  it('refuses an endpoint that is not an email address or an https URL, naming stage, value and source', () => {
    expect(() => stageConfig('dev', { ALARM_EMAIL_DEV: 'ops@example.com;oncall@example.com' })).toThrow(
      'Stage "dev": alarm subscription "ops@example.com;oncall@example.com" (from ALARM_EMAIL_DEV) is not an email address',
    );
    expect(() => stageConfig('prod', { ALARM_HTTPS_PROD: 'http://pager.example/hook' })).toThrow(
      /Stage "prod": alarm subscription "http:\/\/pager.example\/hook" \(from ALARM_HTTPS_PROD\) is not an https:\/\/ URL/,
    );
    expect(() => operationsConfig('dev', { subscriptions: [{ protocol: 'email', endpoint: 'nobody' }] })).toThrow(
      /"nobody" \(from operations.subscriptions in stacks\/config.ts\)/,
    );
  });

  it.each([
    ['apiServerErrorRatePercent', 0, 'a percentage above 0 and at most 100'],
    ['apiLatencyPercentOfTimeout', 120, 'a percentage above 0 and at most 100'],
    ['tokenClientInstances', 2.5, 'a whole number above 0'],
    ['tokenRequestSafetyFactor', 0.5, 'a number of at least 1'],
    ['functionErrorsPerMinute', Number.NaN, 'a number above 0'],
  ])('refuses %s = %s', (name, value, expected) => {
    expect(() => operationsConfig('prod', { alarms: { [name]: value } })).toThrow(
      `Stage "prod": operations.alarms.${name} is ${value}; use ${expected}`,
    );
  });
});

import { stageConfig, STAGES } from '../../stacks/config';
import {
  consumerProblems,
  validateConsumers,
  type ConsumerRegistry,
  type ConsumerSettings,
} from '../../stacks/consumers';
import { SCOPES } from '../../stacks/scopes';

const DEFINED = SCOPES.map((s) => s.name);
/** A registry of the tests' own, so editing the committed one changes nothing here. */
const BASE: ConsumerRegistry = {
  operations: {
    description: 'Operations and smoke tests',
    scopes: ['read', 'write', 'update', 'delete'],
    credentials: { generations: [1] },
    limits: { rateLimit: 10, burstLimit: 20 },
  },
  'catalog-reader': {
    description: 'Reads categories',
    scopes: ['read'],
    credentials: { generations: [1] },
    limits: { rateLimit: 50, burstLimit: 100, quota: { limit: 1_000_000, period: 'DAY' } },
  },
};

function settings(overrides: Partial<ConsumerSettings> = {}): ConsumerSettings {
  return {
    stage: 'dev',
    namePrefix: 'm2m-api-dev',
    consumers: BASE,
    operationsConsumer: 'operations',
    definedScopes: DEFINED,
    usagePlans: false,
    throttling: { rateLimit: 50, burstLimit: 100 },
    secretRecoveryDays: 7,
    ...overrides,
  };
}

/** The default registry with `reader` patched (what a stranger's typo looks like once types are bypassed). */
function withReader(patch: Record<string, unknown>, overrides: Partial<ConsumerSettings> = {}): ConsumerSettings {
  const reader = { ...BASE['catalog-reader'], ...patch };
  return settings({ consumers: { ...BASE, reader }, ...overrides });
}

describe('the committed consumer registry', () => {
  it.each(STAGES)('is valid for %s', (stage) => {
    const config = stageConfig(stage, {});
    expect(consumerProblems({ ...config, definedScopes: DEFINED })).toEqual([]);
  });

  it('uses usage plans in prod only, and a longer recovery window there', () => {
    expect([stageConfig('dev').usagePlans, stageConfig('prod').usagePlans]).toEqual([false, true]);
    expect([stageConfig('dev').secretRecoveryDays, stageConfig('prod').secretRecoveryDays]).toEqual([7, 30]);
  });
});

describe('the type system', () => {
  it('refuses empty or unknown scopes, three generations and a name used twice', () => {
    const registry: ConsumerRegistry = {
      // @ts-expect-error an empty scope list is not a ConsumerScopes
      empty: { description: 'x', scopes: [], credentials: { generations: [1] } },
      // @ts-expect-error "admin" is not a scope of the resource server
      unknown: { description: 'x', scopes: ['admin'], credentials: { generations: [1] } },
      // @ts-expect-error at most two credential generations
      three: { description: 'x', scopes: ['read'], credentials: { generations: [1, 2, 3] } },
      twice: { description: 'x', scopes: ['read'], credentials: { generations: [1] } },
      // @ts-expect-error TS1117: an object literal cannot have two properties with the same name
      twice: { description: 'y', scopes: ['read'], credentials: { generations: [2] } },
      // @ts-expect-error a reader is an IAM ARN
      reader: { description: 'x', scopes: ['read'], credentials: { generations: [1], readers: ['someone'] } },
    };
    // What gets past a cast is refused at synth all the same.
    const problems = consumerProblems(settings({ consumers: { ...BASE, ...registry } }));
    expect(problems).toEqual([
      'Stage "dev", consumer "empty": scopes is []; give at least one scope (the resource server\'s scopes are read, write, update, delete).',
      'Stage "dev", consumer "unknown": scope "admin" is not defined; the resource server\'s scopes are read, write, update, delete. Use one of them, or add it to SCOPES.',
      'Stage "dev", consumer "three": credentials.generations is [1,2,3]; at most two generations live at once (the current one and the one being replaced). Remove the oldest once its consumer has switched.',
      expect.stringMatching(
        /^Stage "dev", consumer "reader": reader "someone" is not an IAM principal ARN; use arn:aws:iam::/,
      ),
    ]);
  });
});

describe('synth refuses, naming stage, consumer and value, with what to do', () => {
  it.each([
    ['Catalog_Reader', /consumer "Catalog_Reader": the name "Catalog_Reader" is invalid; use 1–48 lower-case letters/],
    ['-reader', /consumer "-reader": the name "-reader" is invalid/],
    ['reader-', /consumer "reader-": the name "reader-" is invalid/],
    ['read--er', /consumer "read--er": the name "read--er" is invalid/],
    ['r'.repeat(49), /the name "r{49}" is invalid/],
    ['has space', /consumer "has space": the name "has space" is invalid/],
    ['a/b', /consumer "a\/b": the name "a\/b" is invalid/],
  ])('the consumer name %p', (name, message) => {
    const consumers = { ...BASE, [name]: BASE['catalog-reader'] };
    const problems = consumerProblems(settings({ consumers }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Stage "dev", /);
    expect(problems[0]).toMatch(message);
  });

  it.each(['r', 'catalog-reader', 'a1-b2', 'r'.repeat(48)])('accepts the consumer name %p', (name) => {
    const consumers = { ...BASE, [name]: BASE['catalog-reader'] };
    expect(consumerProblems(settings({ consumers }))).toEqual([]);
  });

  it.each([
    [{ scopes: [] }, 'scopes is []; give at least one scope'],
    [{ scopes: ['read', 'publish'] }, 'scope "publish" is not defined'],
    [{ scopes: ['read', 'read'] }, 'scope "read" is listed twice'],
    [{ description: ' ' }, 'description is " "; say what the consumer is'],
    [
      { accessTokenValidityMinutes: 4 },
      'accessTokenValidityMinutes is 4; Cognito accepts whole minutes from 5 to 1440',
    ],
    [{ accessTokenValidityMinutes: 1441 }, 'accessTokenValidityMinutes is 1441'],
    [{ accessTokenValidityMinutes: 7.5 }, 'accessTokenValidityMinutes is 7.5'],
    [{ credentials: { generations: [] } }, 'credentials.generations is []; give one generation, e.g. [1]'],
    [{ credentials: { generations: [1, 2, 3] } }, 'credentials.generations is [1,2,3]; at most two generations'],
    [{ credentials: { generations: [2, 2] } }, 'credential generation 2 is listed twice'],
    [{ credentials: { generations: [0] } }, 'credential generation 0 is invalid; use whole numbers from 1 to 999'],
    [{ credentials: { generations: ['2026-12'] } }, 'credential generation "2026-12" is invalid'],
    [{ credentials: { generations: [1000] } }, 'credential generation 1000 is invalid'],
    [
      { credentials: { generations: [1], readers: ['arn:aws:iam::123456789012:role/*'] } },
      'reader "arn:aws:iam::123456789012:role/*" is not an IAM principal ARN',
    ],
    [
      { credentials: { generations: [1], readers: ['arn:aws:sts::123456789012:assumed-role/r/session'] } },
      'reader "arn:aws:sts::123456789012:assumed-role/r/session" is not an IAM principal ARN',
    ],
    [
      { credentials: { generations: [1], readers: ['arn:aws:iam::12345:root'] } },
      'reader "arn:aws:iam::12345:root" is not an IAM principal ARN',
    ],
    [
      {
        credentials: {
          generations: [1],
          readers: ['arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:root'],
        },
      },
      'reader "arn:aws:iam::123456789012:root" is listed twice',
    ],
    [{ limits: { rateLimit: 0, burstLimit: 1 } }, 'limits.rateLimit is 0; use requests per second above 0'],
    [{ limits: { rateLimit: 1, burstLimit: 0.5 } }, 'limits.burstLimit is 0.5; use a whole number'],
    [
      { limits: { rateLimit: 1, burstLimit: 1, quota: { limit: -1, period: 'DAY' } } },
      'limits.quota.limit is -1; use a whole number',
    ],
    [
      { limits: { rateLimit: 1, burstLimit: 1, quota: { limit: 5, period: 'YEAR' } } },
      'limits.quota.period is "YEAR"; use DAY, WEEK, MONTH',
    ],
  ])('%j', (patch, message) => {
    const problems = consumerProblems(withReader(patch));
    expect(problems).toEqual([expect.stringContaining(`Stage "dev", consumer "reader": ${message}`)]);
  });

  it('accepts IAM roles (with paths), users and whole accounts as readers, in every partition', () => {
    const readers = [
      'arn:aws:iam::123456789012:role/catalog-service',
      'arn:aws:iam::123456789012:role/service-role/path/catalog',
      'arn:aws-us-gov:iam::123456789012:user/ops@example.com',
      'arn:aws-cn:iam::123456789012:root',
    ];
    expect(consumerProblems(withReader({ credentials: { generations: [4, 5], readers } }))).toEqual([]);
  });

  it('wants limits on every consumer, within the stage throttling, once the stage turns usage plans on', () => {
    const on = { usagePlans: true, stage: 'prod', throttling: { rateLimit: 200, burstLimit: 400 } };
    expect(consumerProblems(withReader({ limits: undefined }, on))).toEqual([
      'Stage "prod", consumer "reader": stage "prod" has usagePlans on, so every consumer needs limits ' +
        '({ rateLimit, burstLimit, quota? }); add them, or turn usagePlans off for the stage.',
    ]);
    expect(consumerProblems(withReader({ limits: { rateLimit: 250, burstLimit: 500 } }, on))).toEqual([
      expect.stringContaining('consumer "reader": limits.rateLimit 250 exceeds the stage\'s throttling.rateLimit 200'),
      expect.stringContaining(
        'consumer "reader": limits.burstLimit 500 exceeds the stage\'s throttling.burstLimit 400',
      ),
    ]);
    // Without usage plans, limits are inert: the same registry serves both stages.
    expect(consumerProblems(withReader({ limits: { rateLimit: 250, burstLimit: 500 } }))).toEqual([]);
    expect(consumerProblems(withReader({ limits: undefined }))).toEqual([]);
  });

  it('wants an operations consumer that holds every scope', () => {
    expect(consumerProblems(settings({ operationsConsumer: 'ops' }))).toEqual([
      'Stage "dev": the operations consumer "ops" is not in the registry (operations, catalog-reader). ' +
        'Add it with every scope, or set operationsConsumer to one that has every scope.',
    ]);
    expect(consumerProblems(settings({ operationsConsumer: 'catalog-reader' }))).toEqual([
      expect.stringMatching(
        /^Stage "dev", consumer "catalog-reader": as the operations consumer .* it lacks write, update, delete\./,
      ),
    ]);
    expect(consumerProblems(settings({ consumers: {} }))).toEqual([
      'Stage "dev": the consumer registry is empty. Add at least the "operations" consumer.',
    ]);
  });

  it.each([0, 6, 31, 7.5])('the secret recovery window %p', (days) => {
    expect(consumerProblems(settings({ secretRecoveryDays: days }))).toEqual([
      `Stage "dev": secretRecoveryDays is ${days}; use whole days from 7 to 30 (Secrets Manager's recovery window).`,
    ]);
  });

  it('an app client name longer than Cognito allows', () => {
    const name = 'r'.repeat(48);
    const consumers = { ...BASE, [name]: BASE['catalog-reader'] };
    const problems = consumerProblems(settings({ consumers, namePrefix: `m2m-api-${'s'.repeat(72)}` }));
    expect(problems).toEqual([
      `Stage "dev", consumer "${name}": the app client name "m2m-api-${'s'.repeat(72)}-${name}-1" is longer than ` +
        "Cognito's 128 characters; shorten the consumer name.",
    ]);
  });

  it('lists every problem at once', () => {
    expect(() =>
      validateConsumers(
        withReader({ scopes: ['nope'], credentials: { generations: [1, 1] } }, { secretRecoveryDays: 0 }),
      ),
    ).toThrow(
      /^The consumer registry cannot be deployed:\n- Stage "dev": secretRecoveryDays is 0.*\n- Stage "dev", consumer "reader": scope "nope".*\n- Stage "dev", consumer "reader": credential generation 1 is listed twice/,
    );
  });
});

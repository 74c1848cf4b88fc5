import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { DataAwsArn } from '@cdktf/provider-aws/lib/data-aws-arn';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsKeyPolicy } from '@cdktf/provider-aws/lib/kms-key-policy';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { AlarmSubscription } from '../operations/config';

export interface AlarmTopicProps {
  /** Name of the topic. */
  readonly name: string;
  /** Only alarms whose names start with this (in this account and region) may publish, e.g. `m2m-api-prod-`. */
  readonly alarmNamePrefix: string;
  /** Who receives the notifications. @default none */
  readonly subscriptions?: readonly AlarmSubscription[];
  /** Days KMS waits before deleting the key once the stage is destroyed (7 to 30). @default 30 */
  readonly keyDeletionWindowDays?: number;
}

/** A resource policy, written as AWS reads it. */
interface ResourcePolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly {
    readonly Sid: string;
    readonly Effect: 'Allow';
    readonly Principal: { readonly AWS: string } | { readonly Service: string };
    readonly Action: string | readonly string[];
    readonly Resource: string;
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  }[];
}

const CLOUDWATCH = 'cloudwatch.amazonaws.com';

/**
 * The SNS topic a stage's alarms notify, encrypted with a customer managed KMS key.
 *
 * Why not the AWS managed key `alias/aws/sns`: a service that publishes to an encrypted topic — CloudWatch alarms
 * among them — needs `kms:GenerateDataKey*` and `kms:Decrypt` on the topic's key, granted in the key policy to the
 * service principal; the AWS managed key's policy cannot be changed, so alarms could not publish ("Enable
 * compatibility between event sources from AWS services and encrypted topics",
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 *
 * The topic policy lets CloudWatch publish only for this stage's alarms of this account (`aws:SourceArn`,
 * `aws:SourceAccount`: the protection against a confused deputy that AWS recommends wherever a resource policy names a
 * service principal, IAM User Guide "The confused deputy problem"). The key statement
 * follows the SNS guide's, without conditions: the key encrypts nothing but this topic, CloudWatch can only reach it
 * through a publish the topic policy allowed, and a condition the KMS request might not carry would silently drop
 * every notification.
 *
 * The account id and partition come from the key's and the topic's own ARNs, parsed by `aws_arn` data sources (no
 * AWS call): `aws_caller_identity` would need AWS credentials to plan, and this project plans offline.
 */
export class AlarmTopic extends Construct {
  public readonly key: KmsKey;
  public readonly keyPolicy: KmsKeyPolicy;
  public readonly topic: SnsTopic;
  public readonly topicPolicy: SnsTopicPolicy;
  public readonly subscriptions: readonly SnsTopicSubscription[];

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const deletionWindow = props.keyDeletionWindowDays ?? 30;
    if (!Number.isInteger(deletionWindow) || deletionWindow < 7 || deletionWindow > 30) {
      throw new Error(`${this.node.path}: keyDeletionWindowDays is ${deletionWindow}; KMS accepts 7 to 30 days.`);
    }

    this.key = new KmsKey(this, 'key', {
      description: `Encrypts the ${props.name} SNS topic (alarm notifications)`,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindow,
    });
    const key = new DataAwsArn(this, 'key-arn', { arn: this.key.arn });
    const keyPolicy: ResourcePolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          // KMS's default key policy: the account administers the key through IAM ("Default key policy").
          Sid: 'AccountAdministersKeyThroughIam',
          Effect: 'Allow',
          Principal: { AWS: `arn:${key.partition}:iam::${key.account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
          Effect: 'Allow',
          Principal: { Service: CLOUDWATCH },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        },
      ],
    };
    this.keyPolicy = new KmsKeyPolicy(this, 'key-policy', { keyId: this.key.keyId, policy: JSON.stringify(keyPolicy) });

    this.topic = new SnsTopic(this, 'topic', {
      name: props.name,
      kmsMasterKeyId: this.key.arn,
      // The topic exists only once CloudWatch may use its key.
      dependsOn: [this.keyPolicy],
    });
    const topicArn = this.topic.arn;
    const topic = new DataAwsArn(this, 'topic-arn', { arn: topicArn });
    const topicPolicy: ResourcePolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AlarmsOfThisStagePublish',
          Effect: 'Allow',
          Principal: { Service: CLOUDWATCH },
          Action: 'sns:Publish',
          Resource: topicArn,
          Condition: {
            ArnLike: {
              'aws:SourceArn': `arn:${topic.partition}:cloudwatch:${topic.region}:${topic.account}:alarm:${props.alarmNamePrefix}*`,
            },
            StringEquals: { 'aws:SourceAccount': topic.account },
          },
        },
      ],
    };
    this.topicPolicy = new SnsTopicPolicy(this, 'topic-policy', { arn: topicArn, policy: JSON.stringify(topicPolicy) });

    this.subscriptions = (props.subscriptions ?? []).map(
      (subscription) =>
        new SnsTopicSubscription(this, `subscription-${subscription.protocol}-${digest(subscription.endpoint)}`, {
          topicArn,
          protocol: subscription.protocol,
          endpoint: subscription.endpoint,
        }),
    );
  }
}

/** A short stable id for an endpoint: construct ids stay put when subscriptions are added or reordered. */
function digest(endpoint: string): string {
  return createHash('sha256').update(endpoint).digest('hex').slice(0, 10);
}

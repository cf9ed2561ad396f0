import type { Json } from '../intrinsics';
import type { TemplateReader } from './reader';

export interface TopicSubscription {
  queueArn: string;
  /** RawMessageDelivery: the message itself is the SQS body, not SNS's JSON envelope. */
  raw: boolean;
}

export interface TopicDefinition {
  logicalId: string;
  arn: string;
  name: string;
  /** Its SQS subscriptions (other protocols are not run locally). */
  subscriptions: TopicSubscription[];
  /** Granted to `sms-voice.amazonaws.com` by a topic policy: a two-way SMS channel, where replies are published. */
  smsTwoWayChannel: boolean;
}

const mentionsSmsVoice = (document: Json | undefined): boolean =>
  JSON.stringify(document ?? null).includes('"sms-voice.amazonaws.com"');

export function topicsOf({ each, text, attribute }: TemplateReader): TopicDefinition[] {
  const subscriptions = each('AWS::SNS::Subscription', (_logicalId, p) => ({
    topicArn: String(p.TopicArn),
    protocol: String(p.Protocol),
    queueArn: String(p.Endpoint),
    raw: p.RawMessageDelivery === true || p.RawMessageDelivery === 'true',
  }));
  const smsTopics = new Set(
    each('AWS::SNS::TopicPolicy', (_logicalId, p) => (mentionsSmsVoice(p.PolicyDocument) ? (p.Topics as Json[]) : []))
      .flat()
      .map(String),
  );
  return each('AWS::SNS::Topic', (logicalId) => {
    const arn = text(logicalId);
    return {
      logicalId,
      arn,
      name: attribute(logicalId, 'TopicName'),
      subscriptions: subscriptions
        .filter((subscription) => subscription.topicArn === arn && subscription.protocol === 'sqs')
        .map(({ queueArn, raw }) => ({ queueArn, raw })),
      smsTwoWayChannel: smsTopics.has(arn),
    };
  });
}

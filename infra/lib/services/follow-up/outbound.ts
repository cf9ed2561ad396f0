import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CxFunction } from '../../function';
import type { CxHttpApi } from '../../http-api';
import type { ServiceTable } from '../../service-table';

export interface OutboundDeliveryProps {
  readonly bus: IEventBus;
  readonly table: ServiceTable;
  readonly unsubscribeKey: ISecret;
}

/** The outbound queue every follow-up message goes through, and the sender that delivers it once per job. */
export class OutboundDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, _props: OutboundDeliveryProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(60),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 8 },
    });
  }

  /** Lets a function put jobs on the outbound queue (`outboundQueue(OUTBOUND_QUEUE_URL)`). */
  grantEnqueue(fn: CxFunction): void {
    this.queue.grantSendMessages(fn);
    fn.addEnvironment('OUTBOUND_QUEUE_URL', this.queue.queueUrl);
  }

  addRoutes(_api: CxHttpApi): void {}
}

import type { Clock, Timescale } from '../clock';
import type { QueueDefinition } from '../template/resources/queues';
import { Queue } from './queue';

/** Every queue of the stack, found by URL, ARN, name or logical id, with their dead-letter relations. */
export class QueueRegistry {
  private readonly queues: Queue[];

  constructor(definitions: QueueDefinition[], clock: Clock, timescale: Timescale) {
    this.queues = definitions.map(
      (definition) =>
        new Queue(definition, clock, timescale, () =>
          definition.redrivePolicy ? this.byArn(definition.redrivePolicy.deadLetterTargetArn) : undefined,
        ),
    );
  }

  all(): readonly Queue[] {
    return this.queues;
  }

  byArn(arn: string): Queue | undefined {
    return this.queues.find((queue) => queue.definition.arn === arn);
  }

  /** By URL; any host will do, as clients may spell it `localhost` or `127.0.0.1`. */
  byUrl(url: string): Queue | undefined {
    return this.byName(url.replace(/\/+$/, '').split('/').pop() ?? '');
  }

  byName(name: string): Queue | undefined {
    return this.queues.find((queue) => queue.definition.name === name);
  }

  /** By logical id, logical-id prefix, name, URL or ARN: what people type in tests and on the command line. */
  find(reference: string): Queue | undefined {
    return (
      this.queues.find((queue) => queue.definition.logicalId === reference) ??
      this.byArn(reference) ??
      (reference.includes('/') ? this.byUrl(reference) : this.byName(reference)) ??
      this.queues.find((queue) => queue.definition.logicalId.startsWith(reference))
    );
  }

  get(reference: string): Queue {
    const queue = this.find(reference);
    if (!queue) {
      const known = this.queues.map((candidate) => candidate.definition.logicalId).join(', ');
      throw new Error(`no queue ${reference}; queues: ${known || 'none'}`);
    }
    return queue;
  }

  /** The queues whose redrive policy sends failed messages to `deadLetterQueue`. */
  sourcesOf(deadLetterQueue: Queue): Queue[] {
    return this.queues.filter(
      (queue) => queue.definition.redrivePolicy?.deadLetterTargetArn === deadLetterQueue.definition.arn,
    );
  }

  /**
   * Moves a dead-letter queue's messages back to its source queue (or `destination`), as StartMessageMoveTask does.
   */
  redrive(deadLetterQueue: Queue, destination?: Queue): number {
    const target = destination ?? this.onlySourceOf(deadLetterQueue);
    return deadLetterQueue.moveMessagesTo(target);
  }

  dispose(): void {
    for (const queue of this.queues) queue.dispose();
  }

  private onlySourceOf(deadLetterQueue: Queue): Queue {
    const sources = this.sourcesOf(deadLetterQueue);
    const [source] = sources;
    if (sources.length !== 1 || !source) {
      throw new Error(
        `${deadLetterQueue.definition.logicalId} is the dead-letter queue of ${sources.length} queues: name the destination`,
      );
    }
    return source;
  }
}

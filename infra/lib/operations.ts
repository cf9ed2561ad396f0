import {
  type BusinessMetricName,
  BusinessMetrics,
  businessMetricDimension,
  businessMetricEmitters,
  businessMetricsNamespace,
} from '@cxloop/lambda-kit/business-metrics';
import { Duration, Fn, NestedStack, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type CfnRule, Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct, IConstruct } from 'constructs';
import * as z from 'zod';
import { CxFunction } from './function';
import { ServiceTable } from './service-table';
import { ConsumedQueue, ParkingQueue } from './work-queue';

/** CDK context key of the address that receives every alarm (optional: without it, subscribe to the topic yourself). */
export const alarmEmailContextKey = 'cxloop:alarmEmail';

/** The on-call address from `-c cxloop:alarmEmail=…`, if any; anything but one e-mail address stops the synthesis. */
export function alarmEmail(scope: Construct): string | undefined {
  const value: unknown = scope.node.tryGetContext(alarmEmailContextKey);
  if (value === undefined) return undefined;
  const parsed = z.email().safeParse(value);
  if (!parsed.success)
    throw new Error(`Context ${alarmEmailContextKey} must be one e-mail address (the alarms' recipient)`);
  return parsed.data;
}

/** Where the README explains every alarm: its descriptions end with it. */
const RUNBOOK = 'Runbook: README.md#runbook';

/** Error share of a function's invocations (per 15 minutes) above which it alarms. */
const FUNCTION_ERROR_PERCENT = 5;
/** Share of API requests answered 5xx (per 5 minutes, 2 of 3 periods) above which the API alarms. */
const API_SERVER_ERROR_PERCENT = 1;

const period = Duration.minutes(5);

/** What the operations stack watches: found in the watched stack by type, once every service has been built. */
interface Watched {
  readonly functions: CxFunction[];
  readonly workQueues: ConsumedQueue[];
  readonly parkingQueues: ParkingQueue[];
  readonly tables: ServiceTable[];
  readonly rules: Rule[];
}

function watchedIn(stack: Stack): Watched {
  const all = stack.node.findAll();
  const ofType = <T extends IConstruct>(type: abstract new (...args: never[]) => T) =>
    all.filter((construct): construct is T => construct instanceof type);
  return {
    functions: ofType(CxFunction),
    workQueues: ofType(ConsumedQueue),
    parkingQueues: ofType(ParkingQueue),
    tables: ofType(ServiceTable),
    rules: ofType(Rule),
  };
}

export interface OperationsProps {
  /** The cxloop stack, built: its functions, queues, tables and rules are watched. */
  readonly watched: Stack;
  readonly api: IHttpApi;
  /** The CloudWatch dashboard's name (known to the parent, which links to it). */
  readonly dashboardName: string;
  /** The alarm topic's name (likewise). */
  readonly topicName: string;
  /** Subscribed to the alarm topic by e-mail (it confirms the subscription from the message AWS sends). */
  readonly alarmEmail?: string;
}

/**
 * The operator's view of a deployment, in a nested stack of its own (alarms are resources, and the main stack is near
 * CloudFormation's 500): a CloudWatch dashboard of ingest, pipeline lag, dead letters, errors, throttles, durations
 * and the business metrics, and alarms that notify an SNS topic on ALARM and on OK. Every alarm's description says
 * what fired and what to do first; the README's runbook says the rest.
 *
 * It must be created after everything it watches: it finds the functions ({@link CxFunction}), work and dead-letter
 * queues ({@link ConsumedQueue}, {@link ParkingQueue}), service tables and EventBridge rules of the stack by type.
 */
export class Operations extends NestedStack {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;
  private readonly label: (construct: IConstruct) => string;
  private readonly alarmPrefix: string;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id, { description: 'cxloop operations: CloudWatch dashboard and alarms' });
    const watched = watchedIn(props.watched);
    const stackPath = props.watched.node.path;
    this.label = (construct) => construct.node.path.slice(stackPath.length + 1);
    this.alarmPrefix = props.watched.stackName;

    this.topic = this.alarmTopic(props.topicName, props.alarmEmail);
    this.action = new SnsAction(this.topic);

    const deadLetterAlarms = watched.parkingQueues.map((queue) =>
      this.alarm(queue, 'DeadLetters', {
        name: 'messages in the dead-letter queue',
        description: queue.whatToDo,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM }),
        threshold: 0,
      }),
    );
    const lagAlarms = watched.workQueues.map((queue) =>
      this.alarm(queue, 'Lag', {
        name: `oldest message older than ${queue.maxMessageAge.toHumanString()}`,
        description:
          'The pipeline lags: its consumer is failing, throttled or too slow for the traffic. See its function’s errors ' +
          'and throttles and the queue’s depth on the dashboard.',
        metric: queue.metricApproximateAgeOfOldestMessage({ period, statistic: Stats.MAXIMUM }),
        threshold: queue.maxMessageAge.toSeconds(),
      }),
    );
    const functionAlarms = watched.functions.flatMap((fn) => [
      this.alarm(fn, 'Errors', {
        name: `errors above ${FUNCTION_ERROR_PERCENT}% of invocations`,
        description:
          'Invocations failed (a crash, a timeout, a failure the handler did not answer for): read the function’s log ' +
          'group for level ERROR and the request or correlation id.',
        metric: new MathExpression({
          expression: '100 * errors / invocations',
          usingMetrics: { errors: fn.metricErrors(), invocations: fn.metricInvocations() },
          period: Duration.minutes(15),
          label: 'errors (% of invocations)',
        }),
        threshold: FUNCTION_ERROR_PERCENT,
      }),
      this.alarm(fn, 'Throttles', {
        name: 'throttled',
        description:
          'Invocations were throttled (reserved concurrency or the account’s limit): traffic above what it may run at ' +
          'once, an abusive client on a public route, or a limit set too low.',
        metric: fn.metricThrottles({ period }),
        threshold: 0,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      }),
    ]);
    const api = props.api;
    const apiAlarm = this.alarm(api, 'ServerErrors', {
      name: `5xx above ${API_SERVER_ERROR_PERCENT}% of requests`,
      description:
        'The API answers 5xx: see which route in the access logs (status 5xx), then that function’s errors and logs.',
      metric: new MathExpression({
        expression: '100 * serverErrors / requests',
        usingMetrics: { serverErrors: api.metricServerError({ period }), requests: api.metricCount({ period }) },
        period,
        label: '5xx (% of requests)',
      }),
      threshold: API_SERVER_ERROR_PERCENT,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    // Metric ids are unique per graph, which draws one expression per table (and per rule).
    const tableThrottles = (table: ServiceTable, index = 0) =>
      new MathExpression({
        expression: `FILL(reads${index}, 0) + FILL(writes${index}, 0)`,
        usingMetrics: {
          [`reads${index}`]: table.metric('ReadThrottleEvents', { period, statistic: Stats.SUM }),
          [`writes${index}`]: table.metric('WriteThrottleEvents', { period, statistic: Stats.SUM }),
        },
        period,
        label: this.label(table),
      });
    const tableAlarms = watched.tables.map((table) =>
      this.alarm(table, 'Throttles', {
        name: 'throttled reads or writes',
        description:
          'DynamoDB throttled requests (a hot partition, or on-demand throughput above its limit): see which function ' +
          'retried or failed at that time, and the table’s per-operation metrics.',
        metric: tableThrottles(table),
        threshold: 0,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      }),
    );
    const ruleFailures = (rule: Rule, index = 0) =>
      new MathExpression({
        expression: `FILL(failed${index}, 0) + FILL(lost${index}, 0)`,
        usingMetrics: {
          [`failed${index}`]: ruleMetric(rule, 'FailedInvocations'),
          [`lost${index}`]: ruleMetric(rule, 'InvocationsFailedToBeSentToDlq'),
        },
        period,
        label: this.label(rule),
      });
    const ruleAlarms = watched.rules.map((rule) =>
      this.alarm(rule, 'FailedInvocations', {
        name: 'events not delivered',
        description:
          'EventBridge could not deliver events to the rule’s target and could not park them in its dead-letter queue ' +
          '(target or queue deleted, a policy that refuses it): these events are lost; replay them from the archive.',
        metric: ruleFailures(rule),
        threshold: 0,
      }),
    );

    const graph = (title: string, left: IMetric[], options: { width?: number; right?: IMetric[] } = {}) =>
      new GraphWidget({ title, left, ...(options.right ? { right: options.right } : {}), width: options.width ?? 12 });
    const labelled = <T extends IConstruct>(items: T[], metric: (item: T, label: string) => IMetric) =>
      items.map((item) => metric(item, this.label(item)));
    const businessMetric = (name: BusinessMetricName, label: string = name) =>
      new Metric({
        namespace: businessMetricsNamespace,
        metricName: name,
        dimensionsMap: { [businessMetricDimension]: businessMetricEmitters[name] },
        statistic: Stats.SUM,
        period,
        label,
      });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new TextWidget({
            markdown:
              '# cxloop operations\nEvery alarm notifies the alarm topic on ALARM and OK; what each one means and what to ' +
              'do is in the README’s runbook (README.md#runbook). Queues, functions and tables are named by their ' +
              'construct path.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new AlarmStatusWidget({
            title: 'Alarms: dead letters, lag, API, tables, rules',
            alarms: [...deadLetterAlarms, ...lagAlarms, apiAlarm, ...tableAlarms, ...ruleAlarms],
            width: 24,
            height: 6,
          }),
        ],
        [
          graph('Ingest: API requests and responses received', [api.metricCount({ period, label: 'API requests' })], {
            right: [businessMetric(BusinessMetrics.responsesReceived, 'ResponsesReceived (collection)')],
          }),
          graph(
            'Business metrics (namespace cxloop)',
            Object.values(BusinessMetrics).map((name) => businessMetric(name)),
          ),
        ],
        [
          graph(
            'Pipeline lag: age of the oldest message (s)',
            labelled(watched.workQueues, (queue, label) =>
              queue.metricApproximateAgeOfOldestMessage({ period, statistic: Stats.MAXIMUM, label }),
            ),
          ),
          graph(
            'Dead-letter queue depth',
            labelled(watched.parkingQueues, (queue, label) =>
              queue.metricApproximateNumberOfMessagesVisible({ period, statistic: Stats.MAXIMUM, label }),
            ),
          ),
        ],
        [
          graph(
            'Lambda errors',
            labelled(watched.functions, (fn, label) => fn.metricErrors({ period, label })),
          ),
          graph(
            'Lambda throttles',
            labelled(watched.functions, (fn, label) => fn.metricThrottles({ period, label })),
          ),
        ],
        [
          graph(
            'Lambda duration p95 (ms)',
            labelled(watched.functions, (fn, label) => fn.metricDuration({ period, statistic: Stats.p(95), label })),
            { width: 24 },
          ),
        ],
        [
          graph('HTTP API answers', [
            api.metricClientError({ period, label: '4xx' }),
            api.metricServerError({ period, label: '5xx' }),
          ]),
          graph(
            'DynamoDB throttled requests',
            watched.tables.map((table, index) => tableThrottles(table, index)),
          ),
        ],
        [
          graph(
            'EventBridge: events not delivered',
            watched.rules.map((rule, index) => ruleFailures(rule, index)),
          ),
          graph(
            'EventBridge: events sent to dead-letter queues',
            labelled(watched.rules, (rule, label) => ruleMetric(rule, 'InvocationsSentToDlq', label)),
          ),
        ],
        [
          new AlarmStatusWidget({
            title: 'Alarms: functions',
            alarms: functionAlarms,
            width: 24,
            height: 6,
          }),
        ],
      ],
    });
  }

  /** The topic every alarm notifies: encrypted with a key of its own, which CloudWatch may use, and SSL only. */
  private alarmTopic(topicName: string, email: string | undefined): Topic {
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': this.account } };
    // The AWS-managed SNS key cannot be used: its policy does not let CloudWatch alarms publish.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'cxloop: encrypts the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );
    const topic = new Topic(this, 'AlarmTopic', {
      topicName,
      displayName: 'cxloop alarms',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ...fromThisAccount,
          ArnLike: { 'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*` },
        },
      }),
    );
    if (email) topic.addSubscription(new EmailSubscription(email));
    return topic;
  }

  private alarm(
    watched: IConstruct,
    kind: string,
    props: {
      readonly name: string;
      readonly description: string;
      readonly metric: IMetric;
      readonly threshold: number;
      readonly evaluationPeriods?: number;
      readonly datapointsToAlarm?: number;
    },
  ): Alarm {
    const label = this.label(watched);
    const alarm = new Alarm(this, `${label.replace(/[^A-Za-z0-9]/g, '')}${kind}`, {
      alarmName: `${this.alarmPrefix} ${label}: ${props.name}`,
      alarmDescription: `${props.description.replace(/\.?$/, '.')} ${RUNBOOK}`,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      datapointsToAlarm: props.datapointsToAlarm ?? props.evaluationPeriods ?? 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }
}

/**
 * An EventBridge rule's metric. A rule on a custom bus is measured by bus and rule name, and its `Ref` is
 * `<bus>|<rule>`; a rule on the default bus by its name alone.
 */
function ruleMetric(rule: Rule, metricName: string, label?: string): Metric {
  const bus = (rule.node.defaultChild as CfnRule).eventBusName;
  const dimensionsMap: Record<string, string> =
    bus === undefined
      ? { RuleName: rule.ruleName }
      : { EventBusName: bus, RuleName: Fn.select(1, Fn.split('|', rule.ruleName)) };
  return new Metric({
    namespace: 'AWS/Events',
    metricName,
    dimensionsMap,
    statistic: Stats.SUM,
    period,
    ...(label ? { label } : {}),
  });
}

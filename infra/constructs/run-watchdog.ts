/**
 * RunWatchdog: the scheduled check that fails stalled runs (stages/run-watchdog: the plan's stall
 * deadline, the rule `runs list --stalled` uses) and the alarms that say so.
 *
 * Defaults: a StageFunction (Node.js 22, ARM64, X-Ray, its own log group and role; 256 MB, 120 s)
 * invoked by an EventBridge rule every 15 minutes (two retries, events older than one period
 * dropped: the next check looks again anyway). Its grants are only what failing a run takes:
 * GetItem and UpdateItem on the runs table, Query on its byStatus index, PutItem on the events
 * table. Two alarms, one evaluation period of the schedule each, missing data not breaching:
 * one or more runs failed by a check (the EMF metric stages/run-watchdog/watchdog-metric.ts
 * writes), and one or more failed invocations (a check that could not run or could not fail a
 * run). With `alarmTopic` both notify it.
 */
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { WATCHDOG_METRIC } from '../../stages/run-watchdog/watchdog-metric';
import { ENV } from '../../stages/shared/env';
import { TABLES } from '../../stages/shared/tables';
import { bindTableActions } from './data-bindings';
import type { PipelineTables } from './pipeline-tables';
import { StageFunction } from './stage-function';

export interface RunWatchdogProps {
  readonly tables: PipelineTables;
  /** Repository root: the handler is `<projectRoot>/stages/run-watchdog/handler.ts`. */
  readonly projectRoot: string;
  readonly serviceName: string;
  /** @default - the alarms have no action */
  readonly alarmTopic?: sns.ITopic;
  /** How often the check runs (whole minutes, at least 5). @default Duration.minutes(15) */
  readonly schedule?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/** The DynamoDB actions failing a stalled run takes (list, re-read, conditional updates, one event). */
export const WATCHDOG_TABLE_ACTIONS = {
  runs: { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], index: ['dynamodb:Query'] },
  events: { table: ['dynamodb:PutItem'] },
} as const;

export class RunWatchdog extends Construct {
  readonly function: StageFunction;
  readonly rule: events.Rule;
  /** Runs failed by the watchdog (one data point per check). */
  readonly stalledRunsFailed: cloudwatch.Metric;
  readonly stalledRunsAlarm: cloudwatch.Alarm;
  readonly errorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: RunWatchdogProps) {
    super(scope, id);
    const schedule = props.schedule ?? Duration.minutes(15);
    const minutes = schedule.toSeconds() / 60;
    if (!Number.isInteger(minutes) || minutes < 5) {
      throw new Error(
        `RunWatchdog: schedule must be a whole number of minutes, at least 5 (got ${schedule.toSeconds()} s)`
      );
    }

    this.function = new StageFunction(this, 'Function', {
      entry: `${props.projectRoot}/stages/run-watchdog/handler.ts`,
      projectRoot: props.projectRoot,
      providers: [],
      memoryMb: 256,
      timeoutSeconds: 120,
      serviceName: props.serviceName,
      description: 'podcast-platform run watchdog: fails runs stalled past the plan deadline',
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
      ...(props.logRemovalPolicy ? { logRemovalPolicy: props.logRemovalPolicy } : {}),
    });
    const { runs, events: eventsTable, eventTtlDays } = props.tables;
    bindTableActions(this.function, runs, ENV.runsTable, {
      table: WATCHDOG_TABLE_ACTIONS.runs.table,
      indexes: { [TABLES.runs.indexes[0].name]: WATCHDOG_TABLE_ACTIONS.runs.index },
    });
    bindTableActions(this.function, eventsTable, ENV.eventsTable, {
      table: WATCHDOG_TABLE_ACTIONS.events.table,
    });
    this.function.addEnvironment(ENV.eventTtlDays, String(eventTtlDays));
    const stackName = Stack.of(this).stackName;
    this.function.addEnvironment(ENV.stackName, stackName);

    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the podcast pipeline run watchdog',
      schedule: events.Schedule.rate(schedule),
      targets: [
        new targets.LambdaFunction(this.function.function, {
          retryAttempts: 2,
          maxEventAge: schedule,
        }),
      ],
    });

    this.stalledRunsFailed = new cloudwatch.Metric({
      namespace: WATCHDOG_METRIC.namespace,
      metricName: WATCHDOG_METRIC.name,
      dimensionsMap: { [WATCHDOG_METRIC.dimension]: stackName },
      statistic: 'Sum',
      period: schedule,
    });
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      if (props.alarmTopic) created.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      return created;
    };
    this.stalledRunsAlarm = alarm(
      'StalledRunsAlarm',
      this.stalledRunsFailed,
      'The run watchdog failed one or more stalled runs (running, no update past the plan deadline): each run record names the stage it stopped at and for how long it was silent (`npm run runs -- list --status failed`).'
    );
    this.errorsAlarm = alarm(
      'ErrorsAlarm',
      this.function.function.metricErrors({ period: schedule, statistic: 'Sum' }),
      'The run watchdog failed: stalled runs may go unfailed until it works again; its log group says why.'
    );
  }
}

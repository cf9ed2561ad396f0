import { MetricAlertRaised } from '@cxloop/events';
import { describe, expect, it } from 'vitest';
import { defaultFollowUpConfig, followUpConfigSchema } from '../src/domain/config';
import { metricAlertJobs, renderSlackMetricAlert } from '../src/domain/notifications';
import { outboundJobSchema } from '../src/domain/outbound-job';

const alert = MetricAlertRaised.dataSchema.parse(MetricAlertRaised.example);

describe('renderSlackMetricAlert', () => {
  it('says what dropped, by how much, where and how sure, in English or Russian', () => {
    const en = renderSlackMetricAlert(alert, 'en');
    expect(en.text).toBe('Metric alert: NPS dropped by 13.7 (31.9 → 18.2)');
    const context = JSON.stringify(en.blocks);
    expect(context).toContain('plan = pro');
    expect(context).toContain('2026-11-14…2026-11-20 (n 412)');
    expect(context).toContain('p = 0.00040');
    expect(renderSlackMetricAlert(alert, 'ru').text).toBe('Оповещение о метрике: NPS снизился на 13.7 (31.9 → 18.2)');
  });

  it('names a scheduled check: against the rest of the survey, its q-value over the tests, and the drivers that grew', () => {
    const scheduled = {
      ...alert,
      kind: 'below_rest' as const,
      qValue: 0.012,
      tested: 103,
      drivers: [
        { id: 'delivery', pointsAtStake: 9.4, previousPointsAtStake: 2.1, change: 7.3 },
        { id: 'price', pointsAtStake: 1.2, previousPointsAtStake: null, change: null },
      ],
    };
    const context = JSON.stringify(renderSlackMetricAlert(scheduled, 'en').blocks);
    expect(context).toContain('rest of the survey (n ');
    expect(context).not.toContain('previous 2026');
    expect(context).toContain('q = 0.012 (103 tests)');
    expect(context).toContain('Costs most points now:* delivery (+7.3 pts), price');
    const { qValue: _q, tested: _t, drivers: _d, ...fromARule } = alert;
    expect(JSON.stringify(renderSlackMetricAlert(fromARule, 'en').blocks)).not.toMatch(/q = |Costs most/);
  });

  it('copes with a window without answers', () => {
    const empty = { ...alert, previous: { ...alert.previous, value: null } };
    expect(renderSlackMetricAlert(empty, 'en').text).toContain('(— → 18.2)');
  });
});

describe('metricAlertJobs', () => {
  it('sends one Slack job per alert to the alert target, keyed by the alert id', () => {
    const config = followUpConfigSchema.parse({ alertSlackTarget: 'cx-alerts' });
    const jobs = metricAlertJobs(alert, config, { correlationId: 'c' }).map((job) => outboundJobSchema.parse(job));
    expect(jobs).toEqual([expect.objectContaining({ channel: 'slack', purpose: 'metric_alert', target: 'cx-alerts' })]);
    expect(metricAlertJobs(alert, config, {})[0]?.jobId).toBe(jobs[0]?.jobId);
    expect(metricAlertJobs({ ...alert, alertId: 'alert_other' }, config, {})[0]?.jobId).not.toBe(jobs[0]?.jobId);
  });

  it('adds metric.alert to the default webhook when configured', () => {
    const jobs = metricAlertJobs(alert, { ...defaultFollowUpConfig, alertWebhooks: true }, {});
    expect(jobs.map((job) => outboundJobSchema.parse(job))).toEqual([
      expect.not.objectContaining({ target: expect.anything() }),
      expect.objectContaining({
        channel: 'webhook',
        type: 'metric.alert',
        data: expect.objectContaining({ alertId: alert.alertId }),
      }),
    ]);
  });
});

import { ApiError } from './api';
import { destroyCharts } from './charts';
import { h, replaceChildren } from './dom';
import { loadFollowUps } from './followups-panel';
import { listSurveys, type MetricsVariant, metricsLoader, type Settled, settle, surveyToOpen } from './loading';
import type { Load, PageHost } from './page-host';
import { breakdownRows, topTopics } from './shape';
import { LAST_SURVEY_KEY } from './survey-choice';
import type {
  AggregationSettings,
  DriversAnswer,
  FeedbackPage,
  Interval,
  MetricsAnswer,
  OutreachPage,
  Scale,
  Survey,
  TaxonomyAnswer,
} from './types';
import { scales } from './types';
import { type DayRange, filtersOf, formatHash, intervalOf, metricsQuery, rangeOf } from './view-state';
import { breakdownTable, builtInDimensions, dimensionLabel, type Sort } from './views/breakdown';
import { distributionSection, trendSection } from './views/charts';
import { note, type ViewContext } from './views/common';
import { type DashboardLayout, dashboardLayout } from './views/dashboard-layout';
import { driversChart } from './views/drivers';
import { outreachList } from './views/outreach';
import { type TileData, tile } from './views/tiles';
import { type TopicComments, topicsList } from './views/topics';

const TOP_TOPICS = 5;
const COMMENTS_PER_TOPIC = 25;

type Metrics = (variant: MetricsVariant) => Promise<Settled<MetricsAnswer>>;

/** One survey's period, as the dashboard shows it. */
interface SurveyView {
  readonly surveyId: string;
  readonly surveys: Survey[] | null;
  readonly survey: Survey | undefined;
  readonly timeZone: string;
  readonly range: DayRange;
  readonly interval: Interval;
  readonly settings: AggregationSettings | null | undefined;
}

/** The dashboard page of one session: figures, charts, breakdown, topics and follow-ups of the hash's survey. */
export class DashboardPage {
  private layout: DashboardLayout | undefined;
  private readonly timeZones = new Map<string, string>();
  private readonly settings = new Map<string, AggregationSettings | null>();
  private topicNames: Map<string, Record<string, string>> | undefined;
  private sort: Sort = { key: 'n', direction: 'descending' };

  /** surveys: undefined until asked; null when this key may not list them. */
  constructor(private surveys: Survey[] | null | undefined) {}

  async show(host: PageHost): Promise<void> {
    const load = host.startLoad();
    const layout = this.layoutIn(host);
    const chosen = await this.chooseSurvey(host, layout, load);
    if (!chosen) return;
    const { surveys, surveyId } = chosen;
    const { state } = host;
    const survey = surveys?.find((item) => item.id === surveyId);
    const timeZone =
      survey?.timeZone ??
      (surveyId ? this.timeZones.get(surveyId) : undefined) ??
      Intl.DateTimeFormat().resolvedOptions().timeZone;
    const range = rangeOf(state, timeZone);
    const interval = intervalOf(state, range);
    const settings = surveyId ? this.settings.get(surveyId) : undefined;
    layout.filters.update(state, range, interval, {
      surveys,
      channels: [],
      sources: [],
      segmentKeys: settings?.config.segmentKeys ?? [],
      segmentValues: [],
    });
    layout.alert.replaceChildren();
    const { tr } = host.context;
    if (host.role === 'read') layout.alert.append(note(tr.t('readOnlyKey'), 'notice'));

    if (!surveyId) {
      layout.alert.append(note(surveys?.length === 0 ? tr.t('noSurveys') : tr.t('chooseSurvey'), 'notice'));
      for (const slot of [layout.trend, layout.distribution, layout.breakdown, layout.topics, layout.drivers]) {
        slot.replaceChildren();
      }
      layout.outreach.replaceChildren();
      for (const scale of scales) layout.tiles[scale].replaceChildren();
      void this.loadFollowUps(host, layout, load);
      return;
    }
    await this.showSurvey(host, layout, load, { surveyId, surveys, survey, timeZone, range, interval, settings });
  }

  private loadFollowUps(host: PageHost, layout: DashboardLayout, load: Load): Promise<void> {
    return loadFollowUps(
      host,
      layout,
      load,
      (surveyId) => this.surveys?.find((survey) => survey.id === surveyId)?.name ?? surveyId,
    );
  }

  /** The survey's outreach for segments that fell (admin: it lists cases). */
  private async loadOutreach(host: PageHost, layout: DashboardLayout, load: Load, surveyId: string): Promise<void> {
    const { tr } = host.context;
    if (host.role !== 'admin') {
      replaceChildren(layout.outreach, note(tr.t('followUpsNeedAdmin')));
      return;
    }
    const query = new URLSearchParams({ surveyId, limit: '5' });
    const result = await settle(host.api.get<OutreachPage>(`v1/followup-outreach?${query}`, load.signal));
    if (!load.current()) return;
    replaceChildren(
      layout.outreach,
      result.ok
        ? outreachList(host.context, { items: result.value.items, state: host.state })
        : note(host.failed(result.error), 'note error-text'),
    );
  }

  private layoutIn(host: PageHost): DashboardLayout {
    if (this.layout && this.layout.locale === host.locale && host.main.contains(this.layout.root)) return this.layout;
    this.layout = dashboardLayout(host.context, host.locale, (change) => host.navigate(change));
    destroyCharts(host.main);
    replaceChildren(host.main, this.layout.root);
    return this.layout;
  }

  /** The hash's survey, else one chosen for the reader and written into the hash without a history entry. */
  private async chooseSurvey(
    host: PageHost,
    layout: DashboardLayout,
    load: Load,
  ): Promise<{ surveys: Survey[] | null; surveyId: string | undefined } | undefined> {
    if (this.surveys === undefined && host.role === 'admin') {
      const listed = await settle(listSurveys(host.api, load.signal));
      if (!load.current()) return undefined;
      if (!listed.ok) {
        layout.alert.textContent = host.failed(listed.error);
        return undefined;
      }
      this.surveys = listed.value;
    }
    if (host.role === 'read') this.surveys = null;
    const surveys = this.surveys ?? null;
    const surveyId = host.state.survey ?? (surveys ? await surveyToOpen(host.api, surveys, load.signal) : undefined);
    if (!load.current()) return undefined;
    if (surveyId && !host.state.survey) {
      history.replaceState(null, '', formatHash({ ...host.state, survey: surveyId }));
      host.state = { ...host.state, survey: surveyId };
    }
    if (surveyId) localStorage.setItem(LAST_SURVEY_KEY, surveyId);
    return { surveys, surveyId };
  }

  private async showSurvey(host: PageHost, layout: DashboardLayout, load: Load, view: SurveyView): Promise<void> {
    const { state, context } = host;
    const { tr } = context;
    const { surveyId, survey, range, interval, settings } = view;
    for (const scale of scales) replaceChildren(layout.tiles[scale], tile(context, scale, { kind: 'loading' }));
    const filter = filtersOf(state);
    const metrics = metricsLoader(host.api, load.signal, {
      surveyId,
      range,
      ...(survey?.type ? { scale: survey.type } : {}),
      filter,
    });
    const settingsRequest = this.settingsOf(host, surveyId, settings, load.signal);
    const taxonomyRequest = this.loadTopicNames(host, load.signal);

    const main = metrics({ interval });
    // The API refuses to group by a dimension that a filter pins to one value: nothing to break down then.
    const breakdown = filter[state.groupBy] === undefined ? metrics({ groupBy: state.groupBy }) : undefined;
    const topics = state.groupBy === 'topic' && breakdown ? breakdown : metrics({ groupBy: 'topic' });
    void this.loadFollowUps(host, layout, load);
    void this.loadOutreach(host, layout, load, surveyId);
    const driversRequest = settle(
      host.api.get<DriversAnswer>(
        `v1/metrics/drivers?${metricsQuery({ surveyId, range, ...(survey?.type ? { scale: survey.type } : {}), filter })}`,
        load.signal,
      ),
    );
    void this.fillFilterChoices(host, layout, load, view, metrics, settingsRequest);
    this.fillBreakdownChoices(context, layout, settings?.config.segmentKeys ?? [], state.groupBy);

    const mainResult = await main;
    if (!load.current()) return;
    if (!mainResult.ok) {
      const message = host.failed(mainResult.error);
      layout.alert.append(h('p', { class: 'error-text' }, message));
      for (const each of scales) replaceChildren(layout.tiles[each], tile(context, each, { kind: 'error', message }));
      for (const slot of [layout.trend, layout.distribution, layout.breakdown, layout.topics, layout.drivers]) {
        slot.replaceChildren();
      }
      return;
    }
    const answer = mainResult.value;
    if (answer.timeZone !== view.timeZone && state.period !== 'custom' && !this.timeZones.has(surveyId)) {
      // The survey's days differ from the guess (a read-only key cannot list surveys): ask again in its time zone.
      this.timeZones.set(surveyId, answer.timeZone);
      void this.show(host);
      return;
    }
    this.timeZones.set(surveyId, answer.timeZone);
    this.renderFigures(host, layout, load, answer, interval, metrics);

    const [breakdownResult] = await Promise.all([breakdown, taxonomyRequest]);
    if (!load.current()) return;
    if (breakdownResult) this.renderBreakdown(host, layout, answer.scale, state.groupBy, breakdownResult);
    else {
      replaceChildren(
        layout.breakdown,
        note(
          tr.t('breakdownFiltered', {
            dimension: dimensionLabel(context, state.groupBy).toLowerCase(),
            value: filter[state.groupBy] ?? '',
          }),
        ),
      );
    }

    const driversResult = await driversRequest;
    if (!load.current()) return;
    replaceChildren(
      layout.drivers,
      driversResult.ok
        ? driversChart(context, {
            answer: driversResult.value,
            topicName: (id) => this.topicName(host, id),
            feedbackLink: (topic) => formatHash({ ...state, route: { name: 'feedback', topic } }),
          })
        : this.sectionError(host, driversResult.error),
    );

    const topicsResult = await topics;
    if (!load.current()) return;
    await this.renderTopics(host, layout, load, answer.scale, topicsResult, { surveyId, range });
    if (load.current()) host.live.textContent = tr.t('updated');
  }

  /** Kept once known (or known to be refused); a failure is asked again with the next view. */
  private settingsOf(
    host: PageHost,
    surveyId: string,
    known: AggregationSettings | null | undefined,
    signal: AbortSignal,
  ): Promise<AggregationSettings | null> {
    if (known !== undefined || host.role !== 'admin') return Promise.resolve(known ?? null);
    return settle(
      host.api.get<AggregationSettings>(`v1/aggregation/surveys/${encodeURIComponent(surveyId)}/config`, signal),
    ).then((result) => {
      if (result.ok) this.settings.set(surveyId, result.value);
      else if (result.error instanceof ApiError && [403, 404].includes(result.error.status)) {
        this.settings.set(surveyId, null);
      }
      return result.ok ? result.value : null;
    });
  }

  /** Without names, topics show their ids; the names are asked again with the next view. */
  private async loadTopicNames(host: PageHost, signal: AbortSignal): Promise<void> {
    if (this.topicNames || host.role !== 'admin') return;
    const result = await settle(host.api.get<TaxonomyAnswer>('v1/taxonomy', signal));
    if (result.ok) this.topicNames = new Map(result.value.taxonomy.topics.map((topic) => [topic.id, topic.names]));
  }

  /** Filter choices: the values each dimension had in the period, whatever the other filters. */
  private async fillFilterChoices(
    host: PageHost,
    layout: DashboardLayout,
    load: Load,
    view: SurveyView,
    metrics: Metrics,
    settingsRequest: Promise<AggregationSettings | null>,
  ): Promise<void> {
    const { state } = host;
    const unfiltered = (dimension: string) =>
      metrics({ groupBy: dimension, filter: {} }).then((result) =>
        result.ok ? (result.value.groups ?? []).map((group) => group.value) : [],
      );
    const [channels, sources, loadedSettings, segmentValues] = await Promise.all([
      unfiltered('channel'),
      unfiltered('source'),
      settingsRequest,
      state.segment ? unfiltered(state.segment) : Promise.resolve([]),
    ]);
    if (!load.current()) return;
    const segmentKeys = loadedSettings?.config.segmentKeys ?? [];
    layout.filters.update(state, view.range, view.interval, {
      surveys: view.surveys,
      channels,
      sources,
      segmentKeys,
      segmentValues,
    });
    this.fillBreakdownChoices(host.context, layout, segmentKeys, state.groupBy);
  }

  /** The period line, the three tiles and the two charts. */
  private renderFigures(
    host: PageHost,
    layout: DashboardLayout,
    load: Load,
    answer: MetricsAnswer,
    interval: Interval,
    metrics: Metrics,
  ): void {
    const { context } = host;
    const { tr, fmt } = context;
    layout.filters.setSummary(
      answer.previous
        ? tr.t('periodSummary', {
            from: fmt.day(answer.from),
            to: fmt.day(answer.to),
            timeZone: answer.timeZone,
            previousFrom: fmt.day(answer.previous.from),
            previousTo: fmt.day(answer.previous.to),
          })
        : `${fmt.day(answer.from)} – ${fmt.day(answer.to)} (${answer.timeZone})`,
    );
    for (const scale of scales) {
      let data: TileData;
      if (scale === answer.scale) data = { kind: 'figures', answer };
      else if (answer.scales.includes(scale)) {
        data = { kind: 'loading' };
        void metrics({ scale }).then((result) => {
          if (!load.current()) return;
          replaceChildren(
            layout.tiles[scale],
            tile(
              context,
              scale,
              result.ok
                ? { kind: 'figures', answer: result.value }
                : { kind: 'error', message: host.failed(result.error) },
            ),
          );
        });
      } else data = { kind: 'not-asked' };
      replaceChildren(layout.tiles[scale], tile(context, scale, data));
    }
    destroyCharts(layout.trend);
    destroyCharts(layout.distribution);
    replaceChildren(layout.trend, trendSection(context, answer, interval));
    replaceChildren(layout.distribution, distributionSection(context, answer));
  }

  private fillBreakdownChoices(
    context: ViewContext,
    layout: DashboardLayout,
    segmentKeys: readonly string[],
    selected: string,
  ): void {
    const dimensions = [...new Set([...builtInDimensions, ...segmentKeys, selected])];
    const wanted = dimensions.join('\u0000');
    if ([...layout.breakdownBy.options].map((option) => option.value).join('\u0000') !== wanted) {
      replaceChildren(
        layout.breakdownBy,
        dimensions.map((dimension) => h('option', { value: dimension }, dimensionLabel(context, dimension))),
      );
    }
    layout.breakdownBy.value = selected;
  }

  private topicName(host: PageHost, id: string): string {
    const names = this.topicNames?.get(id);
    return names?.[host.locale] ?? names?.en ?? id;
  }

  private valueLabel(host: PageHost, dimension: string, value: string): string {
    if (dimension === 'topic') return this.topicName(host, value);
    if (dimension === 'sentiment' && ['positive', 'neutral', 'negative'].includes(value)) {
      return host.context.tr.t(value as 'positive');
    }
    return value;
  }

  /** A grouped section that failed: a filter the API cannot group under, or any other error. */
  private sectionError(host: PageHost, error: unknown): HTMLElement {
    const message =
      error instanceof ApiError && error.status === 400
        ? host.context.tr.t('notAvailableWithFilters', { message: error.message })
        : host.failed(error);
    return note(message, 'note error-text');
  }

  private renderBreakdown(
    host: PageHost,
    layout: DashboardLayout,
    scale: Scale,
    dimension: string,
    result: Settled<MetricsAnswer>,
    focusSort?: string,
  ): void {
    if (!result.ok) {
      replaceChildren(layout.breakdown, this.sectionError(host, result.error));
      return;
    }
    replaceChildren(
      layout.breakdown,
      breakdownTable(host.context, {
        scale,
        dimension,
        rows: breakdownRows(scale, result.value.groups ?? []),
        sort: this.sort,
        valueLabel: (each, value) => this.valueLabel(host, each, value),
        onSort: (sort) => {
          this.sort = sort;
          this.renderBreakdown(host, layout, scale, dimension, result, sort.key);
        },
      }),
    );
    if (focusSort) layout.breakdown.querySelector<HTMLButtonElement>(`button[data-sort="${focusSort}"]`)?.focus();
  }

  private async renderTopics(
    host: PageHost,
    layout: DashboardLayout,
    load: Load,
    scale: Scale,
    result: Settled<MetricsAnswer>,
    where: { surveyId: string; range: DayRange },
  ): Promise<void> {
    if (!result.ok) {
      replaceChildren(layout.topics, this.sectionError(host, result.error));
      return;
    }
    const topics = topTopics(scale, result.value.groups ?? [], TOP_TOPICS);
    const comments = new Map<string, TopicComments>();
    const draw = () =>
      replaceChildren(
        layout.topics,
        topicsList(host.context, { scale, topics, comments, topicName: (id) => this.topicName(host, id) }),
      );
    draw();
    if (topics.length === 0) return;
    if (host.role !== 'admin') {
      for (const topic of topics)
        comments.set(topic.value, { kind: 'unavailable', message: host.context.tr.t('commentsNeedAdmin') });
      draw();
      return;
    }
    const pages = await Promise.all(
      topics.map((topic) => {
        const query = new URLSearchParams({
          surveyId: where.surveyId,
          from: where.range.from,
          to: where.range.to,
          topic: topic.value,
          limit: String(COMMENTS_PER_TOPIC),
        });
        return settle(host.api.get<FeedbackPage>(`v1/feedback?${query}`, load.signal));
      }),
    );
    if (!load.current()) return;
    topics.forEach((topic, index) => {
      const page = pages[index];
      if (!page) return;
      comments.set(
        topic.value,
        page.ok
          ? { kind: 'items', items: page.value.items }
          : { kind: 'unavailable', message: host.failed(page.error) },
      );
    });
    draw();
  }
}

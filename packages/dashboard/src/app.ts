import { type ApiClient, ApiError, apiClient, type KeyRole, loadApiBase, session } from './api';
import { destroyCharts } from './charts';
import { h, replaceChildren } from './dom';
import { formatter } from './format';
import { isLocale, type Locale, translator } from './i18n';
import { breakdownRows, topTopics } from './shape';
import { initialSurvey, LAST_SURVEY_KEY, NEWEST_ANSWER_PROBES } from './survey-choice';
import type {
  AggregationSettings,
  CasePage,
  FeedbackPage,
  FollowUpCase,
  FollowUpMetrics,
  MetricsAnswer,
  Scale,
  Survey,
  TaxonomyAnswer,
} from './types';
import { scales } from './types';
import {
  type DayRange,
  filtersOf,
  formatHash,
  intervalOf,
  metricsQuery,
  parseHash,
  rangeOf,
  type ViewState,
} from './view-state';
import { breakdownTable, builtInDimensions, dimensionLabel, type Sort } from './views/breakdown';
import { distributionSection, trendSection } from './views/charts';
import { card, errorMessage, note, type ViewContext } from './views/common';
import { type FilterOptions, type FiltersView, filtersView } from './views/filters';
import { caseDetails, caseTable, loopMetricsView } from './views/followups';
import { type TileData, tile } from './views/tiles';
import { type TopicComments, topicsList } from './views/topics';

const LOCALE_KEY = 'cxloop.dashboard.locale';
const TOP_TOPICS = 5;
const COMMENTS_PER_TOPIC = 25;

interface DashboardLayout {
  readonly locale: Locale;
  readonly root: HTMLElement;
  readonly filters: FiltersView;
  readonly alert: HTMLElement;
  readonly tiles: Record<Scale, HTMLElement>;
  readonly trend: HTMLElement;
  readonly distribution: HTMLElement;
  readonly breakdownBy: HTMLSelectElement;
  readonly breakdown: HTMLElement;
  readonly topics: HTMLElement;
  readonly cases: HTMLElement;
  readonly loopMetrics: HTMLElement;
}

function preferredLocale(): Locale {
  const stored = localStorage.getItem(LOCALE_KEY);
  if (isLocale(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** Fulfilled value or the error, so that one failing request leaves the other sections standing. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/** The dashboard: one instance per page, driven by the URL's hash. */
export class DashboardApp {
  private state: ViewState = parseHash('');
  private locale: Locale = preferredLocale();
  private context: ViewContext = this.contextFor(this.locale);
  private client: ApiClient | undefined;
  private role: KeyRole | undefined;
  private signInMessage: string | undefined;
  private header: HTMLElement | undefined;
  private main: HTMLElement | undefined;
  private live: HTMLElement | undefined;
  private layout: DashboardLayout | undefined;
  /** undefined: not asked yet; null: this key may not list surveys. */
  private surveys: Survey[] | null | undefined;
  private readonly timeZones = new Map<string, string>();
  private readonly settings = new Map<string, AggregationSettings | null>();
  private topicNames: Map<string, Record<string, string>> | undefined;
  private loading: AbortController | undefined;
  private sort: Sort = { key: 'n', direction: 'descending' };
  private shellLocale: Locale | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly apiBase: string,
  ) {
    const stored = session.read();
    if (stored) this.useKey(stored.apiKey, stored.role);
  }

  private contextFor(locale: Locale): ViewContext {
    const tr = translator(locale);
    return { tr, fmt: formatter(tr) };
  }

  private useKey(apiKey: string, role: KeyRole): void {
    this.client = apiClient(this.apiBase, apiKey);
    this.role = role;
  }

  /** Reads the hash and shows what it says. */
  route(): void {
    this.state = parseHash(location.hash);
    const locale = this.state.lang ?? preferredLocale();
    if (locale !== this.locale || !this.header) {
      this.locale = locale;
      this.context = this.contextFor(locale);
    }
    this.renderShell();
    if (!this.client) {
      this.renderSignIn();
      return;
    }
    if (this.state.route.name === 'case') void this.showCase(this.state.route.caseId);
    else void this.showDashboard();
  }

  private navigate(change: Partial<ViewState>): void {
    const next = formatHash({ ...this.state, ...change });
    if (next !== location.hash) location.hash = next;
  }

  private renderShell(): void {
    const { tr } = this.context;
    if (this.shellLocale === this.locale && this.header && this.header.dataset.signedIn === String(!!this.client)) {
      return;
    }
    this.shellLocale = this.locale;
    document.documentElement.lang = this.locale;
    document.title = tr.t('appTitle');
    this.layout = undefined;
    const main = h('main', { id: 'main', tabindex: '-1' });
    const skip = h(
      'a',
      {
        class: 'skip-link',
        href: '#main',
        on: {
          click: (event) => {
            event.preventDefault();
            main.focus();
          },
        },
      },
      tr.t('skipToContent'),
    );
    const languageButtons = (['en', 'ru'] as const).map((locale) => {
      const name = translator(locale).t('languageName');
      return h(
        'button',
        {
          type: 'button',
          class: 'language',
          lang: locale,
          'aria-pressed': String(locale === this.locale),
          'data-testid': `lang-${locale}`,
          on: { click: () => this.switchLanguage(locale) },
        },
        locale.toUpperCase(),
        h('span', { class: 'sr-only' }, ` (${name})`),
      );
    });
    const header = h(
      'header',
      { class: 'topbar', 'data-signed-in': String(!!this.client) },
      h('p', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◎'), ' cxloop'),
      h('h1', {}, tr.t('appTitle').replace(/^cxloop — /, '')),
      h(
        'div',
        { class: 'topbar-actions' },
        h('div', { role: 'group', 'aria-label': tr.t('language'), class: 'languages' }, languageButtons),
        this.client
          ? h(
              'button',
              { type: 'button', class: 'secondary', 'data-testid': 'sign-out', on: { click: () => this.signOut() } },
              tr.t('signOut'),
            )
          : null,
      ),
    );
    const live = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite', 'data-testid': 'live' });
    destroyCharts(this.root);
    replaceChildren(this.root, skip, header, live, main);
    this.header = header;
    this.main = main;
    this.live = live;
  }

  private switchLanguage(locale: Locale): void {
    localStorage.setItem(LOCALE_KEY, locale);
    this.navigate({ lang: locale });
    // The header was rebuilt in the new language: keep the keyboard where it was.
    queueMicrotask(() => this.header?.querySelector<HTMLButtonElement>(`[data-testid="lang-${locale}"]`)?.focus());
  }

  private renderSignIn(): void {
    const { tr } = this.context;
    const input = h('input', {
      id: 'api-key',
      type: 'password',
      name: 'apiKey',
      autocomplete: 'off',
      spellcheck: 'false',
      required: true,
      'aria-describedby': 'sign-in-error',
    });
    const error = h(
      'p',
      { id: 'sign-in-error', class: 'error-text', role: 'alert', 'data-testid': 'sign-in-error' },
      this.signInMessage ?? '',
    );
    const button = h('button', { type: 'submit' }, tr.t('signIn'));
    const form = h(
      'form',
      {
        class: 'sign-in-form',
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.signIn(input.value.trim(), error, button);
          },
        },
      },
      h('label', { for: 'api-key' }, tr.t('apiKey')),
      input,
      button,
      error,
    );
    replaceChildren(
      this.main as HTMLElement,
      h(
        'section',
        { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
        h('h2', { id: 'sign-in-title' }, tr.t('signInTitle')),
        h('p', {}, tr.t('signInIntro')),
        form,
      ),
    );
    input.focus();
  }

  private async signIn(apiKey: string, error: HTMLElement, button: HTMLButtonElement): Promise<void> {
    const { tr } = this.context;
    if (!apiKey) {
      error.textContent = tr.t('emptyKey');
      return;
    }
    button.disabled = true;
    error.textContent = tr.t('checkingKey');
    const client = apiClient(this.apiBase, apiKey);
    try {
      // The admin key lists surveys; a read:metrics key is known to the authorizer (so 403, not 401) but may not.
      let role: KeyRole = 'admin';
      let surveys: Survey[] | null;
      try {
        surveys = [...(await client.get<{ items: Survey[] }>('v1/surveys?limit=100')).items];
      } catch (failure) {
        if (!(failure instanceof ApiError) || failure.status !== 403) throw failure;
        role = 'read';
        surveys = null;
      }
      session.write({ apiKey, role });
      this.useKey(apiKey, role);
      this.surveys = surveys;
      this.signInMessage = undefined;
      this.route();
    } catch (failure) {
      error.textContent =
        failure instanceof ApiError && failure.status === 401
          ? tr.t('unauthorized')
          : errorMessage(this.context, failure);
      button.disabled = false;
    }
  }

  private signOut(message?: string): void {
    this.loading?.abort();
    session.clear();
    this.client = undefined;
    this.role = undefined;
    this.surveys = undefined;
    this.settings.clear();
    this.topicNames = undefined;
    this.signInMessage = message;
    this.route();
  }

  /** Every API error passes here: a 401 ends the session, whatever section asked. */
  private failed(error: unknown): string {
    if (error instanceof ApiError && error.status === 401) {
      queueMicrotask(() => this.signOut(this.context.tr.t('sessionEnded')));
    }
    return errorMessage(this.context, error);
  }

  private get api(): ApiClient {
    if (!this.client) throw new Error('not signed in');
    return this.client;
  }

  private dashboardLayout(): DashboardLayout {
    if (this.layout && this.layout.locale === this.locale && this.main?.contains(this.layout.root)) return this.layout;
    const { tr } = this.context;
    const filters = filtersView(this.context, (change) => this.navigate(change));
    const alert = h('div', { class: 'alert', role: 'alert', 'data-testid': 'alert' });
    const tiles: Record<Scale, HTMLElement> = {
      nps: h('div', { class: 'tile-slot' }),
      csat: h('div', { class: 'tile-slot' }),
      ces: h('div', { class: 'tile-slot' }),
    };
    const breakdownBy: HTMLSelectElement = h('select', {
      id: 'breakdown-by',
      'data-testid': 'breakdown-by',
      on: { change: () => this.navigate({ groupBy: breakdownBy.value }) },
    });
    const breakdown = h('div', { class: 'breakdown-body' });
    const topics = h('div', { class: 'topics-body' });
    const cases = h('div', { class: 'cases-body' });
    const loopMetrics = h('div', { class: 'loop-body' });
    const tilesHeading = 'tiles-heading';
    const root = h(
      'div',
      { class: 'dashboard' },
      filters.element,
      alert,
      h(
        'section',
        { class: 'tiles', 'aria-labelledby': tilesHeading },
        h('h2', { id: tilesHeading, class: 'sr-only' }, tr.t('keyMetrics')),
        scales.map((scale) => tiles[scale]),
      ),
      h('div', { class: 'charts' }, h('div', { class: 'chart-slot' }), h('div', { class: 'chart-slot' })),
      card(
        tr.t('breakdown'),
        'breakdown',
        h('div', { class: 'field inline' }, h('label', { for: 'breakdown-by' }, tr.t('breakdownBy')), breakdownBy),
        breakdown,
      ),
      card(tr.t('topTopics'), 'topics-card', h('p', { class: 'caption' }, tr.t('topicsCaption')), topics),
      card(tr.t('openFollowUps'), 'followups', cases, h('h3', {}, tr.t('closedLoop')), loopMetrics),
    );
    const [trend, distribution] = [...root.querySelectorAll<HTMLElement>('.chart-slot')] as [HTMLElement, HTMLElement];
    destroyCharts(this.main as HTMLElement);
    replaceChildren(this.main as HTMLElement, root);
    this.layout = {
      locale: this.locale,
      root,
      filters,
      alert,
      tiles,
      trend,
      distribution,
      breakdownBy,
      breakdown,
      topics,
      cases,
      loopMetrics,
    };
    return this.layout;
  }

  /** The survey shown last, else the one with the newest answer (one feedback item asked of each of the first few). */
  private async surveyToOpen(surveys: readonly Survey[], signal: AbortSignal): Promise<string | undefined> {
    const remembered = localStorage.getItem(LAST_SURVEY_KEY);
    if (remembered && surveys.some((survey) => survey.id === remembered)) return remembered;
    const newest = await Promise.all(
      surveys.slice(0, NEWEST_ANSWER_PROBES).map(async (survey) => {
        const page = await settle(
          this.api.get<FeedbackPage>(`v1/feedback?surveyId=${encodeURIComponent(survey.id)}&limit=1`, signal),
        );
        const at = page.ok ? page.value.items[0]?.occurredAt : undefined;
        return at ? ([[survey.id, at]] as const) : [];
      }),
    );
    return initialSurvey(surveys, remembered, new Map(newest.flat()));
  }

  private async showDashboard(): Promise<void> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    const { signal } = controller;
    const current = () => this.loading === controller && !signal.aborted;
    const { tr, fmt } = this.context;
    const layout = this.dashboardLayout();

    if (this.surveys === undefined && this.role === 'admin') {
      const listed = await settle(this.api.get<{ items: Survey[] }>('v1/surveys?limit=100', signal));
      if (!current()) return;
      if (!listed.ok) {
        layout.alert.textContent = this.failed(listed.error);
        return;
      }
      this.surveys = [...listed.value.items];
    }
    if (this.role === 'read') this.surveys = null;
    const surveys = this.surveys ?? null;
    const surveyId = this.state.survey ?? (surveys ? await this.surveyToOpen(surveys, signal) : undefined);
    if (!current()) return;
    if (surveyId && !this.state.survey) {
      history.replaceState(null, '', formatHash({ ...this.state, survey: surveyId }));
      this.state = { ...this.state, survey: surveyId };
    }
    if (surveyId) localStorage.setItem(LAST_SURVEY_KEY, surveyId);
    const state = this.state;
    const survey = surveys?.find((item) => item.id === surveyId);
    const timeZone =
      survey?.timeZone ??
      (surveyId ? this.timeZones.get(surveyId) : undefined) ??
      Intl.DateTimeFormat().resolvedOptions().timeZone;
    const range = rangeOf(state, timeZone);
    const interval = intervalOf(state, range);
    const settings = surveyId ? this.settings.get(surveyId) : undefined;
    const options: FilterOptions = {
      surveys,
      channels: [],
      sources: [],
      segmentKeys: settings?.config.segmentKeys ?? [],
      segmentValues: [],
    };
    layout.filters.update(state, range, interval, options);
    layout.alert.replaceChildren();
    if (this.role === 'read') layout.alert.append(note(tr.t('readOnlyKey'), 'notice'));

    if (!surveyId) {
      layout.alert.append(note(surveys?.length === 0 ? tr.t('noSurveys') : tr.t('chooseSurvey'), 'notice'));
      for (const slot of [layout.trend, layout.distribution, layout.breakdown, layout.topics]) slot.replaceChildren();
      for (const scale of scales) layout.tiles[scale].replaceChildren();
      void this.loadFollowUps(layout, signal, current);
      return;
    }

    for (const scale of scales) replaceChildren(layout.tiles[scale], tile(this.context, scale, { kind: 'loading' }));
    const filter = filtersOf(state);
    const scale = survey?.type;
    const get = <T>(path: string) => settle(this.api.get<T>(path, signal));
    const metrics = (extra: {
      groupBy?: string;
      interval?: typeof interval;
      scale?: string;
      filter?: Record<string, string>;
    }) =>
      get<MetricsAnswer>(
        `v1/metrics?${metricsQuery({ surveyId, range, ...(scale ? { scale } : {}), filter, ...extra })}`,
      );

    const settingsRequest =
      settings !== undefined || this.role !== 'admin'
        ? Promise.resolve(settings ?? null)
        : get<AggregationSettings>(`v1/aggregation/surveys/${encodeURIComponent(surveyId)}/config`).then((result) => {
            // Kept once known (or known to be refused); a failure is asked again with the next view.
            if (result.ok) this.settings.set(surveyId, result.value);
            else if (result.error instanceof ApiError && [403, 404].includes(result.error.status)) {
              this.settings.set(surveyId, null);
            }
            return result.ok ? result.value : null;
          });
    const taxonomyRequest =
      this.topicNames || this.role !== 'admin'
        ? Promise.resolve()
        : get<TaxonomyAnswer>('v1/taxonomy').then((result) => {
            // Without names, topics show their ids; the names are asked again with the next view.
            if (result.ok)
              this.topicNames = new Map(result.value.taxonomy.topics.map((topic) => [topic.id, topic.names]));
          });

    const main = metrics({ interval });
    // The API refuses to group by a dimension that a filter pins to one value: nothing to break down then.
    const breakdown = filter[state.groupBy] === undefined ? metrics({ groupBy: state.groupBy }) : undefined;
    const topics = state.groupBy === 'topic' && breakdown ? breakdown : metrics({ groupBy: 'topic' });
    const unfiltered = (dimension: string) =>
      metrics({ groupBy: dimension, filter: {} }).then((result) =>
        result.ok ? (result.value.groups ?? []).map((group) => group.value) : [],
      );
    void this.loadFollowUps(layout, signal, current);

    // Filter choices: the values each dimension had in the period, whatever the other filters.
    void Promise.all([
      unfiltered('channel'),
      unfiltered('source'),
      settingsRequest,
      state.segment ? unfiltered(state.segment) : Promise.resolve([]),
    ]).then(([channels, sources, loadedSettings, segmentValues]) => {
      if (!current()) return;
      layout.filters.update(state, range, interval, {
        surveys,
        channels,
        sources,
        segmentKeys: loadedSettings?.config.segmentKeys ?? [],
        segmentValues,
      });
      this.fillBreakdownChoices(layout, loadedSettings?.config.segmentKeys ?? [], state.groupBy);
    });
    this.fillBreakdownChoices(layout, settings?.config.segmentKeys ?? [], state.groupBy);

    const mainResult = await main;
    if (!current()) return;
    if (!mainResult.ok) {
      const message = this.failed(mainResult.error);
      layout.alert.append(h('p', { class: 'error-text' }, message));
      for (const each of scales)
        replaceChildren(layout.tiles[each], tile(this.context, each, { kind: 'error', message }));
      for (const slot of [layout.trend, layout.distribution, layout.breakdown, layout.topics]) slot.replaceChildren();
      return;
    }
    const answer = mainResult.value;
    if (answer.timeZone !== timeZone && state.period !== 'custom' && surveyId && !this.timeZones.has(surveyId)) {
      // The survey's days differ from the guess (a read-only key cannot list surveys): ask again in its time zone.
      this.timeZones.set(surveyId, answer.timeZone);
      void this.showDashboard();
      return;
    }
    this.timeZones.set(surveyId, answer.timeZone);
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
    this.renderTiles(layout, answer, (other) => metrics({ scale: other }), current);
    destroyCharts(layout.trend);
    destroyCharts(layout.distribution);
    replaceChildren(layout.trend, trendSection(this.context, answer, interval));
    replaceChildren(layout.distribution, distributionSection(this.context, answer));

    const [breakdownResult] = await Promise.all([breakdown, taxonomyRequest]);
    if (!current()) return;
    if (breakdownResult) this.renderBreakdown(layout, answer.scale, state.groupBy, breakdownResult);
    else {
      replaceChildren(
        layout.breakdown,
        note(
          tr.t('breakdownFiltered', {
            dimension: dimensionLabel(this.context, state.groupBy).toLowerCase(),
            value: filter[state.groupBy] ?? '',
          }),
        ),
      );
    }

    const topicsResult = await topics;
    if (!current()) return;
    await this.renderTopics(layout, answer.scale, topicsResult, { surveyId, range }, signal, current);
    if (current() && this.live) this.live.textContent = tr.t('updated');
  }

  private renderTiles(
    layout: DashboardLayout,
    answer: MetricsAnswer,
    other: (scale: Scale) => Promise<Settled<MetricsAnswer>>,
    current: () => boolean,
  ): void {
    for (const scale of scales) {
      let data: TileData;
      if (scale === answer.scale) data = { kind: 'figures', answer };
      else if (answer.scales.includes(scale)) {
        data = { kind: 'loading' };
        void other(scale).then((result) => {
          if (!current()) return;
          replaceChildren(
            layout.tiles[scale],
            tile(
              this.context,
              scale,
              result.ok
                ? { kind: 'figures', answer: result.value }
                : { kind: 'error', message: this.failed(result.error) },
            ),
          );
        });
      } else data = { kind: 'not-asked' };
      replaceChildren(layout.tiles[scale], tile(this.context, scale, data));
    }
  }

  private fillBreakdownChoices(layout: DashboardLayout, segmentKeys: readonly string[], selected: string): void {
    const dimensions = [...new Set([...builtInDimensions, ...segmentKeys, selected])];
    const wanted = dimensions.join('\u0000');
    if ([...layout.breakdownBy.options].map((option) => option.value).join('\u0000') !== wanted) {
      replaceChildren(
        layout.breakdownBy,
        dimensions.map((dimension) => h('option', { value: dimension }, dimensionLabel(this.context, dimension))),
      );
    }
    layout.breakdownBy.value = selected;
  }

  private valueLabel = (dimension: string, value: string): string => {
    const { tr } = this.context;
    if (dimension === 'topic') return this.topicName(value);
    if (dimension === 'sentiment' && ['positive', 'neutral', 'negative'].includes(value)) {
      return tr.t(value as 'positive');
    }
    return value;
  };

  private topicName(id: string): string {
    const names = this.topicNames?.get(id);
    return names?.[this.locale] ?? names?.en ?? id;
  }

  private renderBreakdown(
    layout: DashboardLayout,
    scale: Scale,
    dimension: string,
    result: Settled<MetricsAnswer>,
    focusSort?: string,
  ): void {
    const { tr } = this.context;
    if (!result.ok) {
      const message =
        result.error instanceof ApiError && result.error.status === 400
          ? tr.t('notAvailableWithFilters', { message: result.error.message })
          : this.failed(result.error);
      replaceChildren(layout.breakdown, note(message, 'note error-text'));
      return;
    }
    replaceChildren(
      layout.breakdown,
      breakdownTable(this.context, {
        scale,
        dimension,
        rows: breakdownRows(scale, result.value.groups ?? []),
        sort: this.sort,
        valueLabel: this.valueLabel,
        onSort: (sort) => {
          this.sort = sort;
          this.renderBreakdown(layout, scale, dimension, result, sort.key);
        },
      }),
    );
    if (focusSort) layout.breakdown.querySelector<HTMLButtonElement>(`button[data-sort="${focusSort}"]`)?.focus();
  }

  private async renderTopics(
    layout: DashboardLayout,
    scale: Scale,
    result: Settled<MetricsAnswer>,
    where: { surveyId: string; range: DayRange },
    signal: AbortSignal,
    current: () => boolean,
  ): Promise<void> {
    const { tr } = this.context;
    if (!result.ok) {
      const message =
        result.error instanceof ApiError && result.error.status === 400
          ? tr.t('notAvailableWithFilters', { message: result.error.message })
          : this.failed(result.error);
      replaceChildren(layout.topics, note(message, 'note error-text'));
      return;
    }
    const topics = topTopics(scale, result.value.groups ?? [], TOP_TOPICS);
    const comments = new Map<string, TopicComments>();
    const draw = () =>
      replaceChildren(
        layout.topics,
        topicsList(this.context, { scale, topics, comments, topicName: (id) => this.topicName(id) }),
      );
    draw();
    if (topics.length === 0) return;
    if (this.role !== 'admin') {
      for (const topic of topics)
        comments.set(topic.value, { kind: 'unavailable', message: tr.t('commentsNeedAdmin') });
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
        return settle(this.api.get<FeedbackPage>(`v1/feedback?${query}`, signal));
      }),
    );
    if (!current()) return;
    topics.forEach((topic, index) => {
      const page = pages[index];
      if (!page) return;
      comments.set(
        topic.value,
        page.ok
          ? { kind: 'items', items: page.value.items }
          : { kind: 'unavailable', message: this.failed(page.error) },
      );
    });
    draw();
  }

  private async loadFollowUps(layout: DashboardLayout, signal: AbortSignal, current: () => boolean): Promise<void> {
    const { tr } = this.context;
    if (this.role !== 'admin') {
      replaceChildren(layout.cases, note(tr.t('followUpsNeedAdmin')));
      replaceChildren(layout.loopMetrics, note(tr.t('followUpsNeedAdmin')));
      return;
    }
    const now = new Date();
    const cases: FollowUpCase[] = [];
    const loadPage = async (cursor?: string) => {
      const query = new URLSearchParams({ status: 'open', limit: '25', ...(cursor ? { cursor } : {}) });
      const result = await settle(this.api.get<CasePage>(`v1/followups?${query}`, signal));
      if (!current()) return;
      if (!result.ok) {
        replaceChildren(layout.cases, note(this.failed(result.error), 'note error-text'));
        return;
      }
      cases.push(...result.value.items);
      const next = result.value.nextCursor;
      replaceChildren(
        layout.cases,
        caseTable(this.context, {
          cases,
          now,
          state: this.state,
          surveyName: (surveyId) => this.surveys?.find((survey) => survey.id === surveyId)?.name ?? surveyId,
        }),
        next
          ? h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                on: { click: () => void loadPage(next) },
              },
              tr.t('showMore'),
            )
          : null,
      );
    };
    const metricsRequest = settle(this.api.get<FollowUpMetrics>('v1/followup-metrics', signal));
    await loadPage();
    const metrics = await metricsRequest;
    if (!current()) return;
    if (metrics.ok) replaceChildren(layout.loopMetrics, loopMetricsView(this.context, metrics.value));
    else if (metrics.error instanceof ApiError && metrics.error.status === 404) {
      replaceChildren(layout.loopMetrics, note(tr.t('loopMetricsUnavailable')));
    } else replaceChildren(layout.loopMetrics, note(this.failed(metrics.error), 'note error-text'));
  }

  private async showCase(caseId: string): Promise<void> {
    this.loading?.abort();
    this.layout = undefined;
    const controller = new AbortController();
    this.loading = controller;
    const { tr } = this.context;
    const body = h('div', {}, note(tr.t('loading')));
    const back = h(
      'a',
      { href: formatHash({ ...this.state, route: { name: 'dashboard' } }), class: 'back' },
      `← ${tr.t('backToDashboard')}`,
    );
    destroyCharts(this.main as HTMLElement);
    replaceChildren(this.main as HTMLElement, back, card(`${tr.t('caseTitle')} ${caseId}`, 'case-card', body));
    if (this.role !== 'admin') {
      replaceChildren(body, note(tr.t('followUpsNeedAdmin')));
      return;
    }
    const result = await settle(
      this.api.get<FollowUpCase>(`v1/followups/${encodeURIComponent(caseId)}`, controller.signal),
    );
    if (this.loading !== controller) return;
    if (result.ok) replaceChildren(body, caseDetails(this.context, result.value, new Date()));
    else if (result.error instanceof ApiError && result.error.status === 404) {
      replaceChildren(body, note(tr.t('caseNotFound', { id: caseId }), 'note error-text'));
    } else replaceChildren(body, note(this.failed(result.error), 'note error-text'));
    (this.main as HTMLElement).focus();
  }
}

export async function start(root: HTMLElement): Promise<DashboardApp> {
  const app = new DashboardApp(root, await loadApiBase(document.baseURI));
  window.addEventListener('hashchange', () => app.route());
  app.route();
  return app;
}

import { h, replaceChildren, uniqueId } from '../dom';
import type { Interval, Survey } from '../types';
import { type DayRange, type Period, periods, type ViewState } from '../view-state';
import { dimensionLabel } from './breakdown';
import type { ViewContext } from './common';

export interface FilterOptions {
  /** null: the key may not list surveys (read-only key), so the survey is typed in by id. */
  readonly surveys: readonly Survey[] | null;
  readonly channels: readonly string[];
  readonly sources: readonly string[];
  readonly segmentKeys: readonly string[];
  readonly segmentValues: readonly string[];
}

export interface FiltersView {
  readonly element: HTMLElement;
  /** Brings the controls in line with a state and its options, without replacing them (focus stays where it is). */
  update(state: ViewState, range: DayRange, interval: Interval, options: FilterOptions): void;
  setSummary(text: string): void;
}

const periodKeys: Record<Period, 'last7' | 'last30' | 'last90' | 'custom'> = {
  '7d': 'last7',
  '30d': 'last30',
  '90d': 'last90',
  custom: 'custom',
};

function labelled(label: string, control: HTMLElement, className = 'field'): HTMLElement {
  const id = control.id || uniqueId('field');
  control.id = id;
  return h('div', { class: className }, h('label', { for: id }, label), control);
}

function setOptions(select: HTMLSelectElement, options: readonly [value: string, label: string][], selected: string) {
  const current = [...select.options].map((option) => `${option.value}\u0000${option.text}`).join('\u0001');
  const wanted = options.map(([value, label]) => `${value}\u0000${label}`).join('\u0001');
  if (current !== wanted) {
    replaceChildren(
      select,
      options.map(([value, label]) => h('option', { value }, label)),
    );
  }
  select.value = selected;
}

/** The filter bar: survey, period (with custom days), interval, channel, source and one segment. */
export function filtersView(context: ViewContext, onChange: (change: Partial<ViewState>) => void): FiltersView {
  const { tr } = context;
  const surveySelect: HTMLSelectElement = h('select', {
    'data-testid': 'survey',
    on: { change: () => onChange({ survey: surveySelect.value }) },
  });
  const surveyInput: HTMLInputElement = h('input', {
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    'data-testid': 'survey-id',
    on: { change: () => onChange({ survey: surveyInput.value.trim() }) },
  });
  const periodSelect: HTMLSelectElement = h('select', {
    'data-testid': 'period',
    on: {
      change: () => {
        const period = periodSelect.value as Period;
        if (period === 'custom') {
          customFields.hidden = false;
          fromInput.focus();
          return;
        }
        onChange({ period, from: undefined, to: undefined });
      },
    },
  });
  const rangeError = h('p', { class: 'error-text', role: 'alert', hidden: true });
  const applyRange = () => {
    const [from, to] = [fromInput.value, toInput.value];
    if (!from || !to) return;
    if (from > to) {
      rangeError.textContent = tr.t('invalidRange');
      rangeError.hidden = false;
      return;
    }
    rangeError.hidden = true;
    onChange({ period: 'custom', from, to });
  };
  const fromInput: HTMLInputElement = h('input', { type: 'date', 'data-testid': 'from', on: { change: applyRange } });
  const toInput: HTMLInputElement = h('input', { type: 'date', 'data-testid': 'to', on: { change: applyRange } });
  const customFields = h(
    'div',
    { class: 'custom-range', hidden: true },
    labelled(tr.t('from'), fromInput),
    labelled(tr.t('to'), toInput),
    rangeError,
  );
  const intervalSelect: HTMLSelectElement = h('select', {
    'data-testid': 'interval',
    on: { change: () => onChange({ interval: intervalSelect.value as Interval }) },
  });
  const channelSelect: HTMLSelectElement = h('select', {
    'data-testid': 'channel',
    on: { change: () => onChange({ channel: channelSelect.value || undefined }) },
  });
  const sourceSelect: HTMLSelectElement = h('select', {
    'data-testid': 'source',
    on: { change: () => onChange({ source: sourceSelect.value || undefined }) },
  });
  const segmentSelect: HTMLSelectElement = h('select', {
    'data-testid': 'segment',
    on: { change: () => onChange({ segment: segmentSelect.value || undefined, segmentValue: undefined }) },
  });
  const segmentValueSelect: HTMLSelectElement = h('select', {
    'data-testid': 'segment-value',
    on: { change: () => onChange({ segmentValue: segmentValueSelect.value || undefined }) },
  });
  const surveyField = h('div', { class: 'field-slot' });
  const segmentFields = h(
    'div',
    { class: 'segment-fields', hidden: true },
    labelled(tr.t('segment'), segmentSelect),
    labelled(tr.t('segmentValue'), segmentValueSelect),
  );
  const summary = h('p', { class: 'period-summary', 'data-testid': 'period-summary' });
  const form = h(
    'form',
    { class: 'filters', on: { submit: (event) => event.preventDefault() } },
    surveyField,
    labelled(tr.t('period'), periodSelect),
    customFields,
    labelled(tr.t('interval'), intervalSelect),
    labelled(tr.t('channel'), channelSelect),
    labelled(tr.t('source'), sourceSelect),
    segmentFields,
  );
  const headingId = uniqueId('heading');
  const element = h(
    'section',
    { class: 'filter-bar', 'aria-labelledby': headingId },
    h('h2', { id: headingId, class: 'sr-only' }, tr.t('filters')),
    form,
    summary,
  );
  const surveySelectField = labelled(tr.t('survey'), surveySelect);
  const surveyInputField = labelled(tr.t('surveyId'), surveyInput);

  const withAll = (values: readonly string[], selected: string | undefined): [string, string][] => [
    ['', tr.t('all')],
    ...[...new Set([...values, ...(selected ? [selected] : [])])]
      .sort()
      .map((value): [string, string] => [value, value]),
  ];

  return {
    element,
    setSummary: (text) => {
      summary.textContent = text;
    },
    update(state, range, interval, options) {
      if (options.surveys === null) {
        if (surveyField.firstChild !== surveyInputField) replaceChildren(surveyField, surveyInputField);
        if (document.activeElement !== surveyInput) surveyInput.value = state.survey ?? '';
      } else {
        if (surveyField.firstChild !== surveySelectField) replaceChildren(surveyField, surveySelectField);
        setOptions(
          surveySelect,
          options.surveys.map((survey) => [survey.id, `${survey.name} (${survey.type.toUpperCase()})`]),
          state.survey ?? '',
        );
      }
      const customShown = state.period === 'custom' || (!customFields.hidden && periodSelect.value === 'custom');
      setOptions(
        periodSelect,
        periods.map((period) => [period, tr.t(periodKeys[period])]),
        customShown ? 'custom' : state.period,
      );
      customFields.hidden = !customShown;
      fromInput.value = range.from;
      toInput.value = range.to;
      setOptions(
        intervalSelect,
        (['day', 'week', 'month'] as const).map((value) => [value, tr.t(value)]),
        interval,
      );
      setOptions(channelSelect, withAll(options.channels, state.channel), state.channel ?? '');
      setOptions(sourceSelect, withAll(options.sources, state.source), state.source ?? '');
      segmentFields.hidden = options.segmentKeys.length === 0 && !state.segment;
      setOptions(
        segmentSelect,
        [
          ['', tr.t('noSegment')],
          ...[...new Set([...options.segmentKeys, ...(state.segment ? [state.segment] : [])])].map(
            (key): [string, string] => [key, dimensionLabel(context, key)],
          ),
        ],
        state.segment ?? '',
      );
      segmentValueSelect.disabled = !state.segment;
      setOptions(segmentValueSelect, withAll(options.segmentValues, state.segmentValue), state.segmentValue ?? '');
    },
  };
}

import { COMBINED_VALUE_SEPARATOR } from './counting';
import {
  ALL_DIMENSION,
  ALL_VALUE,
  builtInDimensions,
  combinationId,
  combinationParts,
  type SurveyConfig,
} from './survey-config';

/** A request that cannot be answered from the configured cells; `field` names the query parameter at fault. */
export class SelectionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Which cell items to read and how their values count: `groupOf` gives the group a stored value belongs to
 * ({@link ALL_VALUE} when not grouped), or undefined when the value is filtered out.
 */
export interface Selection {
  dimension: string;
  groupOf: (value: string) => string | undefined;
}

export const filterField = (dimension: string) => `query.filter[${dimension}]`;

/**
 * The cells that answer a filter and an optional grouping. One dimension is read from its own items, two from the
 * items that cross them, which exist only for the pairs a survey configures: more would multiply the writes of every
 * response.
 */
export function selectionFor(
  config: SurveyConfig,
  filter: Readonly<Record<string, string>>,
  groupBy?: string,
): Selection {
  const plain = new Set<string>([...builtInDimensions, ...config.segmentKeys]);
  if (groupBy !== undefined && !plain.has(groupBy)) {
    throw new SelectionError(
      'query.groupBy',
      `not a dimension of this survey: ${groupBy} (one of ${[...plain].join(', ')})`,
    );
  }
  for (const dimension of Object.keys(filter)) {
    if (!plain.has(dimension))
      throw new SelectionError(filterField(dimension), `not a dimension of this survey: ${dimension}`);
  }
  if (groupBy !== undefined && filter[groupBy] !== undefined) {
    throw new SelectionError(filterField(groupBy), 'filters the dimension it groups by');
  }
  const dimensions = [...Object.keys(filter), ...(groupBy === undefined ? [] : [groupBy])];
  if (dimensions.length === 0) {
    return { dimension: ALL_DIMENSION, groupOf: (value) => (value === ALL_VALUE ? ALL_VALUE : undefined) };
  }
  if (dimensions.length === 1) {
    const [dimension] = dimensions as [string];
    const wanted = filter[dimension];
    return {
      dimension,
      groupOf: (value) => (wanted === undefined ? value : value === wanted ? ALL_VALUE : undefined),
    };
  }
  if (dimensions.length > 2) {
    throw new SelectionError(filterField(dimensions[2]!), 'at most two dimensions may be filtered or grouped together');
  }
  const dimension = combinationId(dimensions[0]!, dimensions[1]!);
  if (!config.combinations.some(([first, second]) => combinationId(first, second) === dimension)) {
    throw new SelectionError(
      groupBy === undefined ? filterField(dimensions[1]!) : 'query.groupBy',
      `${dimensions.join(' × ')} is not a configured combination (add it to the survey's aggregation config, then rebuild)`,
    );
  }
  const parts = combinationParts(dimension)!;
  return {
    dimension,
    groupOf: (value) => {
      const values = value.split(COMBINED_VALUE_SEPARATOR);
      for (const [index, part] of parts.entries()) {
        const wanted = filter[part];
        if (wanted !== undefined && values[index] !== wanted) return undefined;
      }
      return groupBy === undefined ? ALL_VALUE : values[parts.indexOf(groupBy)];
    },
  };
}

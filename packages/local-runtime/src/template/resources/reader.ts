import type { Json } from '../intrinsics';
import type { StackTemplate } from '../stack-template';

/** Reads resources of one type from a template, with every value resolved. */
export interface TemplateReader {
  readonly template: StackTemplate;
  each<T>(type: string, build: (logicalId: string, properties: Record<string, Json>) => T): T[];
  /** The resource's `Ref`, as text. */
  text(logicalId: string): string;
  attribute(logicalId: string, name: string): string;
}

export function readerOf(template: StackTemplate): TemplateReader {
  return {
    template,
    each: (type, build) =>
      template.resourcesOfType(type).map(([logicalId]) => build(logicalId, template.propertiesOf(logicalId))),
    text: (logicalId) => String(template.ref(logicalId)),
    attribute: (logicalId, name) => String(template.getAtt(logicalId, name)),
  };
}

export function numberOr(value: Json | undefined, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const number = Number(value);
  return Number.isFinite(number) ? number : fallback;
}

/** A pattern that EventBridge would refuse at PutRule; `path` names the offending part (`$` is the pattern itself). */
export class InvalidEventPatternError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Invalid event pattern at ${path}: ${reason}`);
    this.name = new.target.name;
  }
}

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `$.detail["detail-type"][0].prefix`: JSONPath-like, so any key can be told apart. */
export function formatPath(segments: readonly PathSegment[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

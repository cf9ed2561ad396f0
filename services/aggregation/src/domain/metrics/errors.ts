/**
 * A score, histogram, bucket key, time zone or option that the metric math cannot work with. Handlers answer it with
 * 400 when it came from a request; from stored data it means a bug, and the message says which value was wrong.
 */
export class InvalidMetricInputError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

import { type EventContract, type EventSource, EventSources, type ServiceName } from './contract';

const sourcePrefix = 'cxloop.';

function serviceOf(source: EventSource): ServiceName {
  return source.slice(sourcePrefix.length) as ServiceName;
}

/** Every service that may publish or consume events on the cxloop bus. */
export const serviceNames: readonly ServiceName[] = Object.values(EventSources).map(serviceOf);

export function isServiceName(name: string): name is ServiceName {
  return (serviceNames as readonly string[]).includes(name);
}

/** The service that owns the state behind the event and alone publishes it. */
export function publisherOf(contract: Pick<EventContract, 'source'>): ServiceName {
  return serviceOf(contract.source);
}

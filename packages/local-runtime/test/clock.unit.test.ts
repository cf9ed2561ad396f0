import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/clock';

afterEach(() => {
  vi.useRealTimers();
});

describe('systemClock', () => {
  it('waits for timers longer than setTimeout can hold instead of firing them at once', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const days30 = 30 * 86_400_000;
    systemClock.schedule(days30, fired);
    vi.advanceTimersByTime(days30 - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('cancels a long timer in any of its steps', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const cancel = systemClock.schedule(60 * 86_400_000, fired);
    vi.advanceTimersByTime(40 * 86_400_000);
    cancel();
    vi.runAllTimers();
    expect(fired).not.toHaveBeenCalled();
  });
});

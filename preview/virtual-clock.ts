/**
 * A discrete-event clock for the workload (workload/clock.ts): sleeping registers a wake-up,
 * and run() jumps from one event to the next, letting each one's continuations finish
 * before the next, so concurrent requests overlap exactly as their latencies say, in
 * milliseconds of virtual time rather than of wall-clock time. Ties fire in scheduling order.
 */
import { setImmediate as drainMicrotasks } from "node:timers/promises";
import { Clock } from "../workload/clock";

interface Event {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void | Promise<void>;
}

export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  /** Pending events, earliest last (few are pending at once: arrivals are scheduled one at a time). */
  private readonly events: Event[] = [];

  constructor(startMs: number) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.at(this.time + Math.max(0, ms), resolve));
  }

  /** Runs `fire` when the clock reaches `at` (never in the past). */
  at(at: number, fire: () => void | Promise<void>): void {
    const event = { at: Math.max(at, this.time), seq: this.seq++, fire };
    let i = this.events.length;
    while (i > 0 && (this.events[i - 1].at < event.at || (this.events[i - 1].at === event.at && this.events[i - 1].seq < event.seq))) i--;
    this.events.splice(i, 0, event);
  }

  /** Fires every event up to `until`, in time order, then stands at `until`. */
  async run(until: number): Promise<void> {
    while (this.events.length > 0 && this.events[this.events.length - 1].at <= until) {
      const event = this.events.pop()!;
      this.time = event.at;
      await event.fire();
      // What the event woke up (a request's continuation) runs before time moves on.
      await drainMicrotasks();
    }
    this.time = until;
  }
}

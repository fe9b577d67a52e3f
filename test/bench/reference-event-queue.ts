/** The event queue as first written (commit 66e2bb1); reference for test/bench only. */
/** One scheduled event: a callback due at a virtual time, tie-broken by sequence. */
export interface ScheduledEvent {
  timeUs: number;
  seq: number;
  run: () => void;
  /** True when running the event may resolve promises that core awaits. */
  wakesAsync: boolean;
  cancelled: boolean;
}

/**
 * Binary min-heap of events ordered by (timeUs, seq). The sequence number makes
 * the order total: two events at the same time run in the order scheduled.
 */
export class EventQueue {
  private heap: ScheduledEvent[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(event: ScheduledEvent): void {
    const heap = this.heap;
    heap.push(event);
    let index = heap.length - 1;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex];
      if (!before(event, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = event;
  }

  peek(): ScheduledEvent | undefined {
    return this.heap[0];
  }

  pop(): ScheduledEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const count = heap.length;
    let index = 0;
    for (;;) {
      const leftIndex = 2 * index + 1;
      if (leftIndex >= count) break;
      const rightIndex = leftIndex + 1;
      let childIndex = leftIndex;
      if (rightIndex < count && before(heap[rightIndex], heap[leftIndex])) childIndex = rightIndex;
      if (!before(heap[childIndex], last)) break;
      heap[index] = heap[childIndex];
      index = childIndex;
    }
    heap[index] = last;
    return top;
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq);
}

/**
 * Timers by record, earliest first: a binary heap with lazy deletion. Setting a record's
 * timer again replaces the one before; taking the due ones costs O(log n) each, so ten
 * thousand parked records cost nothing on each tick of the clock.
 */
export class TimerQueue<Value> {
  private readonly heap: { id: string; dueAt: number; serial: number }[] = [];
  private readonly current = new Map<string, { dueAt: number; serial: number; value: Value }>();
  private serial = 0;

  get size(): number {
    return this.current.size;
  }

  has(id: string): boolean {
    return this.current.has(id);
  }

  set(id: string, dueAt: number, value: Value): void {
    this.serial += 1;
    this.current.set(id, { dueAt, serial: this.serial, value });
    this.push({ id, dueAt, serial: this.serial });
  }

  /** Removes the record's timer; returns its value, if it had one. */
  delete(id: string): Value | undefined {
    const entry = this.current.get(id);
    this.current.delete(id);
    return entry?.value;
  }

  /** When the earliest timer is due (stale heap entries are dropped on the way). */
  earliestDueAt(): number | undefined {
    for (;;) {
      const top = this.heap[0];
      if (!top) return undefined;
      if (this.current.get(top.id)?.serial === top.serial) return top.dueAt;
      this.pop();
    }
  }

  /** Removes and returns every timer due at `now`, earliest first, with its due instant. */
  takeDue(now: number): [string, Value, number][] {
    const due: [string, Value, number][] = [];
    while (this.heap.length > 0 && (this.heap[0]?.dueAt ?? Infinity) <= now) {
      const top = this.pop();
      const entry = this.current.get(top.id);
      // A timer replaced or deleted since it was pushed is skipped.
      if (!entry || entry.serial !== top.serial) continue;
      this.current.delete(top.id);
      due.push([top.id, entry.value, entry.dueAt]);
    }
    // Lazy deletion leaves stale entries behind: rebuild when they outnumber live ones.
    if (this.heap.length > 64 && this.heap.length > 2 * this.current.size) this.rebuild();
    return due;
  }

  private rebuild(): void {
    this.heap.length = 0;
    for (const [id, { dueAt, serial }] of this.current) this.push({ id, dueAt, serial });
  }

  private push(node: { id: string; dueAt: number; serial: number }): void {
    const heap = this.heap;
    heap.push(node);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((heap[parent] as typeof node).dueAt <= node.dueAt) break;
      heap[index] = heap[parent] as typeof node;
      index = parent;
    }
    heap[index] = node;
  }

  private pop(): { id: string; dueAt: number; serial: number } {
    const heap = this.heap;
    const top = heap[0] as (typeof heap)[number];
    const last = heap.pop() as (typeof heap)[number];
    if (heap.length > 0) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        const candidate = (i: number) => (heap[i] as (typeof heap)[number]).dueAt;
        const at = (i: number) => (i === index ? last.dueAt : candidate(i));
        if (left < heap.length && candidate(left) < at(smallest)) smallest = left;
        if (right < heap.length && candidate(right) < at(smallest)) smallest = right;
        if (smallest === index) break;
        heap[index] = heap[smallest] as (typeof heap)[number];
        index = smallest;
      }
      heap[index] = last;
    }
    return top;
  }
}

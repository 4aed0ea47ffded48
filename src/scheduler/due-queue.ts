interface HeapEntry {
  readonly id: string;
  due: number;
  /** Insertion order, so entries with equal due times come out first-in first-out. */
  seq: number;
  /** Current position in the heap array, kept up to date on every move. */
  index: number;
}

function precedes(a: HeapEntry, b: HeapEntry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/**
 * A binary min-heap of ids keyed by due time, with an id → entry index so that insert, update
 * and remove by id are all O(log n). Equal due times leave in the order they were set.
 */
export class DueQueue {
  private readonly heap: HeapEntry[] = [];
  private readonly byId = new Map<string, HeapEntry>();
  private nextSeq = 0;

  /** Number of ids in the queue. */
  get size(): number {
    return this.heap.length;
  }

  /** True when `id` is queued. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The due time of `id`, or undefined when it is not queued. */
  dueOf(id: string): number | undefined {
    return this.byId.get(id)?.due;
  }

  /** The id that is due first, or undefined when empty. */
  peekId(): string | undefined {
    return this.heap[0]?.id;
  }

  /** The earliest due time, or Infinity when empty. */
  peekDue(): number {
    return this.heap[0]?.due ?? Number.POSITIVE_INFINITY;
  }

  /** Inserts `id` or moves it to a new due time (it then queues behind equal due times). */
  set(id: string, due: number): void {
    const existing = this.byId.get(id);
    if (existing) {
      existing.due = due;
      existing.seq = this.nextSeq++;
      this.reposition(existing);
      return;
    }
    const entry: HeapEntry = { id, due, seq: this.nextSeq++, index: this.heap.length };
    this.byId.set(id, entry);
    this.heap.push(entry);
    this.siftUp(entry);
  }

  /** Removes `id`; false when it was not queued. */
  delete(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    this.byId.delete(id);
    const last = this.heap.pop();
    if (last !== undefined && last !== entry) {
      last.index = entry.index;
      this.heap[entry.index] = last;
      this.reposition(last);
    }
    return true;
  }

  /** Removes and returns the id that is due first, or undefined when empty. */
  pop(): string | undefined {
    const head = this.heap[0];
    if (!head) return undefined;
    this.delete(head.id);
    return head.id;
  }

  /** Empties the queue. */
  clear(): void {
    this.heap.length = 0;
    this.byId.clear();
  }

  private reposition(entry: HeapEntry): void {
    const parent = entry.index > 0 ? this.heap[(entry.index - 1) >> 1] : undefined;
    if (parent !== undefined && precedes(entry, parent)) this.siftUp(entry);
    else this.siftDown(entry);
  }

  private siftUp(entry: HeapEntry): void {
    const heap = this.heap;
    let index = entry.index;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex];
      if (parent === undefined || !precedes(entry, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = entry;
    entry.index = index;
  }

  private siftDown(entry: HeapEntry): void {
    const heap = this.heap;
    let index = entry.index;
    for (;;) {
      const leftIndex = 2 * index + 1;
      let childIndex = leftIndex;
      let child = heap[leftIndex];
      if (child === undefined) break;
      const right = heap[leftIndex + 1];
      if (right !== undefined && precedes(right, child)) {
        child = right;
        childIndex = leftIndex + 1;
      }
      if (!precedes(child, entry)) break;
      heap[index] = child;
      child.index = index;
      index = childIndex;
    }
    heap[index] = entry;
    entry.index = index;
  }
}

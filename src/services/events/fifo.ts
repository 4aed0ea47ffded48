/**
 * A first-in first-out list with O(1) push, shift and indexed reads. `Array#shift` is O(n),
 * which a buffer of 100k events shifted on every publish cannot afford; here the consumed
 * prefix is dropped in one copy once it is larger than what is left.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The item `index` places from the front; undefined past the end. */
  at(index: number): T | undefined {
    return index < 0 ? undefined : this.items[this.head + index];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Copies of the items from `index` to the end, oldest first. */
  from(index: number): T[] {
    return this.items.slice(this.head + Math.max(0, index));
  }

  /** Removes and returns up to `count` items from the front. */
  take(count: number): T[] {
    const taken = this.items.slice(this.head, this.head + count);
    for (let i = 0; i < taken.length; i++) this.shift();
    return taken;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

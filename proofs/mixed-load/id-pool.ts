/** A set with O(1) random pick and removal. */
export class IdPool {
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  add(id: string): void {
    if (this.index.has(id)) return;
    this.index.set(id, this.ids.length);
    this.ids.push(id);
  }

  remove(id: string): void {
    const at = this.index.get(id);
    if (at === undefined) return;
    const last = this.ids.pop() as string;
    this.index.delete(id);
    if (last !== id) {
      this.ids[at] = last;
      this.index.set(last, at);
    }
  }

  pick(random: () => number): string | undefined {
    return this.ids.length === 0 ? undefined : this.ids[Math.floor(random() * this.ids.length)];
  }

  get size(): number {
    return this.ids.length;
  }
}

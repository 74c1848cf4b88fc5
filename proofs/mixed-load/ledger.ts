/**
 * What the acknowledged answers of a mixed-load run say about each category, and the rules every answer is held
 * to against it: no lost update, no stale read, no read of a deleted category.
 */
import { performance } from 'node:perf_hooks';
import type { ApiAnswer } from '../api-call';
import { isCategory, type CategoryJson } from '../category-json';
import type { Violations } from '../support';

export interface Content {
  readonly name: string;
  readonly description?: string;
}

/** What the acknowledged answers say about one category. */
export interface LedgerEntry {
  /** Content of each version an acknowledged write produced. */
  readonly versions: Map<number, Content>;
  latestVersion: number;
  /** When each acknowledged version's answer arrived (performance.now()). */
  readonly ackedAt: Array<{ readonly version: number; readonly at: number }>;
  deletedAt: number | undefined;
  /** DELETEs sent for it (acknowledged or not): a 404 is only legitimate after one. */
  deleteAttempts: number;
  /** Requests on it whose outcome is unknown (network error, 5xx): a later version is then possible. */
  unknownOutcomes: number;
}

export class Ledger {
  private readonly entries = new Map<string, LedgerEntry>();

  constructor(private readonly violations: Violations) {}

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get(id: string): LedgerEntry | undefined {
    return this.entries.get(id);
  }

  /** The categories acknowledged so far, in the order of their creation. */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  all(): Iterable<[string, LedgerEntry]> {
    return this.entries.entries();
  }

  /** Starts the entry of a category an acknowledged POST created (its version is then {@link acknowledge}d). */
  open(id: string): void {
    this.entries.set(id, {
      versions: new Map(),
      latestVersion: 0,
      ackedAt: [],
      deletedAt: undefined,
      deleteAttempts: 0,
      unknownOutcomes: 0,
    });
  }

  /** Counts an answer that leaves the outcome unknown (network error, 5xx). */
  noteUnknown(id: string, answer: ApiAnswer): void {
    if (typeof answer.status !== 'number' || answer.status >= 500) {
      const entry = this.get(id);
      if (entry) entry.unknownOutcomes++;
    }
  }

  /** Records an acknowledged version; two acknowledged writes must never share one. */
  acknowledge(id: string, category: CategoryJson, what: string): void {
    const entry = this.get(id);
    if (!entry) {
      this.violations.add(`${what} acknowledged category ${id}, which no acknowledged POST created`);
      return;
    }
    if (entry.versions.has(category.version)) {
      this.violations.add(
        `${what} of ${id} acknowledged version ${category.version}, which an earlier acknowledged write already produced (lost update)`,
      );
    }
    const content: Content =
      category.description === undefined
        ? { name: category.name }
        : { name: category.name, description: category.description };
    entry.versions.set(category.version, content);
    entry.ackedAt.push({ version: category.version, at: performance.now() });
    entry.latestVersion = Math.max(entry.latestVersion, category.version);
  }

  /** A strongly consistent read started at `started` must see every write acknowledged before it. */
  checkRead(id: string, started: number, answer: ApiAnswer): void {
    const entry = this.get(id);
    if (!entry) return;
    if (answer.status === 404) {
      if (entry.deleteAttempts === 0) this.violations.add(`GET ${id} answered 404, but nobody tried to delete it`);
      return;
    }
    if (answer.status !== 200 || !isCategory(answer.body)) return;
    if (entry.deletedAt !== undefined && entry.deletedAt < started) {
      this.violations.add(`GET ${id} returned the category after its DELETE was acknowledged`);
    }
    const mustSee = Math.max(0, ...entry.ackedAt.filter((a) => a.at < started).map((a) => a.version));
    if (answer.body.version < mustSee) {
      this.violations.add(
        `GET ${id} returned version ${answer.body.version} after version ${mustSee} was acknowledged (stale read)`,
      );
    }
    const known = entry.versions.get(answer.body.version);
    if (known && (known.name !== answer.body.name || known.description !== answer.body.description)) {
      this.violations.add(`GET ${id} version ${answer.body.version} differs from what the acknowledged write stored`);
    }
  }
}

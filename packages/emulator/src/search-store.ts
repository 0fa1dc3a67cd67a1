import { randomUUID } from "node:crypto";
import { ClockedStore } from "./clocked-store.ts";
import { SAMPLE_GROUP_ID } from "./groups-store.ts";
import { SAMPLE_IDENTITIES } from "./sample-data.ts";

/** Id of the sample index every fresh emulator has: Ada owns it; 12 datasets, mostly public. */
export const SAMPLE_INDEX_ID = "6e1d3b5a-0c7f-4a2e-9b8d-2f4c6a8e0b13";

/** @internal One entry of a subject: its content, who may see it, and its entry id (or none). */
export interface SearchEntryRecord {
  readonly subject: string;
  readonly entryId: string | null;
  readonly content: Record<string, unknown>;
  readonly visibleTo: readonly string[];
}

/** @internal A role on an index. */
export interface SearchRoleRecord {
  readonly id: string;
  readonly principal: string;
  readonly principalType: "identity" | "group";
  readonly roleName: "owner" | "admin" | "writer";
  readonly created: number;
}

/** @internal An index as the fake Search keeps it. */
export interface SearchIndexRecord {
  readonly id: string;
  displayName: string;
  description: string;
  readonly created: number;
  status: "open" | "delete-pending";
  /** Emulator-clock seconds when a pending deletion becomes final. */
  deleteAt: number | null;
  roles: SearchRoleRecord[];
  entries: SearchEntryRecord[];
}

/** @internal What a task does when it runs. */
export type SearchTaskWork =
  | { readonly kind: "ingest"; readonly entries: readonly SearchEntryRecord[] }
  | { readonly kind: "delete_by_query"; readonly query: Record<string, unknown> }
  | { readonly kind: "delete_subjects"; readonly subjects: readonly string[] };

/** @internal An ingest or delete task. */
export interface SearchTaskRecord {
  readonly id: string;
  readonly indexId: string;
  readonly taskType: "INGEST" | "DELETE_BY_QUERY" | "DELETE_BY_SUBJECT";
  state: "PENDING" | "SUCCESS" | "FAILED";
  readonly created: number;
  readonly runsAt: number;
  completed: number | null;
  message: string;
  readonly work: SearchTaskWork;
}

/** @internal What the state file keeps of the fake Search. */
export interface SearchSnapshot {
  readonly indices: SearchIndexRecord[];
  readonly tasks: SearchTaskRecord[];
}

/** Seconds an ingest or delete task waits before it runs: enough to see it PENDING. */
export const TASK_DELAY = 1;
/** Seconds a deleted index stays recoverable by `reopen`. */
export const DELETE_GRACE = 86_400;

/** @internal The principal URN of an identity. */
export const identityPrincipal = (identityId: string): string => `urn:globus:auth:identity:${identityId}`;
/** @internal The principal URN of a group. */
export const groupPrincipal = (groupId: string): string => `urn:globus:groups:id:${groupId}`;

/** The sample index every fresh emulator has, created `now`: twelve datasets, owned by Ada. */
function sampleIndex(now: number): SearchIndexRecord {
  const [ada] = SAMPLE_IDENTITIES;
  const instruments = ["beamline-7", "cryo-em", "mass-spec"];
  const entries: SearchEntryRecord[] = Array.from({ length: 12 }, (_, i) => ({
    subject: `https://data.example.org/datasets/${String(i + 1).padStart(3, "0")}`,
    entryId: null,
    content: {
      title: `Sample dataset ${i + 1}`,
      instrument: instruments[i % 3],
      year: 2020 + (i % 4),
      size_gb: (i + 1) * 10,
      keywords: i % 2 === 0 ? ["protein", "structure"] : ["spectra"],
    },
    visibleTo:
      i === 10 ? [groupPrincipal(SAMPLE_GROUP_ID)] : i === 11 ? [identityPrincipal(ada.id)] : ["public"],
  }));
  return {
    id: SAMPLE_INDEX_ID,
    displayName: "Emulator sample index",
    description: "Twelve sample datasets: ten public, one for the sample group, one for Ada.",
    created: now,
    status: "open",
    deleteAt: null,
    roles: [
      {
        id: randomUUID(),
        principal: identityPrincipal(ada.id),
        principalType: "identity",
        roleName: "owner",
        created: now,
      },
    ],
    entries,
  };
}

/**
 * @internal Everything the fake Search knows: indices (with their entries and roles) and tasks.
 * Tasks run on the emulator clock: {@link SearchStore.settle}, called before every Search request,
 * runs those whose time has come, and makes final the deletions past their grace period.
 */
export class SearchStore extends ClockedStore {
  indices = new Map<string, SearchIndexRecord>([[SAMPLE_INDEX_ID, sampleIndex(this.now())]]);
  tasks = new Map<string, SearchTaskRecord>();
  /** Runs a delete-by-query: which entries of an index it removes (set by the routes). */
  matchesQuery: (index: SearchIndexRecord, query: Record<string, unknown>) => Set<SearchEntryRecord> = () =>
    new Set();

  /** Queues a task on an index, to run {@link TASK_DELAY} seconds from now. */
  addTask(indexId: string, taskType: SearchTaskRecord["taskType"], work: SearchTaskWork): SearchTaskRecord {
    const now = this.now();
    const task: SearchTaskRecord = {
      id: randomUUID(),
      indexId,
      taskType,
      state: "PENDING",
      created: now,
      runsAt: now + TASK_DELAY,
      completed: null,
      message: "Task is pending",
      work,
    };
    this.tasks.set(task.id, task);
    this.changed();
    return task;
  }

  /** Runs due tasks, in order, and drops indices whose deletion became final. */
  settle(): void {
    const now = this.exactNow();
    let changed = false;
    for (const task of [...this.tasks.values()].sort((a, b) => a.runsAt - b.runsAt)) {
      if (task.state !== "PENDING" || task.runsAt > now) continue;
      const index = this.indices.get(task.indexId);
      task.completed = Math.floor(Math.max(task.runsAt, task.created));
      changed = true;
      if (!index) {
        task.state = "FAILED";
        task.message = "The index no longer exists";
        continue;
      }
      const count = this.#run(index, task.work);
      task.state = "SUCCESS";
      task.message = `Task succeeded: ${count} ${task.work.kind === "ingest" ? "ingested" : "deleted"}`;
    }
    for (const index of this.indices.values()) {
      if (index.status === "delete-pending" && index.deleteAt !== null && index.deleteAt <= now) {
        this.indices.delete(index.id);
        changed = true;
      }
    }
    if (changed) this.changed();
  }

  #run(index: SearchIndexRecord, work: SearchTaskWork): number {
    switch (work.kind) {
      case "ingest": {
        // An entry replaces the one with the same subject and entry id.
        const key = (e: SearchEntryRecord) => JSON.stringify([e.subject, e.entryId]);
        const incoming = new Map(work.entries.map((e) => [key(e), e]));
        index.entries = [...index.entries.filter((e) => !incoming.has(key(e))), ...incoming.values()];
        return work.entries.length;
      }
      case "delete_by_query": {
        const doomed = this.matchesQuery(index, work.query);
        index.entries = index.entries.filter((e) => !doomed.has(e));
        return doomed.size;
      }
      case "delete_subjects": {
        const subjects = new Set(work.subjects);
        const before = index.entries.length;
        index.entries = index.entries.filter((e) => !subjects.has(e.subject));
        return before - index.entries.length;
      }
    }
  }

  snapshot(): SearchSnapshot {
    return { indices: [...this.indices.values()], tasks: [...this.tasks.values()] };
  }

  restore(snapshot: SearchSnapshot): void {
    this.indices = new Map(snapshot.indices.map((index) => [index.id, index]));
    this.tasks = new Map(snapshot.tasks.map((task) => [task.id, task]));
  }
}

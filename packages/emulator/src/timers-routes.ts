import { randomUUID } from "node:crypto";
import type { RequestContext } from "./request-context.ts";
import { TRANSFER_ALL_SCOPE } from "./scope-registry.ts";
import type { ScopeNode } from "./scope-tree.ts";
import {
  asObject,
  identifyCaller,
  jsonObjectBody,
  type ServiceErrorWriter,
  ServiceFault,
  type ServiceRoute,
  servicePath,
} from "./service-request.ts";
import { isUuid } from "./stable-uuid.ts";
import { jobDocument, timerDocument } from "./timers-documents.ts";
import { dueTimes, type TimerRecord, type TimerScheduleRecord, type TimersStore } from "./timers-store.ts";

/** Resource server (and scope owner) of Globus Timers. */
export const TIMERS_RESOURCE_SERVER = "524230d7-ea86-4a52-8312-86065a9e0417";
/** The scope the fake Timers requires. */
export const TIMERS_SCOPE = `https://auth.globus.org/scopes/${TIMERS_RESOURCE_SERVER}/timer`;

/** @internal Who calls the fake Timers. */
interface TimersCaller {
  readonly identity: string;
  readonly scopes: readonly ScopeNode[];
}

type TimersHandler = (ctx: RequestContext, caller: TimersCaller, store: TimersStore) => void;

/** @internal A Timers route: a pattern on the path after `/timer/`. */
export type TimersRoute = ServiceRoute<TimersHandler>;

const fault = (status: number, code: string, detail: string): ServiceFault =>
  new ServiceFault(status, code, detail);
const notFound = (id: string): ServiceFault =>
  fault(404, "NOT_FOUND", `No timer with id '${id.slice(0, 100)}' was found`);

/** // wire: unverified — Timers' validation errors are FastAPI's: `detail` a list of `{loc, msg, type}`. */
const invalid = (field: string, message: string): ServiceFault =>
  new ServiceFault(422, "ValidationError", message, {
    detail: [{ loc: ["body", ...field.split(".")], msg: message, type: "value_error" }],
  });

/**
 * @internal Timers' error body. // wire: unverified — `{"error": {"code", "detail", "status"}}`;
 * a validation error is FastAPI's `{"detail": [...]}` and a GARE sits at the top level.
 */
export const timersError: ServiceErrorWriter = (ctx, status, code, detail, extra = {}) => {
  if (Array.isArray(extra.detail)) ctx.respond.json(status, { detail: extra.detail });
  else ctx.respond.json(status, { error: { code, detail, status }, ...extra });
};

/** @internal Runs a Timers handler: a live Timers token with `timer`; due runs fire first. */
export function runTimers(ctx: RequestContext, handler: TimersHandler): void {
  try {
    const caller = identifyCaller(ctx, TIMERS_RESOURCE_SERVER);
    if (caller.kind === "anonymous") throw fault(401, "UNAUTHORIZED", "No Authorization header provided");
    if (caller.kind === "refused") throw fault(401, "UNAUTHORIZED", caller.reason);
    if (!caller.scopes.has(TIMERS_SCOPE))
      throw fault(403, "FORBIDDEN", `This call needs the scope ${TIMERS_SCOPE}`);
    fireDue(ctx);
    handler(ctx, { identity: caller.record.subject, scopes: caller.record.scopes }, ctx.state.timers);
  } catch (error) {
    if (!(error instanceof ServiceFault)) throw error;
    timersError(ctx, error.status, error.code, error.message, error.extra);
  }
}

/**
 * Loads new timers (`new` → `loaded`), then submits, through the fake Transfer, the Transfer task
 * of every run due by now of every loaded timer: timers fire on the emulator clock, seen whenever
 * Timers is next called (so the answer that creates a timer shows it `new`, without runs).
 */
function fireDue(ctx: RequestContext): void {
  const store = ctx.state.timers;
  const transfer = ctx.state.transfer;
  const now = store.now();
  let fired = false;
  for (const timer of store.timers.values()) {
    if (timer.status === "new") {
      timer.status = "loaded";
      fired = true;
    }
    if (timer.status !== "loaded") continue;
    const last = timer.runs.at(-1)?.ranAt ?? Number.NEGATIVE_INFINITY;
    for (const at of dueTimes(timer.schedule, now)) {
      if (at <= last || (timer.resumedAt !== null && at < timer.resumedAt)) continue;
      const document = { ...timer.body, submission_id: transfer.newSubmissionId() };
      const task = transfer.createTask(
        "TRANSFER",
        timer.owner,
        document,
        String(timer.body.source_endpoint),
        String(timer.body.destination_endpoint),
      );
      timer.runs.push({ ranAt: at, taskId: task.id });
      fired = true;
    }
  }
  if (fired) store.changed();
}

function timerFromPath(ctx: RequestContext, store: TimersStore, caller: TimersCaller): TimerRecord {
  const id = (ctx.pathParams[0] ?? "").toLowerCase();
  const timer = isUuid(id) ? store.timers.get(id) : undefined;
  if (!timer || timer.owner !== caller.identity) throw notFound(id);
  return timer;
}

function time(value: unknown, field: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const parsed = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(parsed)) throw invalid(field, `${field} must be an ISO 8601 date and time`);
  return parsed / 1000;
}

function parseSchedule(value: unknown, now: number): TimerScheduleRecord {
  const schedule = asObject(value);
  if (schedule?.type === "once")
    return { type: "once", at: time(schedule.datetime, "schedule.datetime", now) };
  if (schedule?.type !== "recurring")
    throw invalid("schedule.type", "schedule.type must be 'once' or 'recurring'");
  const interval = schedule.interval_seconds;
  if (typeof interval !== "number" || !Number.isInteger(interval) || interval < 60) {
    throw invalid("schedule.interval_seconds", "interval_seconds must be an integer of at least 60");
  }
  const end = asObject(schedule.end);
  let endAt: number | null = null;
  let count: number | null = null;
  if (end?.condition === "time") endAt = time(end.datetime, "schedule.end.datetime", now);
  else if (end?.condition === "iterations") {
    if (typeof end.count !== "number" || !Number.isInteger(end.count) || end.count < 1) {
      throw invalid("schedule.end.count", "end.count must be a positive integer");
    }
    count = end.count;
  } else if (schedule.end !== undefined && schedule.end !== null) {
    throw invalid("schedule.end.condition", "end.condition must be 'time' or 'iterations'");
  }
  return { type: "recurring", start: time(schedule.start, "schedule.start", now), interval, endAt, count };
}

/** A 403 GARE unless the caller's `timer` scope has Transfer's under it, which a transfer timer acts with. */
function checkTransferConsent(caller: TimersCaller): void {
  const timer = caller.scopes.find((node) => node.scope === TIMERS_SCOPE);
  if (timer?.dependencies.some((node) => node.scope === TRANSFER_ALL_SCOPE)) return;
  // wire: unverified — where Timers puts the GARE.
  throw new ServiceFault(
    403,
    "ConsentRequired",
    "This timer needs your consent to act through Globus Transfer",
    {
      code: "ConsentRequired",
      authorization_parameters: {
        session_message: "Timers needs your consent to submit Transfer tasks for you",
        required_scopes: [`${TIMERS_SCOPE}[${TRANSFER_ALL_SCOPE}]`],
      },
    },
  );
}

const createTimer: TimersHandler = (ctx, caller, store) => {
  const body = jsonObjectBody(ctx, (message) => fault(400, "BAD_REQUEST", message));
  const timer = asObject(body.timer);
  if (!timer) throw invalid("timer", "timer is required");
  if (timer.timer_type !== "transfer") throw invalid("timer.timer_type", "timer_type must be 'transfer'");
  const transfer = asObject(timer.body);
  if (transfer?.DATA_TYPE !== "transfer") throw invalid("timer.body", "body must be a transfer document");
  for (const field of ["source_endpoint", "destination_endpoint"]) {
    if (typeof transfer[field] !== "string" || !isUuid(transfer[field] as string)) {
      throw invalid(`timer.body.${field}`, `${field} must be a collection id`);
    }
  }
  if (!Array.isArray(transfer.DATA) || transfer.DATA.length === 0)
    throw invalid("timer.body.DATA", "DATA must list items");
  if ("submission_id" in transfer)
    throw invalid("timer.body.submission_id", "a timer's body may not have a submission_id");
  const now = store.now();
  const schedule = parseSchedule(timer.schedule, now);
  checkTransferConsent(caller);
  const record: TimerRecord = {
    id: randomUUID(),
    owner: caller.identity,
    name: typeof timer.name === "string" ? timer.name.slice(0, 500) : "",
    schedule,
    scheduleDocument: asObject(timer.schedule) ?? {},
    body: transfer,
    status: "new",
    submitted: now,
    resumedAt: null,
    runs: [],
  };
  store.timers.set(record.id, record);
  store.changed();
  // A once timer without a time runs on the next call, as the real scheduler picks it up soon after.
  ctx.respond.json(201, { timer: timerDocument(record, now) });
};

const listJobs: TimersHandler = (ctx, caller, store) => {
  const now = store.now();
  const jobs = [...store.timers.values()].filter((timer) => timer.owner === caller.identity);
  ctx.respond.json(200, { jobs: jobs.map((timer) => jobDocument(timer, now, ctx.state.transfer)) });
};

const getJob: TimersHandler = (ctx, caller, store) => {
  ctx.respond.json(200, jobDocument(timerFromPath(ctx, store, caller), store.now(), ctx.state.transfer));
};

const updateJob: TimersHandler = (ctx, caller, store) => {
  const timer = timerFromPath(ctx, store, caller);
  const body = jsonObjectBody(ctx, (message) => fault(400, "BAD_REQUEST", message));
  for (const field of Object.keys(body)) {
    if (field !== "name") throw invalid(field, `${field.slice(0, 50)} cannot be changed`);
  }
  if (body.name !== undefined) {
    if (typeof body.name !== "string") throw invalid("name", "name must be a string");
    timer.name = body.name.slice(0, 500);
  }
  store.changed();
  ctx.respond.json(200, jobDocument(timer, store.now(), ctx.state.transfer));
};

const deleteJob: TimersHandler = (ctx, caller, store) => {
  const timer = timerFromPath(ctx, store, caller);
  store.timers.delete(timer.id);
  store.changed();
  // wire: the Python SDK's delete_job answers the job as it was.
  ctx.respond.json(200, jobDocument(timer, store.now(), ctx.state.transfer));
};

const pauseJob: TimersHandler = (ctx, caller, store) => {
  const timer = timerFromPath(ctx, store, caller);
  // A paused timer is `inactive` for the cause "user" (the Python SDK's TIMER_INACTIVE_USER).
  timer.status = "inactive";
  store.changed();
  // wire: the Python SDK's pause_job.
  ctx.respond.json(200, { message: `Successfully paused job ${timer.id}.` });
};

const resumeJob: TimersHandler = (ctx, caller, store) => {
  const timer = timerFromPath(ctx, store, caller);
  if (ctx.body.length > 0) jsonObjectBody(ctx, (message) => fault(400, "BAD_REQUEST", message));
  if (timer.status === "inactive") {
    timer.status = "loaded";
    timer.resumedAt = store.now();
  }
  store.changed();
  // wire: the Python SDK's resume_job.
  ctx.respond.json(200, { message: `Successfully resumed job ${timer.id}.` });
};

/** @internal The fake Timers' routes, by path after `/timer/`. // wire: the Python SDK's TimersClient paths */
export const TIMERS_ROUTES: readonly TimersRoute[] = [
  { pattern: servicePath("v2/timer", { trailingSlash: true }), methods: { POST: createTimer } },
  { pattern: servicePath("jobs", { trailingSlash: true }), methods: { GET: listJobs } },
  {
    pattern: servicePath("jobs/:id", { trailingSlash: true }),
    methods: { GET: getJob, PATCH: updateJob, DELETE: deleteJob },
  },
  { pattern: servicePath("jobs/:id/pause", { trailingSlash: true }), methods: { POST: pauseJob } },
  { pattern: servicePath("jobs/:id/resume", { trailingSlash: true }), methods: { POST: resumeJob } },
];

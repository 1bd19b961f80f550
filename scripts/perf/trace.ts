/**
 * Reading a Chromium trace (CDP Tracing, "ReportEvents") for bench:pages: what the extension's
 * script cost the page's main thread, the style recalculations, and what each long task was made of.
 */

/** Trace categories: top-level tasks and what the renderer did inside them. */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing', 'disabled-by-default-v8.gc'];

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread time (CPU), µs. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string; frame?: string } };
}

/** A top-level task of the renderer's main thread. */
export const TASK = 'ThreadControllerImpl::RunTask';
/**
 * An event's thread (CPU) time, µs. Never more than its wall time: on this shared virtual machine
 * the trace's thread clock sometimes reads more (a call of 8 ms wall with 55 ms of thread time).
 */
const cpuOf = (e: TraceEvent) => Math.min(e.tdur ?? e.dur!, e.dur!);
const isExtensionUrl = (e: TraceEvent) => e.args?.data?.url?.startsWith('chrome-extension://') === true;

/** The page renderer's main thread: its complete events, in time order. */
export function mainThreadEvents(events: TraceEvent[], pagePid: number): TraceEvent[] {
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === pagePid).map((e) => e.tid));
  return events.filter((e) => e.pid === pagePid && main.has(e.tid) && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
}

/**
 * The renderer's style recalculations after the page's set-up: their total, and each one that
 * restyled 10,000 elements or more (a whole-page restyle, such as a style sheet added to a built
 * page causes), with its wall time and element count.
 */
export function summarizeRestyles(events: TraceEvent[], setupAtUs: number, pagePid: number): string {
  const recalcs = mainThreadEvents(events, pagePid).filter((e) => e.name === 'UpdateLayoutTree' && e.ts >= setupAtUs);
  const elements = (e: TraceEvent) => (e.args as { elementCount?: number } | undefined)?.elementCount ?? 0;
  const big = recalcs.filter((e) => elements(e) >= 10_000).map((e) => `${(e.dur! / 1000).toFixed(0)} ms for ${elements(e)} elements at +${((e.ts - setupAtUs) / 1000).toFixed(0)} ms`);
  const total = recalcs.reduce((a, e) => a + e.dur!, 0) / 1000;
  const longest = Math.max(0, ...recalcs.map((e) => e.dur!)) / 1000;
  return `  style recalculation after set-up: ${total.toFixed(0)} ms in all, longest ${longest.toFixed(0)} ms; whole-page restyles: ${big.join(', ') || 'none'}`;
}

/** The outermost calls into, evaluations and compiles of an extension's scripts. */
function outermostExtensionEvents(main: TraceEvent[]): TraceEvent[] {
  const ours = main.filter((e) => isExtensionUrl(e) && (e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.compile'));
  const outer: TraceEvent[] = [];
  let end = -1;
  for (const e of ours) {
    if (e.ts < end) continue; // inside a call already counted
    outer.push(e);
    end = e.ts + e.dur!;
  }
  return outer;
}

export interface ExtensionCost {
  /** CPU (thread) time of the extension's script on the main thread over the whole load, ms. */
  cpuMs: number;
  /** The longest task that ran extension script: its wall time, and the script's CPU time in it, ms. */
  longestTaskMs: number;
  longestTaskScriptMs: number;
  /** Tasks of 50 ms or more (wall) that ran extension script. */
  longTasks: number;
  /** The five longest outermost calls into the extension's script, thread time, ms (a task of ours over 50 ms shows here whatever the load did to wall time). */
  longestCallsMs: number[];
  /** Outermost calls into the extension's script. */
  calls: number;
  /**
   * The longest task that ran extension script by its thread (CPU) time, ms: the wall time less
   * the moments the OS gave the core to another process, so it reads the same on a loaded machine.
   */
  longestTaskCpuMs: number;
  /** The extension's script (CPU) in the longest task by CPU, ms: a page's own long frame with a listener of ours in it has next to none. */
  longestTaskCpuScriptMs: number;
  /** The most the extension's script (CPU) took in any one task, ms: a forced layout inside its call counts. */
  mostScriptInTaskMs: number;
  /** The garbage collection (CPU) inside the longest task by CPU, ms: a major GC of a huge page's DOM lands in whatever task allocates. */
  longestTaskCpuGcMs: number;
  /** The style and layout (CPU) inside the longest task by CPU, ms: a layout forced by a read of ours counts in our script's time. */
  longestTaskCpuLayoutMs: number;
}

/** Garbage collection events (V8's, Blink's heap, the timeline's Major/MinorGC). */
const isGc = (e: TraceEvent) => /GC|Scavenge|MarkCompact/.test(e.name);

/** Style and layout events. */
const isLayout = (e: TraceEvent) => e.name === 'Layout' || e.name === 'UpdateLayoutTree';

/** Thread time of the outermost events that `is` inside `task`, µs. */
function timeInside(main: TraceEvent[], task: TraceEvent, is: (e: TraceEvent) => boolean): number {
  const end = task.ts + task.dur!;
  let us = 0;
  let until = -1;
  for (const e of main) {
    if (e.ts < task.ts || e === task) continue;
    if (e.ts >= end) break;
    if (e.ts < until || !is(e)) continue;
    us += cpuOf(e);
    until = e.ts + e.dur!;
  }
  return us;
}

/**
 * The extension's script cost from a trace: thread time (not wall time, which counts the moments
 * the OS gave the core to another process) of the outermost calls into a chrome-extension://
 * script, its evaluation and compile; and the tasks that ran them. Promise callbacks the browser
 * runs outside such a call (an extension API's answer) are not in it.
 */
export function extensionCost(events: TraceEvent[], pagePid: number): ExtensionCost {
  const main = mainThreadEvents(events, pagePid);
  const ours = outermostExtensionEvents(main);
  const cpuMs = ours.reduce((sum, e) => sum + cpuOf(e), 0) / 1000;
  const tasks = main.filter((e) => e.name === TASK);
  let longestTaskMs = 0;
  let longestTaskScriptMs = 0;
  let longTasks = 0;
  let longestTaskCpuMs = 0;
  let longestTaskCpuScriptMs = 0;
  let mostScriptInTaskMs = 0;
  let longestCpuTask: TraceEvent | null = null;
  let k = 0;
  for (const task of tasks) {
    const end = task.ts + task.dur!;
    let script = 0;
    while (k < ours.length && ours[k].ts < task.ts) k++;
    for (let j = k; j < ours.length && ours[j].ts < end; j++) script += cpuOf(ours[j]);
    if (script === 0) continue;
    if (task.dur! >= 50_000) longTasks++;
    mostScriptInTaskMs = Math.max(mostScriptInTaskMs, script / 1000);
    if (cpuOf(task) / 1000 > longestTaskCpuMs) {
      longestTaskCpuMs = cpuOf(task) / 1000;
      longestTaskCpuScriptMs = script / 1000;
      longestCpuTask = task;
    }
    if (task.dur! > longestTaskMs * 1000) {
      longestTaskMs = task.dur! / 1000;
      longestTaskScriptMs = script / 1000;
    }
  }
  const longestCallsMs = ours.map((e) => cpuOf(e) / 1000).sort((a, b) => b - a).slice(0, 5);
  const longestTaskCpuGcMs = longestCpuTask ? timeInside(main, longestCpuTask, isGc) / 1000 : 0;
  const longestTaskCpuLayoutMs = longestCpuTask ? timeInside(main, longestCpuTask, isLayout) / 1000 : 0;
  return { cpuMs, longestTaskMs, longestTaskScriptMs, longTasks, longestCallsMs, calls: ours.length, longestTaskCpuMs, longestTaskCpuScriptMs, mostScriptInTaskMs, longestTaskCpuGcMs, longestTaskCpuLayoutMs };
}

/**
 * The layouts the extension's script forced: `Layout` events inside its calls (a layout read while
 * the page's layout was dirty), how many and their wall time in ms.
 */
export function layoutsInExtensionCalls(events: TraceEvent[], pagePid: number): { count: number; ms: number } {
  const main = mainThreadEvents(events, pagePid);
  const ours = outermostExtensionEvents(main);
  let count = 0;
  let us = 0;
  let k = 0;
  for (const e of main) {
    if (e.name !== 'Layout') continue;
    while (k < ours.length && ours[k].ts + ours[k].dur! <= e.ts) k++;
    if (k < ours.length && ours[k].ts <= e.ts) {
      count++;
      us += e.dur!;
    }
  }
  return { count, ms: us / 1000 };
}

/**
 * What the renderer's long tasks (50 ms or more, after the page's set-up) were made of: for each,
 * the time of the biggest events inside it (style, layout, script, compile, GC), with the script's
 * URL where there is one (chrome-extension:// is ours).
 */
export function summarizeTrace(events: TraceEvent[], setupAtUs: number, pagePid: number): string[] {
  const main = mainThreadEvents(events, pagePid);
  const lines: string[] = [];
  const tasks = main.filter((e) => e.name === TASK && e.dur! >= 50_000);
  for (const task of tasks) {
    const inside = main.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur!);
    const byName = new Map<string, number>();
    for (const e of inside) {
      const url = e.args?.data?.url ? ` ${e.args.data.url.replace(/^chrome-extension:\/\/[^/]+/, 'ext:').slice(0, 60)}` : '';
      const key = `${e.name}${e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.compile' ? url : ''}`;
      byName.set(key, (byName.get(key) ?? 0) + e.dur!);
    }
    const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`);
    lines.push(`  task at +${((task.ts - setupAtUs) / 1000).toFixed(0)} ms, ${(task.dur! / 1000).toFixed(0)} ms: ${top.join(' | ')}`);
  }
  return lines;
}

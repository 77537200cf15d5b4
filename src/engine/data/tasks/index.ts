import { datesTask } from './dates';
import { g2pTask, pinyinTask } from './dictionaries';
import { reverseTask, sortTask } from './strings';
import type { TaskDefinition } from './types';

export type { TaskDefinition } from './types';

export const TASKS: Record<string, TaskDefinition> = {
  dates: datesTask,
  reverse: reverseTask,
  sort: sortTask,
  g2p: g2pTask,
  pinyin: pinyinTask,
};

export function getTask(name: string): TaskDefinition {
  const task = TASKS[name];
  if (!task) throw new Error(`unknown task "${name}" (available: ${Object.keys(TASKS).join(', ')})`);
  return task;
}

export function listTasks(): Array<{ name: string; description: string; defaultSize: number; available: number }> {
  return Object.values(TASKS).map(t => {
    const available = t.available();
    return { name: t.name, description: t.description, defaultSize: Number.isFinite(available) ? Math.min(t.defaultSize, available) : t.defaultSize, available: Number.isFinite(available) ? available : t.defaultSize };
  });
}

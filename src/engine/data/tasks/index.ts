/**
 * The built-in tasks: generated (dates, reverse, sort) and dictionary-based (g2p, pinyin; and
 * for the other RNN shapes syllables — classify, pinyin-tag — tag, words — generate).
 */
import { datesTask } from './dates';
import { g2pTask, pinyinTagTask, pinyinTask, syllablesTask, wordsTask } from './dictionaries';
import { reverseTask, sortTask } from './strings';
import type { TaskDefinition } from './types';
import type { ResolvedShape } from '../../../shared/config';

export type { TaskDefinition } from './types';

/** The built-in tasks by name. */
export const TASKS: Record<string, TaskDefinition> = {
  dates: datesTask,
  reverse: reverseTask,
  sort: sortTask,
  g2p: g2pTask,
  pinyin: pinyinTask,
  syllables: syllablesTask,
  'pinyin-tag': pinyinTagTask,
  words: wordsTask,
};

/** The task of that name; throws an Error listing the names when there is none. */
export function getTask(name: string): TaskDefinition {
  const task = Object.prototype.hasOwnProperty.call(TASKS, name) ? TASKS[name] : undefined;
  if (!task) throw new Error(`unknown task "${name}" (available: ${Object.keys(TASKS).join(', ')})`);
  return task;
}

/**
 * Every task for menus and `seq2seq-lab tasks`. `available` is how many pairs the task can
 * produce (its default size for unlimited generators); `defaultSize` is capped by it.
 */
export function listTasks(): Array<{ name: string; description: string; defaultSize: number; available: number; shape: ResolvedShape }> {
  return Object.values(TASKS).map(t => {
    const available = t.available?.() ?? Infinity;
    return { name: t.name, description: t.description, defaultSize: Number.isFinite(available) ? Math.min(t.defaultSize, available) : t.defaultSize, available: Number.isFinite(available) ? available : t.defaultSize, shape: t.shape ?? 'seq2seq' };
  });
}

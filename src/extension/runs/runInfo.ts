/**
 * What a run's directory says about the run for its dashboard, beyond the evaluations
 * (history.ts): what `auto` decided (config.json's `decisions`) and what a target word is
 * (result.json's `targetUnit`, else `phoneme` for the g2p task). Both files are untrusted JSON
 * (an older engine, a hand edit, a torn write): everything is checked before it is used, a
 * malformed part is left out and reported, never thrown. No `vscode`: unit-tested under Node.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { fieldSpec } from '../../shared/config';
import type { ConcreteTokenizerName, SideFigures, TokenizerDecision } from '../../shared/dataCard';
import type { TargetUnit } from '../../shared/metrics';
import type { RunDecisions } from '../../shared/protocol';
import { RUN_FILES } from '../../shared/runDir';
import { shapeOfConfigFile } from './shapeInfo';
import { describe, fail, isRecord, isShortString, ok, type Parsed } from '../../shared/validation';
import type { DashboardRunInfo } from '../../shared/webviewProtocol';

const TOKENIZERS: readonly ConcreteTokenizerName[] = ['char', 'word', 'cjk', 'subword'];
const FIGURE_KEYS: ReadonlyArray<keyof SideFigures> = ['alphabetSize', 'meanChars', 'meanWords', 'wordOovRate', 'hanShare', 'wordTypes'];
/** More auto settings than the schema has fields is not something the engine wrote. */
const MAX_SETTINGS = 200;

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function parseTokenizerDecision(x: unknown, where: string): Parsed<TokenizerDecision> {
  if (!isRecord(x)) return fail(`${where} must be an object (got ${describe(x)})`);
  if (!TOKENIZERS.includes(x.tokenizer as ConcreteTokenizerName)) return fail(`${where}.tokenizer must be one of ${TOKENIZERS.join(', ')}`);
  if (typeof x.auto !== 'boolean') return fail(`${where}.auto must be true or false`);
  if (!isShortString(x.reason)) return fail(`${where}.reason must be a string`);
  if (!isRecord(x.figures)) return fail(`${where}.figures must be an object`);
  const figures = {} as SideFigures;
  for (const key of FIGURE_KEYS) {
    const value = x.figures[key];
    // A figure an older engine did not measure reads "—"; one of the wrong type is damage.
    if (value !== undefined && !finite(value)) return fail(`${where}.figures.${key} must be a number`);
    figures[key] = value === undefined ? NaN : value;
  }
  const decision: TokenizerDecision = { tokenizer: x.tokenizer as ConcreteTokenizerName, auto: x.auto, reason: x.reason, figures };
  if (x.subwordVocabSize !== undefined) {
    if (!Number.isSafeInteger(x.subwordVocabSize) || (x.subwordVocabSize as number) < 0) return fail(`${where}.subwordVocabSize must be a whole number`);
    decision.subwordVocabSize = x.subwordVocabSize as number;
  }
  return ok(decision);
}

/**
 * A `RunDecisions` from untrusted JSON (config.json's `decisions`), as a copy holding only the
 * known fields. Settings must name a configuration field; their values are numbers, booleans
 * or short strings.
 */
export function parseRunDecisions(x: unknown): Parsed<RunDecisions> {
  if (!isRecord(x)) return fail(`decisions must be an object (got ${describe(x)})`);
  if (!Array.isArray(x.settings)) return fail('decisions.settings must be an array');
  if (x.settings.length > MAX_SETTINGS) return fail('decisions.settings has too many entries');
  const settings: RunDecisions['settings'] = [];
  for (const [i, s] of x.settings.entries()) {
    const where = `decisions.settings[${i}]`;
    if (!isRecord(s)) return fail(`${where} must be an object`);
    if (typeof s.key !== 'string' || !fieldSpec(s.key)) return fail(`${where}.key must name a setting`);
    const value = s.value;
    if (!(finite(value) || typeof value === 'boolean' || isShortString(value, 256))) return fail(`${where}.value must be a number, boolean or short string`);
    if (!isShortString(s.reason)) return fail(`${where}.reason must be a string`);
    settings.push({ key: s.key as RunDecisions['settings'][number]['key'], value, reason: s.reason });
  }
  const source = parseTokenizerDecision(x.sourceTokenizer, 'decisions.sourceTokenizer');
  if (!source.ok) return source;
  const target = parseTokenizerDecision(x.targetTokenizer, 'decisions.targetTokenizer');
  if (!target.ok) return target;
  return ok({ settings, sourceTokenizer: source.value, targetTokenizer: target.value });
}

/**
 * The dashboard's run info from the parsed config.json and result.json (undefined when a file
 * is missing). `onProblem` hears why a part present in a file was left out.
 */
export function runInfoOf(configFile: unknown, resultFile: unknown, onProblem?: (problem: string) => void): DashboardRunInfo {
  const info: DashboardRunInfo = {};
  const saved = isRecord(configFile) ? configFile : {};
  // Runs from before the data-aware defaults have no decisions: nothing to say, no problem.
  if (saved.decisions !== undefined) {
    const decisions = parseRunDecisions(saved.decisions);
    if (decisions.ok) info.decisions = decisions.value;
    else onProblem?.(`config.json: ${decisions.error}`);
  }
  const unit = isRecord(resultFile) ? resultFile.targetUnit : undefined;
  const task = isRecord(saved.data) ? saved.data.task : undefined;
  const targetUnit: TargetUnit | undefined = unit === 'phoneme' || unit === 'word' ? unit : task === 'g2p' ? 'phoneme' : undefined;
  if (targetUnit) info.targetUnit = targetUnit;
  // Runs before the shapes say none: seq2seq, which is also what the dashboard assumes.
  const shape = shapeOfConfigFile(configFile);
  if (shape !== 'seq2seq') info.shape = shape;
  return info;
}

/** The parsed JSON of `file`; undefined when it does not exist, and when it does not parse (reported). */
async function readJsonIfAny(file: string, onProblem?: (problem: string) => void): Promise<unknown> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem?.(`${file}: ${(error as Error).message}`);
    return undefined;
  }
}

/** What `runDir`'s config.json and result.json say for its dashboard; {} for a run that has neither yet. */
export async function loadRunInfo(runDir: string, onProblem?: (problem: string) => void): Promise<DashboardRunInfo> {
  const [configFile, resultFile] = await Promise.all([
    readJsonIfAny(path.join(runDir, RUN_FILES.config), onProblem),
    readJsonIfAny(path.join(runDir, RUN_FILES.result), onProblem),
  ]);
  return runInfoOf(configFile, resultFile, problem => onProblem?.(`${runDir}: ${problem}`));
}

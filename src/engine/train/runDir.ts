/**
 * The run directory contract (documented in the README):
 *
 *   config.json          { config, data: { task } | { dataPath }, engineVersion }
 *   manifest.json        { format, state, createdAt, updatedAt, backend, step, epoch, best, error? }
 *   metrics.jsonl        one JSON object per evaluation, appended and fsynced
 *   vocab.source.json, vocab.target.json, tokenizers.json (kinds; the subword model's merges)
 *   datacard.json        the dataset card (statistics, tokenizer decisions, warnings) at creation
 *   checkpoints/last.ckpt, checkpoints/best.ckpt
 *   result.json          the final TrainResult (completed or stopped runs)
 *
 * Every JSON file is written atomically; a damaged file is reported with its path.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { RunDecisions, RunState, TrainResult } from '../../shared/protocol';
import type { Seq2SeqConfig } from '../../shared/config';
import { appendLineDurable, readJsonFile, writeFileAtomic } from '../io/atomic';
import { Tokenizer, Vocabulary } from '../data';
import type { DataSource } from './dataset';

export interface RunConfigFile {
  config: Seq2SeqConfig;
  data: DataSource;
  engineVersion: string;
  /** What `auto` decided, with reasons (runs since the data-aware defaults). */
  decisions?: RunDecisions;
}

export interface Manifest {
  format: 1;
  state: RunState;
  createdAt: string;
  updatedAt: string;
  backend: string;
  step: number;
  epoch: number;
  best: { metric: string; value: number; step: number } | null;
  /** pid of the engine process training this run (to tell a live run from an interrupted one) */
  pid?: number;
  error?: string;
}

export class RunDirectory {
  constructor(readonly dir: string) {}

  get configFile(): string { return path.join(this.dir, 'config.json'); }
  get manifestFile(): string { return path.join(this.dir, 'manifest.json'); }
  get metricsFile(): string { return path.join(this.dir, 'metrics.jsonl'); }
  get resultFile(): string { return path.join(this.dir, 'result.json'); }
  get dataCardFile(): string { return path.join(this.dir, 'datacard.json'); }
  get lastCheckpoint(): string { return path.join(this.dir, 'checkpoints', 'last.ckpt'); }
  get bestCheckpoint(): string { return path.join(this.dir, 'checkpoints', 'best.ckpt'); }

  /**
   * Removes temporary files a killed writer left (`.<name>.<pid>.<random>.tmp`, see
   * io/atomic.ts); called when a run starts or resumes, when no writer of this run is alive.
   */
  removeStaleTempFiles(): void {
    for (const folder of [this.dir, path.join(this.dir, 'checkpoints')]) {
      if (!fs.existsSync(folder)) continue;
      for (const name of fs.readdirSync(folder)) {
        if (/^\..+\.\d+\.[0-9a-f]+\.tmp$/.test(name)) fs.rmSync(path.join(folder, name), { force: true });
      }
    }
  }

  exists(): boolean {
    return fs.existsSync(this.manifestFile);
  }

  create(): void {
    fs.mkdirSync(path.join(this.dir, 'checkpoints'), { recursive: true });
  }

  writeJson(file: string, value: unknown): void {
    writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
  }

  readConfig(): RunConfigFile {
    return readJsonFile<RunConfigFile>(this.configFile, 'run configuration');
  }

  readManifest(): Manifest {
    const manifest = readJsonFile<Manifest>(this.manifestFile, 'run manifest');
    if (manifest?.format !== 1 || typeof manifest.state !== 'string') throw new Error(`${this.manifestFile}: not a run manifest (missing format or state)`);
    return manifest;
  }

  updateManifest(change: Partial<Manifest>): Manifest {
    const now = new Date().toISOString();
    const current: Manifest = this.exists()
      ? this.readManifest()
      : { format: 1, state: 'running', createdAt: now, updatedAt: now, backend: '', step: 0, epoch: 0, best: null };
    const next: Manifest = { ...current, ...change, updatedAt: now };
    this.writeJson(this.manifestFile, next);
    return next;
  }

  appendMetrics(record: Record<string, unknown>): void {
    appendLineDurable(this.metricsFile, JSON.stringify(record));
  }

  /** Evaluation records; a damaged line is reported with its line number, not skipped. */
  readMetrics(): Array<Record<string, unknown>> {
    if (!fs.existsSync(this.metricsFile)) return [];
    const lines = fs.readFileSync(this.metricsFile, 'utf8').split('\n');
    const records: Array<Record<string, unknown>> = [];
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      try {
        records.push(JSON.parse(line));
      } catch {
        throw new Error(`${this.metricsFile}:${i + 1}: not a JSON object`);
      }
    });
    return records;
  }

  /**
   * Drops metric lines after `step` (a resumed run repeats those steps from its last
   * checkpoint); the rewrite is atomic.
   */
  truncateMetricsAfter(step: number): void {
    if (!fs.existsSync(this.metricsFile)) return;
    const kept = this.readMetrics().filter(r => typeof r.step === 'number' && (r.step as number) <= step);
    writeFileAtomic(this.metricsFile, kept.map(r => JSON.stringify(r) + '\n').join(''));
  }

  saveVocabularies(source: Vocabulary, target: Vocabulary, tokenizers: { source: Tokenizer; target: Tokenizer }): void {
    this.writeJson(path.join(this.dir, 'vocab.source.json'), source.toJSON());
    this.writeJson(path.join(this.dir, 'vocab.target.json'), target.toJSON());
    this.writeJson(path.join(this.dir, 'tokenizers.json'), { source: tokenizers.source.toJSON(), target: tokenizers.target.toJSON() });
  }

  /** The saved vocabularies and tokenizers (`lowercase` is the run's setting). */
  loadVocabularies(lowercase: boolean): { source: Vocabulary; target: Vocabulary; tokenizers: { source: Tokenizer; target: Tokenizer } } {
    const load = (name: string) => {
      const file = path.join(this.dir, name);
      try {
        return Vocabulary.fromJSON(readJsonFile<unknown>(file, 'vocabulary'));
      } catch (error) {
        const message = (error as Error).message;
        throw new Error(message.includes(file) ? message : `${file}: ${message}`);
      }
    };
    return {
      source: load('vocab.source.json'),
      target: load('vocab.target.json'),
      tokenizers: this.loadTokenizers(lowercase),
    };
  }

  private loadTokenizers(lowercase: boolean): { source: Tokenizer; target: Tokenizer } {
    const file = path.join(this.dir, 'tokenizers.json');
    const saved = readJsonFile<{ source?: unknown; target?: unknown }>(file, 'tokenizer settings');
    try {
      return { source: Tokenizer.fromJSON(saved?.source, lowercase), target: Tokenizer.fromJSON(saved?.target, lowercase) };
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
  }

  writeResult(result: TrainResult): void {
    this.writeJson(this.resultFile, result);
  }
}

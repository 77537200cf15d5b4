/**
 * The engine's side of the run directory contract (src/shared/runDir.ts: file names, manifest,
 * config file, metrics line): creating, updating and reading a run's files.
 *
 * Every JSON file is written atomically; a damaged file is reported with its path.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { TrainResult } from '../../shared/protocol';
import { forEachMetricsLine, type Manifest, type MetricsLine, RUN_FILES, type RunConfigFile } from '../../shared/runDir';
import { appendLineDurable, readJsonFile, writeFileAtomic } from '../../shared/io/atomic';
import { Tokenizer, Vocabulary } from '../data';

export class RunDirectory {
  constructor(readonly dir: string) {}

  get configFile(): string { return path.join(this.dir, RUN_FILES.config); }
  get manifestFile(): string { return path.join(this.dir, RUN_FILES.manifest); }
  get metricsFile(): string { return path.join(this.dir, RUN_FILES.metrics); }
  get resultFile(): string { return path.join(this.dir, RUN_FILES.result); }
  get dataCardFile(): string { return path.join(this.dir, RUN_FILES.dataCard); }
  get lastCheckpoint(): string { return path.join(this.dir, RUN_FILES.checkpoints, RUN_FILES.lastCheckpoint); }
  get bestCheckpoint(): string { return path.join(this.dir, RUN_FILES.checkpoints, RUN_FILES.bestCheckpoint); }

  /**
   * Removes temporary files a killed writer left (`.<name>.<pid>.<random>.tmp`, see
   * io/atomic.ts); called when a run starts or resumes, when no writer of this run is alive.
   */
  removeStaleTempFiles(): void {
    for (const folder of [this.dir, path.join(this.dir, RUN_FILES.checkpoints)]) {
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
    fs.mkdirSync(path.join(this.dir, RUN_FILES.checkpoints), { recursive: true });
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

  appendMetrics(record: MetricsLine): void {
    appendLineDurable(this.metricsFile, JSON.stringify(record));
  }

  /** Evaluation records; a damaged line is reported with its line number, not skipped. */
  readMetrics(): Array<Record<string, unknown>> {
    if (!fs.existsSync(this.metricsFile)) return [];
    const records: Array<Record<string, unknown>> = [];
    forEachMetricsLine(fs.readFileSync(this.metricsFile, 'utf8'), (line, reason) => {
      throw new Error(`${this.metricsFile}:${line}: ${reason}`);
    }, record => records.push(record as Record<string, unknown>));
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
    this.writeJson(path.join(this.dir, RUN_FILES.sourceVocabulary), source.toJSON());
    this.writeJson(path.join(this.dir, RUN_FILES.targetVocabulary), target.toJSON());
    this.writeJson(path.join(this.dir, RUN_FILES.tokenizers), { source: tokenizers.source.toJSON(), target: tokenizers.target.toJSON() });
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
      source: load(RUN_FILES.sourceVocabulary),
      target: load(RUN_FILES.targetVocabulary),
      tokenizers: this.loadTokenizers(lowercase),
    };
  }

  private loadTokenizers(lowercase: boolean): { source: Tokenizer; target: Tokenizer } {
    const file = path.join(this.dir, RUN_FILES.tokenizers);
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

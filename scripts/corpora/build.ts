/**
 * Writes the corpora as TSV files:
 *   npx tsx scripts/corpora/build.ts --out DIR [--small] [--corpus NAME …]
 * One file per corpus, DIR/<name>.tsv; prints each one's line count, origin and a few examples.
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { CORPORA, corpusSpec, type CorpusSpec } from './index';
import { writeTsv } from './tsv';

export interface WrittenCorpus {
  spec: CorpusSpec;
  file: string;
  lines: number;
  origin: string;
}

/** Builds and writes the named corpora (all by default) into `outDir`. */
export function buildCorpora(outDir: string, options: { small?: boolean; names?: string[]; log?: (line: string) => void } = {}): WrittenCorpus[] {
  const specs = options.names?.length ? options.names.map(corpusSpec) : [...CORPORA];
  return specs.map(spec => {
    const { pairs, origin } = spec.build(!!options.small);
    const file = writeTsv(path.join(outDir, `${spec.name}.tsv`), pairs, spec.tsv);
    if (options.log) {
      options.log(`${spec.name}: ${pairs.length} lines → ${file} (${origin})`);
      const step = Math.max(1, Math.floor(pairs.length / 4));
      for (let i = 0; i < Math.min(pairs.length, 4 * step); i += step) options.log(`  ${pairs[i].source}\t→ ${pairs[i].target}`);
    }
    return { spec, file, lines: pairs.length, origin };
  });
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, small: { type: 'boolean', default: false }, corpus: { type: 'string', multiple: true } },
  });
  if (!values.out) {
    console.error(`usage: npx tsx scripts/corpora/build.ts --out DIR [--small] [--corpus NAME …]\ncorpora: ${CORPORA.map(c => `${c.name} (${c.description})`).join('; ')}`);
    process.exit(2);
  }
  buildCorpora(values.out, { small: values.small, names: values.corpus, log: line => console.log(line) });
}

/**
 * Named trainable parameters with seeded initialisation.
 *
 * tfjs registers variables in one global namespace, so two models in one process (tests,
 * a translation while another run trains) would collide; the store gives each variable a
 * process-unique internal name and keeps the stable, human name (`encoder/0/fw/W`) for
 * checkpoints and optimizer state.
 */
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';

let storeCounter = 0;

export class ParamStore {
  private readonly variables = new Map<string, tf.Variable>();
  private readonly prefix = `s2s${++storeCounter}`;
  private readonly rng: seedrandom.PRNG;

  constructor(seed: number) {
    this.rng = seedrandom(`params:${seed}`);
  }

  /** Glorot-uniform weight matrix [fanIn, fanOut]. */
  matrix(name: string, fanIn: number, fanOut: number): tf.Variable {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return this.uniform(name, [fanIn, fanOut], -limit, limit);
  }

  /** Constant-filled vector (biases). */
  vector(name: string, size: number, fill = 0): tf.Variable {
    return this.add(name, tf.fill([size], fill));
  }

  uniform(name: string, shape: number[], min: number, max: number): tf.Variable {
    const seed = Math.floor(this.rng() * 2 ** 31);
    return this.add(name, tf.randomUniform(shape, min, max, 'float32', seed));
  }

  add(name: string, initial: tf.Tensor): tf.Variable {
    if (this.variables.has(name)) throw new Error(`parameter ${name} defined twice`);
    const variable = tf.variable(initial, true, `${this.prefix}/${name}`);
    initial.dispose();
    this.variables.set(name, variable);
    return variable;
  }

  get(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new Error(`no parameter ${name}`);
    return variable;
  }

  names(): string[] {
    return [...this.variables.keys()];
  }

  entries(): Array<[string, tf.Variable]> {
    return [...this.variables.entries()];
  }

  /** Total number of scalars. */
  count(): number {
    let total = 0;
    for (const variable of this.variables.values()) total += variable.size;
    return total;
  }

  dispose(): void {
    for (const variable of this.variables.values()) variable.dispose();
    this.variables.clear();
  }
}

/**
 * The host's handle on the engine child process (dist/engine.js, JSON-RPC over Node IPC).
 *
 * The process starts lazily, on the first request, never on activation: loading TensorFlow.js
 * costs seconds and memory a user who only browses runs should not pay. If it dies, every
 * request in flight is rejected with EngineCrashedError (vscode-jsonrpc alone would leave them
 * pending: a closed reader rejects nothing) and the next request forks a fresh one.
 */
import { ChildProcess, fork } from 'child_process';
import * as vscode from 'vscode';
import { CancellationToken, ErrorCodes, RequestType, ResponseError } from 'vscode-jsonrpc';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, MessageConnection } from 'vscode-jsonrpc/node';
import type { BackendName } from '../../shared/config';
import {
  EngineInfoRequest, EvaluateRequest, HelloRequest, InspectRequest, PredictProgressNotification, PredictRequest, ProgressNotification, TrainRequest, TranslateRequest,
} from '../../shared/protocol';
import { EngineCancelledError, EngineCrashedError, EngineRequestError } from './errors';

/** JSON-RPC's "request cancelled" code (LSP), which a cancelled handler may answer with. */
const REQUEST_CANCELLED = -32800;

export interface EngineClientOptions {
  /** Absolute path of dist/engine.js. */
  enginePath: string;
  /** The engine's stderr and lifecycle go here. */
  log: vscode.LogOutputChannel;
  /** Read at every start, so a settings change applies to the next engine. */
  backend: () => BackendName;
}

export interface EngineExit {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the host stopped it (dispose/restart), false when it died on its own. */
  expected: boolean;
}

/** One running engine process and its connection; replaced wholesale after a crash. */
interface Engine {
  child: ChildProcess;
  connection: MessageConnection;
  /** Rejects with EngineCrashedError when the process exits; never resolves. */
  exited: Promise<never>;
  hello: Promise<HelloRequest.Result>;
  stopping: boolean;
}

export class EngineClient implements vscode.Disposable {
  private engine: Engine | undefined;
  private disposed = false;
  private readonly exitEmitter = new vscode.EventEmitter<EngineExit>();
  private readonly progressEmitter = new vscode.EventEmitter<ProgressNotification.Params>();
  private readonly predictProgressEmitter = new vscode.EventEmitter<PredictProgressNotification.Params>();
  /** Fires whenever an engine process exits, expectedly or not. */
  readonly onDidExit = this.exitEmitter.event;
  /** Progress of the running TrainRequest. */
  readonly onProgress = this.progressEmitter.event;
  /** Progress of PredictRequests that carry a progressId. */
  readonly onPredictProgress = this.predictProgressEmitter.event;

  constructor(private readonly options: EngineClientOptions) {}

  /** pid of the running engine, if one runs (tests kill it to simulate a crash). */
  get pid(): number | undefined {
    return this.engine?.child.pid;
  }

  get running(): boolean {
    return this.engine !== undefined;
  }

  /** Starts the engine if needed and returns its hello (backend, version, tasks). */
  hello(): Promise<HelloRequest.Result> {
    return this.ensure().hello;
  }

  train(params: TrainRequest.Params, token?: CancellationToken): Promise<TrainRequest.Result> {
    return this.request(TrainRequest.type, params, token);
  }

  translate(params: TranslateRequest.Params, token?: CancellationToken): Promise<TranslateRequest.Result> {
    return this.request(TranslateRequest.type, params, token);
  }

  evaluate(params: EvaluateRequest.Params, token?: CancellationToken): Promise<EvaluateRequest.Result> {
    return this.request(EvaluateRequest.type, params, token);
  }

  predict(params: PredictRequest.Params, token?: CancellationToken): Promise<PredictRequest.Result> {
    return this.request(PredictRequest.type, params, token);
  }

  /** The dataset card of a data file or task under a configuration (cancel it when it goes stale). */
  inspect(params: InspectRequest.Params, token?: CancellationToken): Promise<InspectRequest.Result> {
    return this.request(InspectRequest.type, params, token);
  }

  /** What the engine runs on: backend, versions, threads (Show Engine Info). */
  async info(): Promise<EngineInfoRequest.Result> {
    const engine = this.ensure();
    await Promise.race([engine.hello, engine.exited]);
    return this.wrap(EngineInfoRequest.method, engine, engine.connection.sendRequest(EngineInfoRequest.type));
  }

  /** Stops the current engine (if any); the next request starts a fresh one. */
  async restart(): Promise<void> {
    const engine = this.engine;
    if (engine) await this.stop(engine);
  }

  dispose(): void {
    this.disposed = true;
    // The emitters go after the exit, so listeners still hear about this last one.
    const stopped = this.engine ? this.stop(this.engine) : Promise.resolve();
    void stopped.finally(() => {
      this.exitEmitter.dispose();
      this.progressEmitter.dispose();
      this.predictProgressEmitter.dispose();
    });
  }

  private async request<P, R>(type: RequestType<P, R, void>, params: P, token?: CancellationToken): Promise<R> {
    const engine = this.ensure();
    // Hello first: it picks the backend, which every other request relies on.
    await Promise.race([engine.hello, engine.exited]);
    return this.wrap(type.method, engine, engine.connection.sendRequest(type, params, token));
  }

  private async wrap<R>(method: string, engine: Engine, pending: Promise<R>): Promise<R> {
    try {
      return await Promise.race([pending, engine.exited]);
    } catch (e) {
      if (e instanceof EngineCrashedError) throw e;
      // When the process dies, the IPC channel closes and vscode-jsonrpc may reject pending
      // requests ("connection got disposed") a moment before 'exit' is emitted: wait for it.
      if (e instanceof ResponseError && (e.code === ErrorCodes.PendingResponseRejected || e.code === ErrorCodes.ConnectionInactive)) {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([engine.exited, new Promise(resolve => (timer = setTimeout(resolve, 5_000)))]);
        } finally {
          clearTimeout(timer);
        }
        throw new EngineCrashedError(vscode.l10n.t('The engine connection closed.'), null, null);
      }
      if (e instanceof ResponseError) {
        if (e.code === REQUEST_CANCELLED) throw new EngineCancelledError(method);
        throw new EngineRequestError(e.message, e.code, method);
      }
      throw e;
    }
  }

  private ensure(): Engine {
    if (this.disposed) throw new EngineCrashedError(vscode.l10n.t('The engine client was disposed.'), null, null);
    return (this.engine ??= this.start());
  }

  private start(): Engine {
    const log = this.options.log;
    const child = fork(this.options.enginePath, [], {
      // Inside VS Code process.execPath is Electron (or code-server's node): run it as plain Node,
      // without the host's own flags (--inspect would clash on its port).
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      execArgv: [],
      stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
    });
    log.info(`engine: started ${this.options.enginePath} (pid ${child.pid})`);
    const pipeLines = (stream: NodeJS.ReadableStream | null, write: (line: string) => void) => {
      let buffer = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffer += chunk;
        // Progress bars redraw with \r: keep only complete lines.
        const lines = buffer.split(/\r?\n|\r/);
        buffer = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) write(line);
      });
      stream?.on('end', () => buffer.trim() && write(buffer));
    };
    pipeLines(child.stderr, line => log.warn(`engine: ${line}`));
    pipeLines(child.stdout, line => log.info(`engine: ${line}`));

    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onNotification(PredictProgressNotification.type, params => this.predictProgressEmitter.fire(params));
    connection.onNotification(ProgressNotification.type, params =>
      this.progressEmitter.fire(params),
    );
    connection.onError(([error]) => log.error(`engine connection: ${error.message}`));

    let engine!: Engine;
    const exited = new Promise<never>((_, reject) => {
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        const expected = engine.stopping;
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        if (expected) log.info(`engine: pid ${child.pid} ended (${how})`);
        else log.error(`engine: pid ${child.pid} ended unexpectedly (${how})`);
        if (this.engine === engine) this.engine = undefined;
        connection.dispose();
        reject(new EngineCrashedError(vscode.l10n.t('The engine process ended ({0}).', how), code, signal));
        this.exitEmitter.fire({ pid: child.pid, code, signal, expected });
      };
      child.once('exit', onExit);
      child.once('error', error => {
        log.error(`engine: ${error.message}`);
        // A failed spawn emits 'error' without 'exit'.
        if (child.pid === undefined) onExit(null, null);
      });
    });
    // Requests that never start still reject; keep Node from reporting the rejection as unhandled.
    exited.catch(() => undefined);
    connection.listen();
    engine = {
      child,
      connection,
      exited,
      stopping: false,
      hello: undefined as unknown as Promise<HelloRequest.Result>,
    };
    engine.hello = this.wrap(HelloRequest.method, engine, connection.sendRequest(HelloRequest.type, { backend: this.options.backend() }));
    engine.hello.then(
      h => log.info(`engine: ${h.engineVersion} on backend ${h.backend}`),
      e => log.error(`engine: hello failed: ${e instanceof Error ? e.message : String(e)}`),
    );
    return engine;
  }

  private async stop(engine: Engine): Promise<void> {
    engine.stopping = true;
    if (this.engine === engine) this.engine = undefined;
    const gone = engine.exited.catch(() => undefined);
    if (engine.child.exitCode === null && engine.child.signalCode === null) engine.child.kill();
    // An engine busy in a long step may ignore SIGTERM for a while: make sure it goes.
    const timer = setTimeout(() => engine.child.kill('SIGKILL'), 3_000);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * The train form webview. Fields come from CONFIG_FIELDS, grouped; every edit re-validates with
 * the engine's code (model.ts) and shows the errors inline; Start stays disabled while anything
 * is invalid. The host validates `start` again before it runs anything. A chosen data file gets
 * its dataset card (dataCard.ts), asked for again when a data setting changes.
 */
import { PRESETS, type FieldSpec } from '../../src/shared/config';
import type { TaskInfo } from '../../src/shared/protocol';
import type { FormToHostMessage, HostToFormMessage } from '../../src/shared/webviewProtocol';
import { el, showContent } from '../common/dom';
import { t, useL10nBundle } from '../common/l10n';
import { getState, onHostMessage, post, setState } from '../common/vscodeApi';
import { button, checkbox, divider, dropdown, radioGroup, textField, type Control } from './controls';
import { CardRequester, cardRequest, cardSettingsValid } from './dataCard';
import { DataCardView } from './dataCardView';
import { effectiveShape, unusedFields } from './shapeFields';
import {
  GROUPS,
  GROUP_LABELS,
  checkValues,
  datasetError,
  DEFAULT_SWEEP_TEXTS,
  parseSweepExtras,
  wholeNumberIn,
  type SweepTexts,
  fieldsOf,
  matchPreset,
  parseFormState,
  presetConfig,
  rawFromConfig,
  type DataSelection,
  choiceOf,
  selectionOf,
  type RawValues,
} from './model';

const send = (message: FormToHostMessage) => post(message);

interface FieldView {
  spec: FieldSpec;
  control: Control<string> | Control<boolean>;
  error: HTMLElement;
  wrapper: HTMLElement;
  /** Why the field is disabled (the run's shape does not use it); empty while it is enabled. */
  unused: HTMLElement;
}

class TrainForm {
  private readonly fields = new Map<string, FieldView>();
  private raw: RawValues;
  private source: DataSelection;
  private readonly taskNames: string[];
  private readonly tasks: TaskInfo[];
  private hostErrors = new Map<string, string>();
  private starting = false;

  private readonly preset: Control<string>;
  private readonly presetDescription = el('p', { id: 'preset-description', class: 'help' });
  private readonly sourceGroup: Control<string>;
  private readonly task: Control<string>;
  private readonly chooseFile: ReturnType<typeof button>;
  private readonly dataPath = el('span', { id: 'data-path', class: 'path' });
  private readonly datasetMessage = el('p', { id: 'dataset-error', class: 'error', 'aria-live': 'polite' });
  private readonly start: ReturnType<typeof button>;
  private readonly queue: ReturnType<typeof button>;
  private readonly sweepButton: ReturnType<typeof button>;
  private sweepTexts: SweepTexts;
  private readonly sweepExtras: Control<string>;
  private readonly sweepSeeds: Control<string>;
  private readonly sweepRandom: Control<string>;
  private readonly sweepPrune: Control<boolean>;
  private readonly sweepMessage = el('p', { id: 'sweep-message', class: 'help', 'aria-live': 'polite' });
  private readonly summary = el('p', { id: 'summary', role: 'status', 'aria-live': 'polite' });
  private readonly cardView = new DataCardView();
  private readonly card = new CardRequester({
    send,
    schedule: (fn, ms) => {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
    onState: state => this.cardView.show(state),
  });

  constructor(tasks: TaskInfo[], initial: RawValues, source: DataSelection, sweepTexts: SweepTexts) {
    this.raw = initial;
    this.sweepTexts = sweepTexts;
    this.taskNames = tasks.map(t => t.name);
    this.tasks = tasks;
    this.source = source;

    // ---- dataset ----
    this.sourceGroup = radioGroup('source', t('Training data'), [
      ['task', t('Built-in task')],
      ['file', t('File')],
    ]);
    this.task = dropdown(
      'task',
      t('Built-in task'),
      // Task descriptions come from the engine in English; the built-in ones have translations.
      tasks.map(task => [task.name, `${task.name} — ${t(task.description)}`]),
      'dataset-error',
    );
    this.chooseFile = button('choose-file', t('Choose file…'), 'secondary');
    this.chooseFile.onClick(() => {
      this.chooseFile.setDisabled(true);
      send({ type: 'pickDataFile' });
    });
    this.sourceGroup.onChange(() => {
      const kind = this.sourceGroup.get();
      if (kind === 'task' && this.source.kind !== 'task') this.source = { kind: 'task', task: this.task.get() || this.taskNames[0] || '' };
      if (kind === 'file' && this.source.kind !== 'file') this.source = { kind: 'file', path: undefined };
      this.refresh();
    });
    this.task.onChange(() => {
      this.source = { kind: 'task', task: this.task.get() };
      this.refresh();
    });
    const dataset = el(
      'section',
      { class: 'dataset', 'aria-labelledby': 'dataset-heading' },
      el('h2', { id: 'dataset-heading' }, t('Dataset')),
      this.sourceGroup.element,
      el('div', { class: 'row', id: 'task-row' }, el('span', { class: 'row-label', 'aria-hidden': 'true' }, t('Task')), this.task.element),
      el('div', { class: 'row', id: 'file-row' }, this.chooseFile.element, this.dataPath),
      this.datasetMessage,
      this.cardView.element,
    );

    // ---- presets ----
    this.preset = dropdown(
      'preset',
      t('Preset'),
      [['', t('Custom')], ...Object.entries(PRESETS).map(([name, p]) => [name, t(p.label)] as [string, string])],
      'preset-description',
    );
    this.preset.onChange(() => {
      const name = this.preset.get();
      if (!name) return;
      this.raw = rawFromConfig(presetConfig(name));
      this.hostErrors.clear();
      for (const view of this.fields.values()) this.writeControl(view);
      this.refresh();
    });
    const presets = el(
      'section',
      { class: 'presets', 'aria-labelledby': 'preset-heading' },
      el('h2', { id: 'preset-heading' }, t('Preset')),
      el('div', { class: 'row' }, this.preset.element),
      this.presetDescription,
    );

    // ---- fields, one fieldset per group ----
    const groups = GROUPS.map(group => {
      const fieldset = el('fieldset', { class: 'group', id: `group-${group}` }, el('legend', {}, t(GROUP_LABELS[group])));
      const grid = el('div', { class: 'fields' });
      for (const spec of fieldsOf(group)) grid.append(this.buildField(spec));
      fieldset.append(grid);
      return fieldset;
    });

    // ---- sweep: numeric fields take lists and ranges; these take the rest ----
    this.sweepExtras = textField('sweep-extras', t('More values to sweep'), 'sweep-help');
    this.sweepSeeds = textField('sweep-seeds', t('Seeds per setting'), 'sweep-help');
    this.sweepRandom = textField('sweep-random', t('Random samples (0 = every combination)'), 'sweep-help');
    for (const [control, key] of [[this.sweepExtras, 'extras'], [this.sweepSeeds, 'seeds'], [this.sweepRandom, 'random']] as const) {
      control.set(this.sweepTexts[key]);
      control.onChange(() => {
        this.sweepTexts = { ...this.sweepTexts, [key]: control.get() };
        this.hostErrors.delete('');
        this.refresh();
      });
    }
    this.sweepPrune = checkbox('sweep-prune', t('Stop trials worse than the median (median stopping rule)'), 'sweep-prune-help');
    this.sweepPrune.set(this.sweepTexts.prune !== false);
    this.sweepPrune.onChange(() => {
      this.sweepTexts = { ...this.sweepTexts, prune: this.sweepPrune.get() };
      this.refresh();
    });
    const sweepSection = el(
      'fieldset',
      { class: 'group', id: 'group-sweep' },
      el('legend', {}, t('Sweep')),
      el('p', { class: 'help', id: 'sweep-help' }, t('A number field takes a list (64, 128, 256) or a range (1e-4 .. 1e-2, log, 6 values). Choices and on/off settings: key = values, separated by ; (cell = lstm, gru; bidirectional = true, false).')),
      el('div', { class: 'fields' }, this.sweepExtras.element, this.sweepSeeds.element, this.sweepRandom.element),
      this.sweepPrune.element,
      el('p', { class: 'help', id: 'sweep-prune-help' }, t('After 5 trials have completed, a trial whose validation metric at an evaluation is worse than the median of the completed trials at that step is stopped.')),
      this.sweepMessage,
    );

    // ---- start ----
    this.start = button('start', t('Start training'));
    this.start.onClick(() => this.submit('start'));
    this.queue = button('queue', t('Queue'), 'secondary');
    this.queue.onClick(() => this.submit('queue'));
    this.sweepButton = button('sweep', t('Sweep'), 'secondary');
    this.sweepButton.onClick(() => this.submit('sweep'));
    const footer = el('footer', { class: 'actions' }, this.start.element, this.queue.element, this.sweepButton.element, this.summary);

    showContent(el('h1', {}, t('Train a model')), dataset, presets, divider(), ...groups, sweepSection, footer);
    for (const view of this.fields.values()) this.writeControl(view);
    this.sourceGroup.set(this.source.kind);
    if (this.source.kind === 'task' && this.source.task) this.task.set(this.source.task);
    this.refresh(true);
    document.body.dataset.ready = 'true';
  }

  private buildField(spec: FieldSpec): HTMLElement {
    const helpId = `help-${spec.key}`;
    const errorId = `error-${spec.key}`;
    // The schema's English label and help are the keys of their translations.
    const label = t(spec.label);
    const helpText = spec.type === 'int' || spec.type === 'float' ? t('{0} Range {1}–{2}.', t(spec.help), spec.min, spec.max) : t(spec.help);
    const help = el('p', { class: 'help', id: helpId }, helpText);
    const error = el('p', { class: 'error', id: errorId, 'aria-live': 'polite' });
    const unused = el('p', { class: 'help unused', id: `unused-${spec.key}`, hidden: '' });
    let control: Control<string> | Control<boolean>;
    if (spec.type === 'bool') control = checkbox(`field-${spec.key}`, label, helpId);
    // Options are the schema's identifiers (as in the CLI and the help texts), not translated.
    else if (spec.type === 'enum') control = dropdown(`field-${spec.key}`, label, spec.options.map(o => [o, o]), helpId);
    else control = textField(`field-${spec.key}`, label, helpId);
    control.element.dataset.key = spec.key;
    control.onChange(() => {
      this.raw[spec.key] = control.get();
      this.hostErrors.delete(spec.key);
      this.refresh();
    });
    const wrapper = el('div', { class: `field field-${spec.type}`, 'data-field': spec.key });
    if (spec.type === 'enum') wrapper.append(el('span', { class: 'field-label', 'aria-hidden': 'true' }, label));
    wrapper.append(control.element, help, unused, error);
    this.fields.set(spec.key, { spec, control, error, wrapper, unused });
    return wrapper;
  }

  private writeControl(view: FieldView): void {
    (view.control as Control<string | boolean>).set(this.raw[view.spec.key]);
  }

  /**
   * Re-validates everything and updates errors, the preset, the dataset row and Start, and asks
   * for the dataset card again when its data or settings changed (`dataChosen`: at once).
   */
  private refresh(dataChosen = false): void {
    const check = checkValues(this.raw);
    if (cardSettingsValid(check)) this.card.update(cardRequest(this.source, check.config), dataChosen);
    const { errors } = check;
    for (const [key, message] of this.hostErrors) if (!errors.has(key)) errors.set(key, message);
    for (const [key, view] of this.fields) {
      const message = errors.get(key);
      view.error.textContent = message ?? '';
      view.control.setInvalid(message !== undefined);
    }
    this.applyShape(errors);
    const preset = matchPreset(this.raw);
    if (this.preset.get() !== preset) this.preset.set(preset);
    this.presetDescription.textContent = preset ? t(PRESETS[preset].description) : t('Your own settings.');

    const isTask = this.source.kind === 'task';
    this.task.setDisabled(!isTask || !this.taskNames.length);
    this.dataPath.textContent = this.source.kind === 'file' ? this.source.path ?? t('No file chosen') : '';
    const dataProblem = datasetError(this.source, this.taskNames) ?? this.hostErrors.get('task');
    this.datasetMessage.textContent = dataProblem ?? '';

    const otherHostErrors = this.hostErrors.get('');
    const problems = errors.size + (dataProblem ? 1 : 0);
    const sweep = this.sweepPlan(check.sweep);
    const swept = Object.keys(sweep.values).length > 0 || sweep.seeds > 1;
    this.sweepMessage.textContent = sweep.error ?? (swept ? t('Sweep over {0} with {1} seed(s) per setting.', Object.keys(sweep.values).join(', ') || t('seeds'), sweep.seeds) : '');
    this.sweepMessage.classList.toggle('error', sweep.error !== undefined);
    // A field with several values is a sweep: Start and Queue take one value per field.
    this.start.setDisabled(problems > 0 || this.starting || swept);
    this.queue.setDisabled(problems > 0 || this.starting || swept);
    this.sweepButton.setDisabled(problems > 0 || this.starting || !swept || sweep.error !== undefined);
    this.start.element.setAttribute('aria-describedby', 'summary');
    if (this.starting) this.summary.textContent = t('Starting…');
    else if (otherHostErrors) this.summary.textContent = otherHostErrors;
    else if (problems) this.summary.textContent = problems === 1 ? t('1 problem to fix before training.') : t('{0} problems to fix before training.', problems);
    else this.summary.textContent = t('Ready to train.');
    this.summary.classList.toggle('error', problems > 0 || otherHostErrors !== undefined);
    setState({ raw: this.raw, source: this.source, sweep: this.sweepTexts });
  }

  /** Disables the fields the chosen shape does not use (unless invalid), each with a tooltip and a described line saying why. */
  private applyShape(errors: ReadonlyMap<string, string>): void {
    // auto: the chosen task's shape, or what the dataset card of the chosen file decided.
    const task = this.source.kind === 'task' ? this.tasks.find(x => x.name === (this.source as { task: string }).task) : undefined;
    const card = this.source.kind === 'file' && this.card.current.kind === 'ready' ? this.card.current.card : undefined;
    const unused = unusedFields(effectiveShape(this.raw.shape, task?.shape ?? card?.shape?.shape), errors);
    for (const [key, view] of this.fields) {
      const reason = unused.get(key);
      const text = reason === undefined ? '' : t(reason);
      view.control.setDisabled(reason !== undefined);
      view.wrapper.classList.toggle('disabled', reason !== undefined);
      if (reason === undefined) view.wrapper.removeAttribute('title');
      else view.wrapper.title = text;
      view.unused.textContent = text;
      view.unused.hidden = reason === undefined;
      const describedBy = [`help-${key}`, ...(reason === undefined ? [] : [`unused-${key}`])].join(' ');
      view.control.element.setAttribute('aria-describedby', describedBy);
    }
  }

  /** The sweep the fields and the sweep section describe (values: setting → sweep text). */
  private sweepPlan(fromFields: Record<string, string>): { values: Record<string, string>; seeds: number; random: number; error?: string } {
    const extras = parseSweepExtras(this.sweepTexts.extras);
    const seeds = wholeNumberIn(this.sweepTexts.seeds, 1, 100);
    const random = wholeNumberIn(this.sweepTexts.random, 0, 500);
    const error = extras.error
      ?? (seeds === undefined ? t('Seeds per setting must be a whole number from 1 to 100.') : undefined)
      ?? (random === undefined ? t('Random samples must be a whole number from 0 to 500.') : undefined);
    return { values: { ...fromFields, ...extras.values }, seeds: seeds ?? 1, random: random ?? 0, error };
  }

  private submit(action: 'start' | 'queue' | 'sweep'): void {
    const check = checkValues(this.raw);
    if (check.errors.size || datasetError(this.source, this.taskNames)) return this.refresh();
    const dataset = choiceOf(this.source);
    if (!dataset) return this.refresh();
    if (action === 'sweep') {
      const { values, seeds, random, error } = this.sweepPlan(check.sweep);
      if (error) return this.refresh();
      // Swept fields carry their sweep text; the config holds the settings every trial shares.
      const config = { ...check.config };
      for (const key of Object.keys(values)) delete (config as Record<string, unknown>)[key];
      this.starting = true;
      this.refresh();
      send({ type: 'queue', config, ...dataset, sweep: { values, seeds, random, prune: this.sweepTexts.prune !== false } });
      return;
    }
    this.starting = true;
    this.refresh();
    send({ type: action, config: check.config, ...dataset });
  }

  onHost(message: HostToFormMessage): void {
    switch (message.type) {
      case 'dataFile':
        this.chooseFile.setDisabled(false);
        if (message.path) {
          this.source = { kind: 'file', path: message.path };
          this.sourceGroup.set('file');
        }
        this.refresh(true);
        return;
      case 'dataCard':
      case 'dataCardFailed':
        // The card says which shape `auto` trains on the file: the fields follow it.
        if (this.card.receive(message)) this.refresh();
        return;
      case 'startRejected':
        this.starting = false;
        this.hostErrors = new Map(message.errors.map(e => [e.key, e.message]));
        this.refresh();
        return;
      case 'started':
        this.starting = false;
        this.refresh();
        this.summary.textContent = t('Training started: the dashboard shows its progress.');
        return;
      case 'queued':
        this.starting = false;
        this.refresh();
        this.summary.textContent = message.count === 1
          ? t('Queued: {0} run(s) waiting in the Queue view.', message.waiting)
          : t('Queued {0} runs: {1} run(s) waiting in the Queue view.', message.count, message.waiting);
        return;
      case 'init':
        return; // the form is built once; a re-sent init is ignored
    }
  }
}

let form: TrainForm | undefined;
onHostMessage<HostToFormMessage>(message => {
  if (message.type === 'init') {
    if (form) return;
    // Before anything is rendered: every string below goes through t().
    useL10nBundle(message.l10n);
    const tasks = Array.isArray(message.tasks) ? message.tasks : [];
    const saved = parseFormState(getState());
    const data = message.data;
    const prefilled = data && selectionOf(data);
    const source: DataSelection = saved?.source ?? prefilled ?? (tasks.length ? { kind: 'task', task: tasks[0].name } : { kind: 'file', path: undefined });
    const initial = saved?.raw ?? rawFromConfig(message.initial ?? {});
    form = new TrainForm(tasks, initial, source, saved?.sweep ?? { ...DEFAULT_SWEEP_TEXTS });
    return;
  }
  form?.onHost(message);
});
send({ type: 'ready' });

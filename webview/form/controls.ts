/**
 * Every use of @vscode/webview-ui-toolkit lives in this file (its upstream was archived in
 * 2025): swapping it for @vscode-elements/elements means rewriting these factories only.
 * Each control gets an accessible name (slotted label text, or aria-label where the component
 * has no label slot).
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeRadio,
  vsCodeRadioGroup,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(
  vsCodeButton(),
  vsCodeCheckbox(),
  vsCodeDivider(),
  vsCodeDropdown(),
  vsCodeOption(),
  vsCodeProgressRing(),
  vsCodeRadio(),
  vsCodeRadioGroup(),
  vsCodeTextField(),
);

/** The value-holding surface the form needs from any control. */
export interface Control<T> {
  element: HTMLElement;
  get(): T;
  set(value: T): void;
  setDisabled(disabled: boolean): void;
  setInvalid(invalid: boolean): void;
  onChange(fn: () => void): void;
}

function base(element: HTMLElement) {
  return {
    element,
    setDisabled(disabled: boolean) {
      (element as unknown as { disabled: boolean }).disabled = disabled;
    },
    setInvalid(invalid: boolean) {
      element.setAttribute('aria-invalid', String(invalid));
      element.classList.toggle('invalid', invalid);
    },
  };
}

/** A single-line text field (numbers are typed as text and parsed by the form model). */
export function textField(id: string, label: string, describedBy?: string): Control<string> {
  const element = document.createElement('vscode-text-field');
  element.id = id;
  element.textContent = label;
  if (describedBy) element.setAttribute('aria-describedby', describedBy);
  const field = element as unknown as { value: string };
  return {
    ...base(element),
    get: () => field.value,
    set: value => (field.value = value),
    onChange: fn => element.addEventListener('input', fn),
  };
}

export function checkbox(id: string, label: string, describedBy?: string): Control<boolean> {
  const element = document.createElement('vscode-checkbox');
  element.id = id;
  element.textContent = label;
  if (describedBy) element.setAttribute('aria-describedby', describedBy);
  const box = element as unknown as { checked: boolean };
  return {
    ...base(element),
    get: () => box.checked,
    set: value => (box.checked = value),
    onChange: fn => element.addEventListener('change', fn),
  };
}

/** A dropdown; `options` are [value, text]. Its accessible name is `label` (aria-label). */
export function dropdown(id: string, label: string, options: Array<[string, string]>, describedBy?: string): Control<string> {
  const element = document.createElement('vscode-dropdown');
  element.id = id;
  element.setAttribute('aria-label', label);
  if (describedBy) element.setAttribute('aria-describedby', describedBy);
  for (const [value, text] of options) {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', value);
    option.textContent = text;
    element.append(option);
  }
  const select = element as unknown as { value: string };
  return {
    ...base(element),
    get: () => select.value,
    set: value => (select.value = value),
    onChange: fn => element.addEventListener('change', fn),
  };
}

/** A radio group with a visible label; `options` are [value, text]. */
export function radioGroup(id: string, label: string, options: Array<[string, string]>): Control<string> {
  const element = document.createElement('vscode-radio-group');
  element.id = id;
  element.setAttribute('orientation', 'horizontal');
  const caption = document.createElement('label');
  caption.slot = 'label';
  caption.textContent = label;
  element.append(caption);
  for (const [value, text] of options) {
    const radio = document.createElement('vscode-radio');
    radio.setAttribute('value', value);
    radio.textContent = text;
    element.append(radio);
  }
  const group = element as unknown as { value: string };
  return {
    ...base(element),
    get: () => group.value,
    set: value => (group.value = value),
    onChange: fn => element.addEventListener('change', fn),
  };
}

export function button(id: string, text: string, appearance: 'primary' | 'secondary' = 'primary'): Control<void> & { onClick(fn: () => void): void } {
  const element = document.createElement('vscode-button');
  element.id = id;
  element.textContent = text;
  element.setAttribute('appearance', appearance);
  return {
    ...base(element),
    get: () => undefined,
    set: () => undefined,
    onChange: () => undefined,
    onClick: fn => element.addEventListener('click', () => {
      if (!(element as unknown as { disabled: boolean }).disabled) fn();
    }),
  };
}

export function divider(): HTMLElement {
  return document.createElement('vscode-divider');
}

/** An indeterminate progress ring (decorative: the status text next to it says what is going on). */
export function progressRing(): HTMLElement {
  const element = document.createElement('vscode-progress-ring');
  element.setAttribute('aria-hidden', 'true');
  return element;
}

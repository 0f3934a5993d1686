// Labelled form controls with an inline error slot, wired for screen readers (aria-describedby, aria-invalid).
import { createElement, setText } from '../domElement';

export interface Field<E extends HTMLElement> {
  readonly wrapper: HTMLElement;
  readonly control: E;
  readonly error: HTMLElement;
}

/** A label, a control and the error shown next to it; `hint` is read with the control. */
export function field<E extends HTMLInputElement | HTMLSelectElement>(id: string, label: string, control: E, hint?: string): Field<E> {
  control.id = id;
  const wrapper = createElement('div', 'form-field');
  const labelElement = createElement('label', 'form-label', label);
  labelElement.htmlFor = id;
  const error = createElement('span', 'form-error');
  error.id = `${id}-error`;
  error.setAttribute('aria-live', 'polite');
  const described = [error.id];
  wrapper.append(labelElement, control);
  if (hint) {
    const hintElement = createElement('span', 'form-hint', hint);
    hintElement.id = `${id}-hint`;
    described.push(hintElement.id);
    wrapper.append(hintElement);
  }
  wrapper.append(error);
  control.setAttribute('aria-describedby', described.join(' '));
  return { wrapper, control, error };
}

export function textInput(placeholder = ''): HTMLInputElement {
  const input = createElement('input', 'form-input');
  input.type = 'text';
  input.placeholder = placeholder;
  input.spellcheck = false;
  input.autocomplete = 'off';
  return input;
}

export function showFieldError(f: Field<HTMLElement>, message: string | undefined): void {
  setText(f.error, message ?? '');
  if (message) f.control.setAttribute('aria-invalid', 'true');
  else f.control.removeAttribute('aria-invalid');
}

/** A fieldset of radio buttons sharing `name`; returns the inputs by value. */
export function radioGroup<V extends string>(name: string, legend: string, options: readonly { value: V; label: string }[]): { element: HTMLFieldSetElement; inputs: Map<V, HTMLInputElement> } {
  const element = createElement('fieldset', 'form-radios');
  element.append(createElement('legend', 'form-legend', legend));
  const inputs = new Map<V, HTMLInputElement>();
  for (const o of options) {
    const input = createElement('input');
    input.type = 'radio';
    input.name = name;
    input.value = o.value;
    input.id = `${name}-${o.value}`;
    const label = createElement('label', 'form-radio');
    label.append(input, ` ${o.label}`);
    element.append(label);
    inputs.set(o.value, input);
  }
  return { element, inputs };
}

export function selectedRadio<V extends string>(inputs: Map<V, HTMLInputElement>, fallback: V): V {
  for (const [value, input] of inputs) if (input.checked) return value;
  return fallback;
}

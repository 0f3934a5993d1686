// The launch form's "Run on" choice: this machine, or one of the configured Dagster deployments.
import type { LaunchDeploymentChoice } from '../../shared/launchPanelModel';
import { createElement } from '../domElement';
import { field, type Field } from './formControls';

export const THIS_MACHINE_LABEL = 'This machine';

export class RunOnField {
  private readonly f: Field<HTMLSelectElement> = field('run-on', 'Run on', createElement('select', 'form-input'), 'This machine runs the backfill here; a deployment runs it with its own daemon and run launcher');
  readonly wrapper = this.f.wrapper;
  readonly error = this.f.error;
  readonly field: Field<HTMLElement> = this.f;

  /** Lists this machine and `deployments`; a `value` no longer configured stays listed (marked) so the host can say so. */
  setChoices(deployments: readonly LaunchDeploymentChoice[], value: string): void {
    const options = [{ value: '', label: THIS_MACHINE_LABEL }, ...deployments.map((d) => ({ value: d.name, label: `${d.name} (${d.kind === 'dagster-plus' ? 'Dagster+' : 'Dagster'} · ${d.url})` }))];
    if (value !== '' && !deployments.some((d) => d.name === value)) options.push({ value, label: `${value} (not configured)` });
    this.f.control.replaceChildren(...options.map((o) => {
      const option = createElement('option', undefined, o.label);
      option.value = o.value;
      return option;
    }));
    this.f.control.value = value;
    // With nothing configured there is nothing to choose: the field says where deployments are added instead.
    this.f.control.disabled = options.length === 1;
    this.f.control.title = options.length === 1 ? 'Add a deployment with "Backfill Studio: Add Dagster Deployment…" to run there' : '';
  }

  get value(): string {
    return this.f.control.value;
  }

  set value(v: string) {
    this.f.control.value = v;
  }
}

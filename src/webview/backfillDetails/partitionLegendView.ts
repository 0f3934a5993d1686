// The colour key under the partitions heading: one swatch per partition status.
import { createElement } from '../domElement';
import { PARTITION_STATUS_LABELS, PARTITION_STATUS_ORDER } from './partitionStatusLabels';

export function createPartitionLegend(): HTMLElement {
  const legend = createElement('ul', 'partition-legend');
  legend.setAttribute('aria-label', 'Partition status colours');
  for (const status of PARTITION_STATUS_ORDER) {
    const item = createElement('li', 'partition-legend-item');
    const swatch = createElement('span', 'partition-cell');
    swatch.dataset.status = status;
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, createElement('span', undefined, PARTITION_STATUS_LABELS[status]));
    legend.append(item);
  }
  return legend;
}

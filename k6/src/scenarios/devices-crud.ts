/** k6 scenario: the `devices-crud` workload (see libs/load-profiles/src/workloads.ts). */
import { createScript } from '../script';

const script = createScript(__ENV, 'devices-crud');
export const options = script.options;
export const setup = () => script.setup();
export default () => script.iteration();

/** k6 scenario: the `iot-create` workload (see libs/load-profiles/src/workloads.ts). */
import { createScript } from '../script';

const script = createScript(__ENV, 'iot-create');
export const options = script.options;
export const setup = () => script.setup();
export default () => script.iteration();

/** k6 scenario: the `iot-list` workload (see libs/load-profiles/src/workloads.ts). */
import { createScript } from '../script';

const script = createScript(__ENV, 'iot-list');
export const options = script.options;
export const setup = () => script.setup();
export default () => script.iteration();

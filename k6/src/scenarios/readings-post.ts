/** k6 scenario: the `readings-post` workload (see libs/load-profiles/src/workloads.ts). */
import { createScript } from '../script';

const script = createScript(__ENV, 'readings-post');
export const options = script.options;
export const setup = () => script.setup();
export default () => script.iteration();

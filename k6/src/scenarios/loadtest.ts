/** k6 scenario chosen at run time: `k6 run -e WORKLOAD=iot-list -e PROFILE=... loadtest.js`. */
import { createScript } from '../script';

const script = createScript(__ENV);
export const options = script.options;
export const setup = () => script.setup();
export default () => script.iteration();

// RentGuy's frontend in a browser (the browser suite: `cutover run --suite browser`).
import { waveBrowserGate } from './wave.js';

export default waveBrowserGate('rentguy', 'the RentGuy frontend looks, logs, loads and reads as on Compose');

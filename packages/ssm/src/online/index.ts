// @kiln/ssm/online: the model's recurrent form for online recommendations (docs/adr/0021), with no
// TensorFlow.js (the API loads it).
export { decodeWeights } from '../model/weights-codec.js';
export type { Mamba4RecConfig } from '../model/config.js';
export { type OnlineDims, onlineDims } from './layout.js';
export { ReferenceStepper } from './reference.js';
export { decodeState, encodeState, fromHalf, type OnlineState, primedState, type StatePrecision, toHalf, withSeen } from './state-codec.js';
export { createStepper, type OnlineStepper, type StepperOptions } from './stepper.js';
export { type TopK, topK } from '../top-k.js';

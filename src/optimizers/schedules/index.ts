/** keras.optimizers.schedules: learning rate schedules and their (de)serialization. */
import {
  deserializeKerasObject, isSerializedObject, serializeKerasObject, type SerializableClass, type SerializedObject,
} from '../../saving/serialization_lib.js';
import { ExponentialDecay } from './exponential_decay.js';
import type { LearningRateSchedule } from './learning_rate_schedule.js';

export { ExponentialDecay } from './exponential_decay.js';
export type { ExponentialDecayConfig, ExponentialDecayOptions } from './exponential_decay.js';
export { LearningRateSchedule } from './learning_rate_schedule.js';

const SCHEDULES = new Map<string, SerializableClass<LearningRateSchedule>>([[ExponentialDecay.className, ExponentialDecay]]);

/** Serializes a `LearningRateSchedule` into Keras's `{module, class_name, config, registered_name}` form. */
export function serialize(schedule: LearningRateSchedule): SerializedObject {
  return serializeKerasObject(schedule, 'keras.optimizers.schedules');
}

/** Rebuilds a `LearningRateSchedule` from its serialized form. */
export function deserialize(config: SerializedObject): LearningRateSchedule {
  if (!isSerializedObject(config)) {
    throw new Error(`Could not interpret learning rate schedule: expected {class_name, config}, received ${JSON.stringify(config)}`);
  }
  return deserializeKerasObject(config, SCHEDULES, 'learning rate schedule');
}

/**
 * The optimizer base class. Mirrors keras/src/optimizers/base_optimizer.py (BaseOptimizer) and
 * keras/src/optimizers/optimizer.py, without the backend-specific subclasses.
 */
import { noGrad } from '../backend/tape.js';
import { formatShape, type DType, type Shape, type Tensor } from '../backend/tensor.js';
import { Variable } from '../backend/variable.js';
import { cast, convertToTensor, full, reshape, zerosLike } from '../ops/core.js';
import {
  add, clip, concatenate, divide, floor, maximum, minimum, multiply, notEqual, sqrt, square, subtract, sum,
} from '../ops/numpy.js';
import { isSerializedObject, type Config, type SerializedObject } from '../saving/serialization_lib.js';
import { camelKeys, toSnakeCase, uniquify } from '../utils/naming.js';
import { deserialize as deserializeSchedule, serialize as serializeSchedule } from './schedules/index.js';
import { LearningRateSchedule } from './schedules/learning_rate_schedule.js';

/** A constant learning rate or a schedule evaluated at each step. */
export type LearningRate = number | LearningRateSchedule;

/** The options every optimizer accepts (Keras's base_optimizer keyword arguments, in camelCase). */
export interface OptimizerOptions {
  /** A float or a `LearningRateSchedule`. The default depends on the optimizer. */
  learningRate?: LearningRate;
  /** If set, decoupled weight decay is applied before each update. */
  weightDecay?: number | null;
  /** If set, the gradient of each weight is clipped so that its norm is no higher than this value. */
  clipnorm?: number | null;
  /** If set, the gradient of each weight is clipped to be no higher than this value. */
  clipvalue?: number | null;
  /** If set, the gradients of all weights are clipped so that their global norm is no higher than this value. */
  globalClipnorm?: number | null;
  /** If true, an exponential moving average of the weights is kept (and may overwrite them). */
  useEma?: boolean;
  /** EMA momentum: `average = emaMomentum * average + (1 - emaMomentum) * weight`. */
  emaMomentum?: number;
  /** Every this many steps the weights are overwritten by their moving average (null: only at the end). */
  emaOverwriteFrequency?: number | null;
  /** If set, gradients are divided by this factor before use (see `scaleLoss`). */
  lossScaleFactor?: number | null;
  /** If set (>= 2), weights are updated every this many steps with the mean of the accumulated gradients. */
  gradientAccumulationSteps?: number | null;
  /** Name of the optimizer; defaults to the snake_case class name made unique ('adam', 'adam_1', ...). */
  name?: string | null;
}

/** The config Keras writes for every optimizer, keys in Keras's order. */
export interface OptimizerConfig extends Config {
  name: string;
  learning_rate: number | SerializedObject;
  weight_decay: number | null;
  clipnorm: number | null;
  global_clipnorm: number | null;
  clipvalue: number | null;
  use_ema: boolean;
  ema_momentum: number;
  ema_overwrite_frequency: number | null;
  loss_scale_factor: number | null;
  gradient_accumulation_steps: number | null;
}

const BASE_OPTIONS: readonly (keyof OptimizerOptions)[] = [
  'learningRate', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm', 'useEma', 'emaMomentum',
  'emaOverwriteFrequency', 'lossScaleFactor', 'gradientAccumulationSteps', 'name',
];

/**
 * Abstract optimizer base class.
 *
 * To write an optimizer, subclass it and override:
 *
 * - `build(variables)`: call `super.build(variables)`, then create the slot variables (momentums,
 *   ...) with `addOptimizerVariables`.
 * - `updateStep(gradient, variable, learningRate)`: update one variable and its slots.
 * - `getConfig()`: add the optimizer's hyperparameters to `super.getConfig()`.
 *
 * `applyGradients` (or `apply`) runs Keras's sequence: drop missing gradients, unscale them by
 * `lossScaleFactor`, accumulate them if asked, clip them (clipnorm, globalClipnorm or clipvalue),
 * apply decoupled weight decay, call `updateStep` for each variable, update the moving averages,
 * then add 1 to the iteration counter.
 */
export abstract class Optimizer {
  static readonly className: string = 'Optimizer';
  readonly name: string;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  readonly lossScaleFactor: number | null;
  readonly gradientAccumulationSteps: number | null;
  built = false;

  /** Every optimizer variable, in creation order (Keras's `_variables`). */
  private readonly tracked: Variable[] = [];
  private readonly iterationCounter: Variable;
  private lr: Variable | LearningRateSchedule;
  private trainableVariables: Variable[] = [];
  private readonly indices = new Map<Variable, number>();
  private averages: Variable[] = [];
  private gradientAccumulators: Variable[] = [];
  private excludedVariables = new Set<Variable>();
  private excludedNames: RegExp | null = null;

  /**
   * Args:
   *   options: the base options and the subclass's own.
   *   defaultLearningRate: the subclass's default, used when `options.learningRate` is unset.
   *   ownOptions: the subclass's own option names, so that unknown ones are rejected.
   */
  protected constructor(options: OptimizerOptions, defaultLearningRate: number, ownOptions: readonly string[]) {
    const cls = new.target as unknown as typeof Optimizer;
    const unknown = Object.entries(options).filter(([k, v]) => v !== undefined &&
      !(BASE_OPTIONS as readonly string[]).includes(k) && !ownOptions.includes(k));
    if (unknown.length > 0) {
      throw new Error(`${cls.className}: Argument(s) not recognized: ${JSON.stringify(Object.fromEntries(unknown))}`);
    }
    // Keras: base_optimizer.py weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
    // use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
    // gradient_accumulation_steps=None, name=None (auto-named from the class)
    this.name = options.name ?? uniquify(toSnakeCase(cls.className));
    this.weightDecay = options.weightDecay ?? null;
    this.clipnorm = options.clipnorm ?? null;
    this.clipvalue = options.clipvalue ?? null;
    this.globalClipnorm = options.globalClipnorm ?? null;
    this.useEma = options.useEma ?? false;
    this.emaMomentum = options.emaMomentum ?? 0.99;
    this.emaOverwriteFrequency = options.emaOverwriteFrequency ?? null;
    this.lossScaleFactor = options.lossScaleFactor ?? null;
    this.gradientAccumulationSteps = options.gradientAccumulationSteps ?? null;
    this.validateBaseOptions();

    this.iterationCounter = this.addVariable([], 'iteration', 0, 'int32');
    const learningRate = options.learningRate ?? defaultLearningRate;
    if (learningRate instanceof LearningRateSchedule) {
      this.lr = learningRate;
    } else {
      this.checkLearningRate(learningRate);
      this.lr = this.addVariable([], 'learning_rate', learningRate);
    }
  }

  private validateBaseOptions(): void {
    const steps = this.gradientAccumulationSteps;
    if (steps !== null && !(Number.isInteger(steps) && steps >= 2)) {
      this.fail(`\`gradient_accumulation_steps\` must be an integer >= 2. Received: gradient_accumulation_steps=${steps}`);
    }
    if (this.useEma) {
      if (!(this.emaMomentum >= 0 && this.emaMomentum <= 1)) {
        this.fail(`\`ema_momentum\` must be in the range [0, 1]. Received: ema_momentum=${this.emaMomentum}`);
      }
      const frequency = this.emaOverwriteFrequency;
      if (frequency !== null && !(Number.isInteger(frequency) && frequency >= 1)) {
        this.fail('`ema_overwrite_frequency` must be an integer >= 1 or None. ' +
          `Received: ema_overwrite_frequency=${frequency}`);
      }
    }
    const clips = [this.clipnorm, this.clipvalue, this.globalClipnorm];
    if (clips.filter((c) => c !== null).length > 1) {
      this.fail('Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: ' +
        `clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, global_clipnorm=${this.globalClipnorm}`);
    }
  }

  private checkLearningRate(value: unknown): asserts value is number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail('Argument `learning_rate` should be float, or an instance of LearningRateSchedule. ' +
        `Received instead: learning_rate=${String(value)}`);
    }
    if (value < 0) this.fail(`Argument \`learning_rate\` must be >= 0. Received: learning_rate=${value}`);
  }

  /** Throws an argument error naming this optimizer's class, in Keras's wording. */
  protected fail(message: string): never {
    throw new Error(`${(this.constructor as typeof Optimizer).className}: ${message}`);
  }

  /** Checks that a hyperparameter lies in [0, 1) (or [0, 1] when `closed`). */
  protected checkUnitInterval(arg: string, value: number, closed = false): void {
    const inside = value >= 0 && (closed ? value <= 1 : value < 1);
    if (!inside) this.fail(`\`${arg}\` must be in the range [0, 1${closed ? ']' : ')'}. Received: ${arg}=${value}`);
  }

  /** Checks that a hyperparameter is a number >= 0. */
  protected checkNonNegative(arg: string, value: number): void {
    if (!(value >= 0)) this.fail(`\`${arg}\` must be >= 0. Received: ${arg}=${value}`);
  }

  // ---- Variables -------------------------------------------------------------------------------

  /**
   * The step counter, as an int32 scalar. With gradient accumulation it counts updates, not calls
   * (Keras's `iterations` property); learning rate schedules see the raw count.
   */
  get iterations(): Tensor {
    const raw = this.iterationCounter.value;
    const steps = this.gradientAccumulationSteps;
    return steps ? cast(floor(divide(raw, steps)), 'int32') : raw;
  }

  /** All optimizer variables in Keras's order: iteration, learning_rate (unless scheduled), then the slots. */
  get variables(): Variable[] {
    return [...this.tracked];
  }

  /**
   * Creates the optimizer's variables for `variables` (the model's trainable variables). Called by
   * the first `apply`; subclasses call `super.build` first, then create their slots.
   */
  build(variables: readonly Variable[]): void {
    if (this.useEma) [this.averages] = this.addOptimizerVariables(variables, ['average']);
    variables.forEach((v, i) => {
      this.indices.set(v, i);
      if (this.gradientAccumulationSteps) {
        this.gradientAccumulators.push(this.addVariableFromReference(v, 'gradient_accumulator'));
      }
    });
    this.trainableVariables = [...variables];
    this.built = true;
  }

  /** Adds a non-trainable optimizer variable named `name` under the optimizer's name, filled with `value`. */
  addVariable(shape: Shape, name: string, value = 0, dtype: DType = 'float32'): Variable {
    const variable = new Variable(full(shape, value, dtype), { name, path: `${this.name}/${name}`, trainable: false });
    this.tracked.push(variable);
    return variable;
  }

  /** Adds a variable shaped like `reference`, named `<reference path with '_' for '/'>_<name>`. */
  addVariableFromReference(reference: Variable, name: string, value = 0): Variable {
    return this.addVariable(reference.shape, `${reference.path.replace(/\//g, '_')}_${name}`, value, reference.dtype);
  }

  /**
   * Adds one variable per name for each of `variables`, interleaved as Keras does (the first
   * variable's slots, then the second's, ...). Returns one list per name.
   */
  addOptimizerVariables(variables: readonly Variable[], names: readonly string[], value = 0): Variable[][] {
    const lists = names.map((): Variable[] => []);
    for (const variable of variables) names.forEach((n, i) => lists[i].push(this.addVariableFromReference(variable, n, value)));
    return lists;
  }

  /** The position of `variable` in the list the optimizer was built with. */
  protected variableIndex(variable: Variable): number {
    const index = this.indices.get(variable);
    if (index === undefined) {
      throw new Error(`Unknown variable: '${variable.path}'. This optimizer can only be called for the variables it was ` +
        'originally built with. When working with a new set of variables, you should recreate a new optimizer instance.');
    }
    return index;
  }

  protected assign(variable: Variable, value: Tensor): void {
    variable.assign(value);
  }

  protected assignAdd(variable: Variable, value: Tensor): void {
    variable.assign(add(variable.value, value));
  }

  protected assignSub(variable: Variable, value: Tensor): void {
    variable.assign(subtract(variable.value, value));
  }

  // ---- Learning rate ---------------------------------------------------------------------------

  /** The learning rate for the current step (a schedule is evaluated at the iteration count). */
  get learningRate(): number {
    return noGrad(() => this.currentLearningRate()).values[0];
  }

  /** Sets a new constant learning rate, or replaces it with a schedule. */
  set learningRate(value: LearningRate) {
    if (value instanceof LearningRateSchedule) {
      if (this.lr instanceof Variable) this.tracked.splice(this.tracked.indexOf(this.lr), 1);
      this.lr = value;
      return;
    }
    if (this.lr instanceof LearningRateSchedule) {
      throw new TypeError('This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` ' +
        'constructor argument, hence its learning rate is not settable. If you need the learning rate to be settable, ' +
        'you should instantiate the optimizer with a float `learning_rate` argument.');
    }
    this.checkLearningRate(value);
    this.lr.assign(convertToTensor(value));
  }

  /** The learning rate as a float32 scalar tensor; schedules see the raw iteration count. */
  protected currentLearningRate(): Tensor {
    return this.lr instanceof LearningRateSchedule ? this.lr.call(this.iterationCounter.value) : this.lr.value;
  }

  // ---- Applying gradients ----------------------------------------------------------------------

  /** Applies `[gradient, variable]` pairs (gradient null: no gradient); returns the iteration variable. */
  applyGradients(pairs: readonly (readonly [Tensor | null, Variable])[]): Variable {
    this.apply(pairs.map(([g]) => g), pairs.map(([, v]) => v));
    return this.iterationCounter;
  }

  /**
   * Updates `variables` in place from `grads` (one per variable, null where there is none).
   *
   * Args:
   *   grads: the gradients, in the order of `variables`.
   *   variables: the trainable variables; the first call builds the optimizer on them. May be
   *     omitted once built, to update the variables it was built with.
   */
  apply(grads: readonly (Tensor | null)[], variables?: readonly Variable[]): void {
    if (grads.length === 0) return;
    noGrad(() => {
      // 1. Resolve the variables, building the optimizer on the first call.
      let vars: Variable[];
      if (variables === undefined) {
        if (!this.built) {
          throw new Error('When passing `grads` without `variables`, the optimizer must already be built on a list of ' +
            'variables. Call `optimizer.build(trainable_variables)` first.');
        }
        vars = this.trainableVariables;
      } else {
        vars = [...variables];
        if (!this.built) this.build(vars);
        vars.forEach((v) => this.variableIndex(v));
      }
      if (grads.length !== vars.length) {
        throw new Error(`${this.name}: received ${grads.length} gradients for ${vars.length} variables; ` +
          'they must match one-to-one.');
      }
      // 2. Drop variables without a gradient, and unscale the rest.
      const kept = vars.flatMap((v, i) => (grads[i] ? [[checkedGradient(grads[i], v), v] as const] : []));
      if (kept.length === 0) throw new Error('No gradients provided for any variable.');
      if (kept.length < vars.length) {
        const missing = vars.filter((_, i) => !grads[i]).map((v) => v.path);
        console.warn(`Gradients do not exist for variables ${JSON.stringify(missing)} when minimizing the loss. ` +
          'If using `model.compile()`, did you forget to provide a `loss` argument?');
      }
      const scale = this.lossScaleFactor;
      const unscaled = kept.map(([g]) => (scale === null ? g : divide(g, scale)));
      const updated = kept.map(([, v]) => v);
      // 3. Update (or accumulate), then the moving averages, then count the step.
      this.applyOrAccumulate(unscaled, updated);
      if (this.useEma) this.updateMovingAverages();
      this.iterationCounter.assign(add(this.iterationCounter.value, 1));
    });
  }

  private applyOrAccumulate(grads: Tensor[], vars: Variable[]): void {
    const steps = this.gradientAccumulationSteps;
    if (!steps) {
      this.update(grads, vars);
      return;
    }
    const accumulators = vars.map((v) => this.gradientAccumulators[this.variableIndex(v)]);
    if ((this.iterationCounter.value.values[0] + 1) % steps === 0) {
      this.update(grads.map((g, i) => divide(add(g, accumulators[i].value), steps)), vars);
      for (const a of this.gradientAccumulators) a.assign(zerosLike(a.value));
    } else {
      accumulators.forEach((a, i) => a.assign(add(grads[i], a.value)));
    }
  }

  /** Clipping, then decoupled weight decay, then the optimizer's own update (base_optimizer.py order). */
  private update(grads: Tensor[], vars: Variable[]): void {
    const clipped = this.clipGradients(grads);
    this.applyWeightDecay(vars);
    const learningRate = this.currentLearningRate();
    this.prepareStep(learningRate);
    clipped.forEach((g, i) => this.updateStep(g, vars[i], learningRate));
  }

  /** Computes what every variable's update of this step shares, once (Adam's bias-corrected step size). */
  protected prepareStep(_learningRate: Tensor): void {}

  /**
   * Updates one variable (and its slots) from its gradient.
   *
   * Args:
   *   gradient: the (clipped) float32 gradient, shaped like `variable`.
   *   variable: the model variable to update in place.
   *   learningRate: the current learning rate, a float32 scalar tensor.
   */
  abstract updateStep(gradient: Tensor, variable: Variable, learningRate: Tensor): void;

  private clipGradients(grads: Tensor[]): Tensor[] {
    const { clipnorm, globalClipnorm, clipvalue } = this;
    if (clipnorm !== null && clipnorm > 0) return grads.map((g) => clipByNorm(g, clipnorm));
    if (globalClipnorm !== null && globalClipnorm > 0) return clipByGlobalNorm(grads, globalClipnorm);
    if (clipvalue !== null && clipvalue > 0) return grads.map((g) => clip(g, -clipvalue, clipvalue));
    return grads;
  }

  /**
   * Excludes variables from weight decay, by identity or by a regular expression matched against
   * their names (e.g. `{varNames: ['bias']}`). Call it before the first update.
   */
  excludeFromWeightDecay(options: { varList?: readonly Variable[]; varNames?: readonly string[] }): void {
    // Keras guards this with `self._built`, an attribute that never exists, so it never refuses.
    this.excludedVariables = new Set(options.varList ?? []);
    const names = options.varNames ?? [];
    this.excludedNames = names.length > 0 ? new RegExp([...new Set(names)].join('|')) : null;
  }

  private applyWeightDecay(vars: Variable[]): void {
    if (this.weightDecay === null) return;
    const lr = this.currentLearningRate();
    const wd = convertToTensor(this.weightDecay);
    for (const v of vars) {
      if (this.excludedVariables.has(v) || this.excludedNames?.test(v.name)) continue;
      v.assign(subtract(v.value, multiply(multiply(v.value, wd), lr)));
    }
  }

  // ---- Moving averages, loss scaling, state ----------------------------------------------------

  private updateMovingAverages(): void {
    const notFirstStep = cast(notEqual(this.iterations, 0), 'float32');
    const momentum = multiply(notFirstStep, this.emaMomentum);
    this.trainableVariables.forEach((v, i) => {
      const average = this.averages[i];
      average.assign(add(multiply(momentum, average.value), multiply(subtract(1, momentum), v.value)));
    });
    const frequency = this.emaOverwriteFrequency;
    if (frequency && (this.iterations.values[0] + 1) % frequency === 0) this.finalizeVariableValues(this.trainableVariables);
  }

  /**
   * Sets the final values of the model's variables: with `useEma`, overwrites them with their
   * moving averages (`fit` calls this after the last epoch).
   */
  finalizeVariableValues(variables: readonly Variable[]): void {
    if (!this.useEma) return;
    if (variables.length !== this.averages.length) {
      throw new Error(`The length of model variables (${variables.length}) to override does not match the length of ` +
        `model variables stored in the optimizer (${this.averages.length}). Please check if the optimizer was called ` +
        'on your model.');
    }
    noGrad(() => variables.forEach((v, i) => v.assign(this.averages[i].value)));
  }

  /** Multiplies the loss by `lossScaleFactor` (if set) before gradients are taken. */
  scaleLoss(loss: Tensor): Tensor {
    return this.lossScaleFactor === null ? loss : multiply(loss, this.lossScaleFactor);
  }

  /** Writes the optimizer's variables into `store` under '0', '1', ... (the .keras weights layout). */
  saveOwnVariables(store: Record<string, Tensor>): void {
    this.tracked.forEach((v, i) => (store[String(i)] = v.numpy()));
  }

  /** Restores the variables written by `saveOwnVariables`; skips (with Keras's warning) on a count mismatch. */
  loadOwnVariables(store: Record<string, Tensor>): void {
    const count = Object.keys(store).length;
    if (count !== this.tracked.length) {
      console.warn(`Skipping variable loading for optimizer '${this.name}', because it has ${this.tracked.length} ` +
        `variables whereas the saved optimizer has ${count} variables. ` +
        (this.tracked.length === 0 ? 'This is likely because the optimizer has not been called/built yet.' : ''));
      return;
    }
    this.tracked.forEach((v, i) => v.assign(cast(store[String(i)], v.dtype)));
  }

  // ---- Serialization ---------------------------------------------------------------------------

  /** The config Keras writes (snake_case keys in Keras's order; learning_rate as a float32 value). */
  getConfig(): OptimizerConfig {
    return {
      name: this.name,
      learning_rate: this.lr instanceof LearningRateSchedule ? serializeSchedule(this.lr) : this.lr.value.values[0],
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: this.useEma,
      ema_momentum: this.emaMomentum,
      ema_overwrite_frequency: this.emaOverwriteFrequency,
      loss_scale_factor: this.lossScaleFactor,
      gradient_accumulation_steps: this.gradientAccumulationSteps,
    };
  }

  /** Creates an optimizer from its config (a serialized learning rate schedule is rebuilt). */
  static fromConfig<T extends Optimizer>(this: new (options: OptimizerOptions) => T, config: Config): T {
    const options = camelKeys(config);
    if (isSerializedObject(options.learningRate)) options.learningRate = deserializeSchedule(options.learningRate);
    return new this(options as OptimizerOptions);
  }
}

function checkedGradient(grad: Tensor, variable: Variable): Tensor {
  const same = grad.rank === variable.shape.length && grad.shape.every((d, i) => d === variable.shape[i]);
  if (!same || grad.dtype !== 'float32') {
    throw new Error(`The gradient for variable '${variable.path}' must be a float32 tensor of shape ` +
      `${formatShape(variable.shape)}. Received: a ${grad.dtype} tensor of shape ${formatShape(grad.shape)}`);
  }
  return grad;
}

/** Scales `g` so that its L2 norm is at most `clipnorm` (base_optimizer.py `_clip_by_norm`). */
function clipByNorm(g: Tensor, clipnorm: number): Tensor {
  // Keras guards the sqrt with a where(l2sum > 0) for the sake of its gradient; sqrt(0) = 0 either way.
  const l2norm = sqrt(sum(square(g), undefined, true));
  return divide(multiply(g, clipnorm), maximum(l2norm, clipnorm));
}

/** Scales all gradients by one factor so that their global L2 norm is at most `clipNorm`. */
function clipByGlobalNorm(grads: Tensor[], clipNorm: number): Tensor[] {
  const norm = sqrt(sum(concatenate(grads.map((g) => reshape(sum(square(g)), [1])))));
  const scaleForFinite = multiply(clipNorm, minimum(divide(1, norm), 1 / clipNorm));
  // A no-op for a finite norm; makes the scale NaN when the norm is inf or NaN, as Keras does.
  const scale = add(scaleForFinite, subtract(norm, norm));
  return grads.map((g) => multiply(g, scale));
}

/**
 * The demo page (index.html): trains tutorial 002's MNIST CNN with keras-ts's browser bundle,
 * shows Keras's progress bar, the curves and the first layer's filters while it learns, predicts
 * digits drawn on a canvas, and saves or opens `.keras` files. `window.demo` exposes what the
 * page did, for the browser test (browser.test.ts) and anyone at the console.
 */
import type * as Keras from '../browser.js';
import { drawingPad, toMnistPixels } from './pad.js';
import { drawCurves, drawFilters, type Series } from './plots.js';

type KerasModule = typeof Keras;

const BATCH_SIZE = 150; // the tutorial's batch_size
const PIXELS = 28 * 28;
const CLASSES = 10;

/** What the page did, for the browser test. */
export interface DemoHandle {
  backend: string;
  /** Keras's logs after each training batch (running means over the epoch, as the progress bar shows). */
  losses: number[];
  accuracies: number[];
  /** Time spent in training steps, and the images they trained on, leaving out the first (warm-up) step. */
  trainSeconds: number;
  timedImages: number;
  /** The model's class probabilities for the first `count` test images. */
  predictTest(count: number): Promise<number[][]>;
}

declare global {
  interface Window {
    demo: DemoHandle;
  }
}

/** The training sample as flat arrays (batches are gathered from them), and the test set as tensors. */
interface Sample {
  count: number;
  x: Float32Array;
  y: Float32Array;
  xTest: Keras.Tensor;
  yTest: Keras.Tensor;
}

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => element<HTMLInputElement>(id);

function notify(message: string, kind: 'error' | 'warning'): void {
  const notice = element('notice');
  notice.textContent = message;
  notice.className = kind;
  notice.hidden = false;
}

/** Every failure reaches the page and the console. */
function fail(what: string, error: unknown): void {
  const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
  console.error(message);
  notify(message, 'error');
}

/** Runs a button's or a form's action, reporting its failure under `what`. */
function action(what: string, run: () => Promise<void>): () => void {
  return () => void run().catch((error: unknown) => fail(what, error));
}

/** Resolves in a new task, so the page repaints; unlike setTimeout(0), never delayed to 4 ms. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

// # load data, reshape to [samples][width][height][channels], normalize inputs, one hot encode outputs
async function loadSample(keras: KerasModule): Promise<Sample> {
  const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.mnist.loadData('data/mnist.npz');
  const images = (x: Keras.Tensor) => x.reshape([x.shape[0], 28, 28, 1]).astype('float32').div(255);
  return {
    count: xTrain.shape[0],
    x: images(xTrain).dataSync() as Float32Array,
    y: keras.utils.toCategorical(yTrain, CLASSES).dataSync() as Float32Array,
    xTest: images(xTest),
    yTest: keras.utils.toCategorical(yTest, CLASSES),
  };
}

/** Tutorial 002's baseline_model(), written as a list of layers. */
function baselineModel(keras: KerasModule): Keras.Sequential {
  const { layers } = keras;
  const model = new keras.Sequential([
    new layers.Conv2D(32, [5, 5], { inputShape: [28, 28, 1], activation: 'relu' }),
    new layers.MaxPooling2D(),
    new layers.Dropout(0.2),
    new layers.Flatten(),
    new layers.Dense(128, { activation: 'relu' }),
    new layers.Dense(CLASSES, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  return model;
}

/**
 * `steps` shuffled batches of the sample per pass, as a keras Dataset. fit runs on the page's
 * thread, and a page only repaints between tasks, so each batch starts a new task.
 */
function batches(keras: KerasModule, sample: Sample, steps: number): Keras.Dataset {
  const gather = (from: Float32Array, rows: number[], size: number) => {
    const out = new Float32Array(rows.length * size);
    rows.forEach((r, i) => out.set(from.subarray(r * size, (r + 1) * size), i * size));
    return out;
  };
  return {
    cardinality: steps,
    async *[Symbol.asyncIterator](): AsyncGenerator<[Keras.Tensor, Keras.Tensor]> {
      const order = Array.from({ length: sample.count }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let step = 0; step < steps; step++) {
        await nextTask();
        const rows = Array.from({ length: BATCH_SIZE }, (_, i) => order[(step * BATCH_SIZE + i) % sample.count]);
        yield [keras.tensor(gather(sample.x, rows, PIXELS), [BATCH_SIZE, 28, 28, 1]), keras.tensor(gather(sample.y, rows, CLASSES), [BATCH_SIZE, CLASSES])];
      }
    },
  };
}

async function start(): Promise<void> {
  if (!globalThis.crossOriginIsolated) {
    notify('This page is not cross-origin isolated, so the browser does not let workers share memory: keras-ts trains on ' +
      '1 thread. Serve it with "Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp" ' +
      '(npm run demo does) to train on every core.', 'warning');
  }
  const keras: KerasModule = await import(new URL('keras/keras.js', import.meta.url).href);
  const backend = keras.config.backend();
  element('backend').textContent = backend;
  const sample = await loadSample(keras);
  element('data').textContent = `${sample.count} training and ${sample.xTest.shape[0]} test images of MNIST, batches of ${BATCH_SIZE}`;
  input('steps').value = String(Math.ceil(sample.count / BATCH_SIZE));

  const screen = new keras.utils.TextScreen();
  const progress = element('progress');
  const print = (text: string) => {
    screen.write(text);
    progress.textContent = screen.toString();
    progress.scrollTop = progress.scrollHeight;
  };
  let model: Keras.Model = baselineModel(keras);
  model.summary({ printFn: print });

  const demo: DemoHandle = {
    backend, losses: [], accuracies: [], trainSeconds: 0, timedImages: 0,
    predictTest: async (count) => (await model.predict(sample.xTest.index([0, count]), { verbose: 0 })).toArray() as number[][],
  };
  window.demo = demo;
  const valLoss: Array<[number, number]> = [];
  const valAccuracy: Array<[number, number]> = [];
  const redraw = () => {
    const line = (label: string, color: string, values: number[]): Series => ({ label, color, points: values.map((v, i) => [i + 1, v]) });
    drawCurves(element('curves'),
      [line('loss', '#3b6fd8', demo.losses), { label: 'val_loss', color: '#e07b24', points: valLoss, dots: true }],
      [line('accuracy', '#3b6fd8', demo.accuracies), { label: 'val_accuracy', color: '#e07b24', points: valAccuracy, dots: true }]);
    const conv = model.layers[0].getWeights()[0];
    if (conv?.rank === 4) drawFilters(element('filters'), conv.dataSync() as Float32Array, conv.shape);
  };
  redraw();

  // Measures the training steps, then redraws after each batch and epoch.
  class LiveView extends keras.callbacks.Callback {
    private started = 0;
    override onTrainBatchBegin(): void {
      this.started = performance.now();
    }
    override onTrainBatchEnd(_batch: number, logs: Keras.callbacks.Logs = {}): void {
      if (demo.losses.length > 0) {
        demo.trainSeconds += (performance.now() - this.started) / 1000;
        demo.timedImages += BATCH_SIZE;
      }
      demo.losses.push(logs.loss);
      demo.accuracies.push(logs.accuracy);
      redraw();
    }
    override onEpochEnd(_epoch: number, logs: Keras.callbacks.Logs = {}): void {
      valLoss.push([demo.losses.length, logs.val_loss]);
      valAccuracy.push([demo.losses.length, logs.val_accuracy]);
      redraw();
    }
  }

  const train = element<HTMLButtonElement>('train');
  const download = element<HTMLButtonElement>('download');
  train.onclick = action('Training failed', async () => {
    const [epochs, steps] = [Number(input('epochs').value), Number(input('steps').value)];
    if (!(Number.isInteger(epochs) && epochs > 0 && Number.isInteger(steps) && steps > 0)) {
      throw new Error(`epochs and batches per epoch must be positive integers, received ${input('epochs').value} and ${input('steps').value}`);
    }
    train.disabled = true;
    document.body.dataset.state = 'training';
    try {
      // history = model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=5, batch_size=150)
      await model.fit(batches(keras, sample, steps), {
        epochs, validationData: [sample.xTest, sample.yTest], callbacks: [new LiveView(), new keras.callbacks.ProgbarLogger({ write: print })],
      });
      document.body.dataset.state = 'trained';
    } finally {
      train.disabled = false;
      if (document.body.dataset.state === 'training') document.body.dataset.state = 'ready';
    }
  });

  const clear = drawingPad(element('pad'), action('Prediction failed', async () => {
    const pixels = toMnistPixels(element('pad'));
    if (!pixels) return;
    const probabilities = (await model.predict(keras.tensor(pixels, [1, 28, 28, 1]), { verbose: 0 })).dataSync();
    const best = probabilities.indexOf(Math.max(...probabilities));
    element('guess').textContent = `It is a ${best}`;
    element('bars').replaceChildren(...[...probabilities].flatMap((p, digit) => {
      const bar = Object.assign(document.createElement('div'), { className: digit === best ? 'bar best' : 'bar' });
      bar.style.width = `${(100 * p).toFixed(1)}%`;
      const label = (text: string) => Object.assign(document.createElement('span'), { textContent: text });
      return [label(String(digit)), bar, label(`${(100 * p).toFixed(1)}%`)];
    }));
  }));
  element('clear').onclick = () => {
    clear();
    element('guess').textContent = '';
    element('bars').replaceChildren();
  };

  // model.save('mnist_cnn.keras'): in a browser, a download
  download.onclick = action('Saving the model failed', () => model.save('mnist_cnn.keras'));
  const open = async (what: string, source: string | ArrayBuffer) => {
    model = await keras.loadModel(source);
    print(`\nOpened ${what}\n`);
    model.summary({ printFn: print });
    redraw();
  };
  input('open-file').onchange = action('Opening the model failed', async () => {
    const file = input('open-file').files?.[0];
    if (file) await open(file.name, await file.arrayBuffer());
  });
  element<HTMLFormElement>('open-url').onsubmit = (e) => {
    e.preventDefault();
    action('Loading the model failed', () => open(input('model-url').value, input('model-url').value))();
  };
  train.disabled = download.disabled = false;
  document.body.dataset.state = 'ready';
}

start().catch((error: unknown) => {
  fail('The demo could not start', error);
  document.body.dataset.state = 'error';
});

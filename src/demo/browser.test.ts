/**
 * The demo in a real browser: Debian's Chromium, driven headless by playwright-core (which never
 * downloads a browser of its own). The page trains tutorial 002's CNN on several threads, its
 * downloaded model predicts in Node what it predicted in the page, and the failures a visitor can
 * meet show a message. Skipped, saying why, only when no Chromium is installed (.ci/run installs
 * it). `CHROMIUM_PATH` names another Chromium or Chrome binary. The screenshot goes to
 * output/browser-test/demo.png.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import * as keras from '../index.js';
import { tutorialLayers } from '../testing/tutorial_models.js';
import { startDemoServer, type DemoServer } from './server.js';

const STEPS = 20; // training batches of 150 images, in one epoch
const COMPARED_IMAGES = 8;
const OUT = fileURLToPath(new URL('../../output/browser-test/', import.meta.url));

const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
  .find((path) => path && existsSync(path));

/**
 * Opens the demo and waits until it is ready to train (or, with `expect` 'error', until it gave
 * up), failing with the page's own message otherwise. `prepare` runs before the page loads.
 */
async function openDemo(browser: Browser, url: string, logs: string[], expect = 'ready', prepare: (page: Page) => Promise<unknown> = async () => {}): Promise<Page> {
  const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1240, height: 900 } });
  page.on('console', (message) => logs.push(message.text()));
  page.on('pageerror', (error) => logs.push(`page error: ${error.message}`));
  await prepare(page);
  await page.goto(url);
  await page.waitForSelector('body[data-state=ready], body[data-state=error]', { timeout: 60_000 });
  const notice = await page.textContent('#notice');
  assert.equal(await page.getAttribute('body', 'data-state'), expect, `the demo should end up ${expect}: ${notice}`);
  return page;
}

/** Trains for `steps` batches with the page's own controls. */
async function train(page: Page, steps: number): Promise<void> {
  await page.fill('#epochs', '1');
  await page.fill('#steps', String(steps));
  await page.click('#train');
  await page.waitForSelector('body[data-state=trained], #notice.error', { timeout: 90_000 });
  assert.equal(await page.getAttribute('body', 'data-state'), 'trained', `training failed: ${await page.textContent('#notice')}`);
}

/** Images per second of the training steps of `fit` in Node, on the sample's first batches, timed as the page times them. */
async function nodeTrainingSpeed(x: keras.Tensor, y: keras.Tensor, steps: number): Promise<number> {
  const model = new keras.Sequential(tutorialLayers('M2'));
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  const batch = 150;
  const timing = new (class extends keras.callbacks.Callback {
    started = 0;
    seconds = 0;
    override onTrainBatchBegin(): void {
      this.started = performance.now();
    }
    override onTrainBatchEnd(step: number): void {
      if (step > 0) this.seconds += (performance.now() - this.started) / 1000; // step 0 warms up, as in the page
    }
  })();
  const data: keras.Dataset = {
    cardinality: steps,
    async *[Symbol.asyncIterator]() {
      for (let s = 0; s < steps; s++) yield [x.index([s * batch, (s + 1) * batch]), y.index([s * batch, (s + 1) * batch])] as [keras.Tensor, keras.Tensor];
    },
  };
  await model.fit(data, { epochs: 1, verbose: 0, callbacks: [timing] });
  return ((steps - 1) * batch) / timing.seconds;
}

test('the demo page in Chromium', { skip: chromiumPath ? false : 'no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)' }, async (t) => {
  let server: DemoServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startDemoServer({ port: 0 });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    const logs: string[] = [];
    const page = await openDemo(browser, server.url, logs);
    const [[xTrain, yTrain], [xTest]] = await keras.datasets.mnist.loadData();
    const images = (x: keras.Tensor) => x.reshape([x.shape[0], 28, 28, 1]).astype('float32').div(255);
    mkdirSync(OUT, { recursive: true });
    const modelFile = join(OUT, 'mnist_cnn.keras');
    let chromiumSpeed = 0;

    await t.test('trains tutorial 002 on more than one thread, and the loss goes down', async () => {
      const backend = await page.textContent('#backend');
      const threads = Number(/(\d+) threads?/.exec(backend ?? '')?.[1]);
      assert.ok(threads > 1, `the page's engine should use every core (this machine has 2), found '${backend}'`);
      assert.equal(page.workers().length, threads - 1, 'one Web Worker per engine thread besides the page\'s own');
      await train(page, STEPS);
      const report = await page.evaluate(() => ({ losses: window.demo.losses, seconds: window.demo.trainSeconds, images: window.demo.timedImages }));
      assert.equal(report.losses.length, STEPS);
      assert.ok(report.losses.at(-1)! < 0.75 * report.losses[0], `loss should fall: ${report.losses.map((l) => l.toFixed(3)).join(' ')}`);
      assert.match(await page.textContent('#progress') ?? '', /20\/20 .*accuracy: .*val_loss: /);
      chromiumSpeed = report.images / report.seconds;
    });

    await t.test('a digit drawn on the pad gets a prediction', async () => {
      const pad = (await page.locator('#pad').boundingBox())!;
      await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.2);
      await page.mouse.down();
      await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.8, { steps: 12 });
      await page.mouse.up();
      await page.waitForFunction(() => /It is a \d/.test(document.getElementById('guess')!.textContent ?? ''));
      assert.equal(await page.locator('#bars .bar').count(), 10);
      await page.screenshot({ path: join(OUT, 'demo.png'), fullPage: true });
    });

    await t.test('the downloaded .keras file predicts in Node what the page predicts (within 1e-5)', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
      assert.equal(download.suggestedFilename(), 'mnist_cnn.keras');
      await download.saveAs(modelFile);
      const inPage = await page.evaluate((n) => window.demo.predictTest(n), COMPARED_IMAGES);
      const model = await keras.loadModel(modelFile);
      const inNode = (await model.predict(images(xTest.index([0, COMPARED_IMAGES])), { verbose: 0 })).toArray() as number[][];
      inNode.forEach((row, i) => row.forEach((p, j) => {
        assert.ok(Math.abs(p - inPage[i][j]) <= 1e-5, `image ${i}, class ${j}: Node ${p}, Chromium ${inPage[i][j]}`);
      }));
    });

    await t.test('a model that fails to download or parse gives a message in the page and the console', async () => {
      for (const [url, expected] of [['missing.keras', /HTTP 404/], ['page.js', /neither a \.keras zip nor an HDF5/]] as const) {
        await page.fill('#model-url', url);
        await page.click('#open-url button');
        await page.waitForFunction((u) => document.getElementById('notice')!.textContent!.includes(u), url);
        assert.match(await page.textContent('#notice') ?? '', expected);
        assert.ok(logs.some((line) => line.startsWith('Loading the model failed') && expected.test(line)), logs.join('\n'));
      }
    });

    await t.test('a page that is not cross-origin isolated trains on 1 thread and says why', async () => {
      const messages: string[] = [];
      const fallback = await openDemo(browser!, `${server!.url}?isolation=off`, messages);
      assert.equal(await fallback.textContent('#backend'), (await page.textContent('#backend'))!.replace(/\d+ threads/, '1 thread'));
      assert.match(await fallback.textContent('#notice.warning') ?? '', /not cross-origin isolated/);
      assert.ok(messages.some((m) => /keras-ts: this page is not cross-origin isolated.*runs on 1 thread/.test(m)), messages.join('\n'));
      await train(fallback, 2);
      await fallback.close();
    });

    await t.test('a browser without WASM SIMD, or data that fails to download, stops the page with a message', async () => {
      const cases: Array<[RegExp, (page: Page) => Promise<unknown>]> = [
        [/keras-ts needs WebAssembly with SIMD/, (p) => p.addInitScript(() => {
          WebAssembly.validate = () => false; // what a browser without SIMD answers for the engine's probe
        })],
        [/could not download http:.*\/data\/mnist\.npz: HTTP 404/, (p) => p.route('**/data/mnist.npz', (r) => r.fulfill({ status: 404 }))],
      ];
      for (const [expected, prepare] of cases) {
        const messages: string[] = [];
        const failed = await openDemo(browser!, server!.url, messages, 'error', prepare);
        assert.match(await failed.textContent('#notice.error') ?? '', new RegExp(`The demo could not start: .*${expected.source}`));
        assert.ok(messages.some((m) => expected.test(m)), messages.join('\n'));
        await failed.close();
      }
    });

    const trained = [0, STEPS * 150] as [number, number];
    const nodeSpeed = await nodeTrainingSpeed(images(xTrain.index(trained)), keras.utils.toCategorical(yTrain.index(trained), 10), STEPS);
    t.diagnostic(`training speed of tutorial 002's CNN (batch 150, steps 2-${STEPS}): Chromium ${browser.version()} ` +
      `${chromiumSpeed.toFixed(0)} img/s, Node ${process.versions.node} ${nodeSpeed.toFixed(0)} img/s (${keras.config.backend()})`);
  } finally {
    await browser?.close();
    await server?.close();
  }
});

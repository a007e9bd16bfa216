"""One benchmark peer process: PyTorch trains one model and prints a PeerResult as JSON.

Usage: python3 pytorch_models.py <model> <batches> <predictImages> <threads>
The twin of src/bench/models.ts and keras_models.ts: the same layers, Keras's default
initialisation (Glorot-uniform kernels, zero biases, BatchNormalization momentum 0.99 and
epsilon 1e-3), Adam(1e-3) with Keras's epsilon 1e-7, the same synthetic images. PyTorch runs in
its native NCHW layout. Exit status 3 with a message when torch is not importable.
"""
import json
import os
import sys
import time

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as error:
    print(f"not installed: {error}", file=sys.stderr)
    sys.exit(3)

MODELS = {"M1": ((28, 28, 1), 128), "M2": ((28, 28, 1), 150), "M3": ((32, 32, 3), 64)}
CLASSES = 10
PREDICT_BATCH = 1000


def layers(name):
    if name == "M1":
        return [nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, CLASSES)]
    if name == "M2":
        return [nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.2), nn.Flatten(),
                nn.Linear(4608, 128), nn.ReLU(), nn.Linear(128, CLASSES)]
    return [nn.Conv2d(3, 32, 3, padding="same"), nn.ReLU(), nn.BatchNorm2d(32, eps=1e-3, momentum=0.01),
            nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
            # Keras's 'same' with stride 2 on an even size pads only the bottom/right, one pixel.
            nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(32, 64, 3, stride=2), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, CLASSES)]


def keras_init(module):
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        nn.init.xavier_uniform_(module.weight)
        nn.init.zeros_(module.bias)


def images(shape, first, count):
    """NHWC images, pixel i = frac(i * 2654435761 / 2^32): models.ts's syntheticImages, then NCHW."""
    size = shape[0] * shape[1] * shape[2]
    index = np.arange(first * size, (first + count) * size, dtype=np.uint64)
    pixels = ((index * np.uint64(2654435761)) % np.uint64(2 ** 32)).astype(np.float64) / 2 ** 32
    nhwc = pixels.astype(np.float32).reshape(count, *shape)
    return torch.from_numpy(np.ascontiguousarray(nhwc.transpose(0, 3, 1, 2)))


def labels(first, count):
    """Class indices (7 i + 3) mod 10: cross-entropy on them equals it on models.ts's one-hot labels."""
    return torch.from_numpy((7 * np.arange(first, first + count) + 3) % CLASSES)


def peak_rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    name, batches, predict_images, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    spawned = float(os.environ.get("BENCH_SPAWN_MS", time.time() * 1000))
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    shape, bs = MODELS[name]
    model = nn.Sequential(*layers(name))
    model.apply(keras_init)
    # nn.CrossEntropyLoss takes logits: softmax + categorical cross-entropy in one, as Keras fuses them.
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    data = [(images(shape, b * bs, bs), labels(b * bs, bs)) for b in range(batches)]
    x_predict = images(shape, 0, predict_images)

    def train(b):
        x, y = data[b]
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()

    model.train()
    t0 = time.perf_counter()
    train(0)
    t1 = time.perf_counter()
    start_to_first = time.time() - spawned / 1000
    for b in range(1, batches):
        train(b)
    t2 = time.perf_counter()
    model.eval()
    with torch.no_grad():
        for start in range(0, predict_images, PREDICT_BATCH):
            torch.softmax(model(x_predict[start:start + PREDICT_BATCH]), dim=1)
    t3 = time.perf_counter()
    print(json.dumps({
        "peer": "pytorch", "model": name, "threads": threads, "batches": batches,
        "firstBatchSeconds": t1 - t0,
        "trainImagesPerSecond": (batches - 1) * bs / (t2 - t1),
        "predictImages": predict_images,
        "predictImagesPerSecond": predict_images / (t3 - t2),
        "startToFirstBatchSeconds": start_to_first,
        "peakRssMiB": peak_rss_mib(),
        "note": f"torch {torch.__version__}, {torch.get_num_threads()} threads",
    }))


main()

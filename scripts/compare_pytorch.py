#!/usr/bin/python3
"""Training-step speed of our crnn (DJL + PyTorch from Java) against the same network in PyTorch
from Python, side by side: same layers, the input captcha bench trained (its report names it), 44 characters + blank, labels of 4-6
characters, CTC loss, Adam with value clipping at 5, same batch sizes and thread count, and the
same input layout: channels-last, as org.captchasolver.model.NetworkInput lays it out (--planar for
PyTorch's default NCHW layout).

Needs Debian's python3-torch (apt-get install python3-torch) and a built project (mvn package).
Usage: /usr/bin/python3 scripts/compare_pytorch.py [--batches 32,64] [--steps 40]
"""
import argparse, json, os, subprocess, sys, tempfile, time

import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLASSES = 44 + 1  # the generated alphabet plus the CTC blank (class 0)
MAX_LEN = 6


class Crnn(nn.Module):
    """org.captchasolver.model.Networks.crnn, layer for layer."""

    def __init__(self, h, classes=CLASSES):
        super().__init__()

        def stage(cin, cout, pool=None):
            # ModelSpec.Pooling.BEFORE_NORM: pooling right after the convolution
            layers = [nn.Conv2d(cin, cout, 3, padding=1)]
            if pool:
                layers.append(nn.MaxPool2d(pool, pool))
            return layers + [nn.BatchNorm2d(cout), nn.ReLU()]

        self.cnn = nn.Sequential(
            *stage(3, 16, (2, 2)),
            *stage(16, 32, (2, 2)),
            *stage(32, 64),
            *stage(64, 64, (2, 1)),
            *stage(64, 96, (2, 1)))
        self.columns = nn.Sequential(nn.Conv1d(96 * (h // 16), 128, 3, padding=1), nn.BatchNorm1d(128), nn.ReLU(),
                                     nn.Dropout(0.2))
        self.forward_lstm = nn.LSTM(128, 64, batch_first=True)
        self.backward_lstm = nn.LSTM(128, 64, batch_first=True)
        self.drop = nn.Dropout(0.25)
        self.out = nn.Linear(128, classes)

    def forward(self, x):
        x = self.cnn(x)
        b, c, h, w = x.shape
        x = self.columns(x.reshape(b, c * h, w)).transpose(1, 2)
        f, _ = self.forward_lstm(x)
        r, _ = self.backward_lstm(x.flip(1))
        x = torch.cat([f, r.flip(1)], 2)
        return self.out(self.drop(x))


def pytorch_step_rate(batch, steps, channels_last, height, width, warmup=20):
    torch.manual_seed(1)
    net = Crnn(height)
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    x = torch.rand(batch, 3, height, width)
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    lengths = torch.randint(4, MAX_LEN + 1, (batch,))
    targets = torch.randint(1, CLASSES, (batch, MAX_LEN))
    net.train()

    def step():
        opt.zero_grad()
        logits = net(x)  # (B, T, C)
        log_probs = logits.log_softmax(2).transpose(0, 1)
        steps_in = torch.full((batch,), log_probs.shape[0], dtype=torch.long)
        loss = ctc(log_probs, targets, steps_in, lengths)
        loss.backward()
        torch.nn.utils.clip_grad_value_(net.parameters(), 5.0)
        opt.step()

    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    return batch * steps / (time.perf_counter() - t0)


def ours_step_rates(batches):
    out = tempfile.mkdtemp(prefix="compare-pytorch-")
    cmd = [os.path.join(ROOT, "bin", "captcha"), "bench", "-q", "--only", "train", "--arch", "crnn",
           "--batch", ",".join(map(str, batches)), "-o", out]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "bench.json")) as f:
        report = json.load(f)
    rows = next(v for k, v in report.items() if k.startswith("training step"))
    channels, height, width = (int(v) for v in rows[0]["input"].split("x"))
    if channels != 3:
        sys.exit(f"the Python network takes RGB input; captcha bench trained {rows[0]['input']}")
    return {r["batch"]: r["imagesPerSecond"] for r in rows}, height, width


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batches", default="32,64")
    # As captcha bench times the crnn step: 200 steps after 20 warm-up steps.
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--planar", action="store_true", help="PyTorch side with NCHW input instead of channels-last")
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    batches = [int(b) for b in a.batches.split(",")]
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    ours, height, width = ours_step_rates(batches)  # first, so the two never share the cores
    rows = []
    layout = "NCHW" if a.planar else "channels-last"
    print(f"PyTorch {torch.__version__} (Python), {a.threads} threads, {layout} 3x{height}x{width} input; ours: captcha bench (DJL, PyTorch JNI)")
    print("| batch | ours img/s | PyTorch-Python img/s | ours / PyTorch |")
    print("|---|---|---|---|")
    for b in batches:
        theirs = pytorch_step_rate(b, a.steps, not a.planar, height, width)
        rows.append({"batch": b, "ours": ours[b], "pytorchPython": theirs, "ratio": ours[b] / theirs})
        print(f"| {b} | {ours[b]:.0f} | {theirs:.0f} | {ours[b] / theirs:.2f} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())

"""River's ADWIN, Page-Hinkley and KSWIN, with their default parameters, over JSD series.

Reads JSON lines {"id": ..., "jsd": [epoch 1, epoch 2, ...]} from the file named by the first
argument and writes JSON lines {"id": ..., "<detector>": [epochs at which a drift was detected]}
to stdout. Seeded (KSWIN samples its reference window), so runs are reproducible.
"""

import json
import sys

from river import drift

DETECTORS = {
    "adwin": lambda: drift.ADWIN(),
    "page_hinkley": lambda: drift.PageHinkley(),
    "kswin": lambda: drift.KSWIN(seed=42),
}


def detect(series):
    out = {}
    for name, make in DETECTORS.items():
        detector = make()
        hits = []
        for epoch, value in enumerate(series, start=1):
            detector.update(value)
            if detector.drift_detected:
                hits.append(epoch)
        out[name] = hits
    return out


def main(path):
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            stream = json.loads(line)
            result = {"id": stream["id"]}
            result.update(detect(stream["jsd"]))
            sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])

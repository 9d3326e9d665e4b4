"""A training loop that stops when qmon advises it to: the smallest use of ``run.should_stop()``.

The model is deliberately simple so the loop converges in seconds: a softmax over the 2^n outcomes
(a classical stand-in for a Born machine's output distribution), trained by exact gradient
descent on KL(target || model), and *measured* like a quantum model: every epoch draws ``--shots``
samples and publishes their counts. Once the model matches the target, only shot noise separates
the counts from it; the monitoring job sees the JSD sit within its shot-noise floor and publishes
CONVERGED_AT_NOISE_FLOOR on qgm.advice, with the epochs and shots that stopping saves against the
declared ``--max-epochs``. The loop checks ``run.should_stop()`` after each epoch and ends there.

    $(bin/python-env) producers/python/examples/stop_on_advice.py \\
        --bootstrap-servers 127.0.0.1:9092 --schema-registry-url http://127.0.0.1:8081

Prints ``run_id=...``, one ``epoch N jsd X`` line per epoch, then ``stopped at epoch N on KIND
(epoch E, saves S epochs, T shots)`` or ``ran all N epochs``.
"""

import argparse
import time
import uuid

import numpy as np

from qmon_sdk import QmonPublisher


def discretised_normal(qubits: int) -> np.ndarray:
    grid = np.linspace(-3.0, 3.0, 2**qubits)
    density = np.exp(-0.5 * grid**2)
    return density / density.sum()


def jsd_bits(p: np.ndarray, q: np.ndarray) -> float:
    m = 0.5 * (p + q)

    def kl(a: np.ndarray) -> float:
        mask = a > 0
        return float(np.sum(a[mask] * np.log2(a[mask] / m[mask])))

    return 0.5 * kl(p) + 0.5 * kl(q)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", required=True)
    parser.add_argument("--schema-registry-url", required=True)
    parser.add_argument("--qubits", type=int, default=3)
    parser.add_argument("--shots", type=int, default=1024)
    parser.add_argument("--max-epochs", type=int, default=200)
    parser.add_argument("--learning-rate", type=float, default=4.0)
    parser.add_argument("--epoch-interval-s", type=float, default=0.2, help="pause per epoch")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--run-id", default=None)
    args = parser.parse_args(argv)

    n = args.qubits
    target = discretised_normal(n)
    rng = np.random.default_rng(args.seed)
    logits = rng.normal(0.0, 2.0, 2**n)
    run_id = args.run_id or f"stop-on-advice-{uuid.uuid4()}"
    with QmonPublisher(args.bootstrap_servers, args.schema_registry_url) as qmon:
        with qmon.start_run(
            run_id,
            experiment="stop-on-advice",
            model_type="softmax_stand_in",
            qubits=n,
            shots=args.shots,
            optimizer="gradient_descent",
            optimizer_settings={"lr": args.learning_rate},
            seed=args.seed,
            target=target,
            max_epochs=args.max_epochs,
        ) as run:
            print(f"run_id={run_id}", flush=True)
            for epoch in range(1, args.max_epochs + 1):
                q = np.exp(logits - logits.max())
                q /= q.sum()
                counts = rng.multinomial(args.shots, q)
                outcomes = np.nonzero(counts)[0]
                run.publish_epoch(epoch, outcomes, counts[outcomes])
                print(f"epoch {epoch} jsd {jsd_bits(target, counts / args.shots):.5f}", flush=True)
                if run.should_stop():
                    advice = [a for a in run.advice() if a["stop"]][0]
                    print(
                        f"stopped at epoch {epoch} on {advice['kind']} (epoch {advice['epoch']}, "
                        f"saves {advice['epochs_saved']} epochs, {advice['shots_saved']} shots)",
                        flush=True,
                    )
                    break
                logits -= args.learning_rate * (q - target)  # d KL(target || q) / d logits
                time.sleep(args.epoch_interval_s)
            else:
                print(f"ran all {args.max_epochs} epochs", flush=True)


if __name__ == "__main__":
    main()

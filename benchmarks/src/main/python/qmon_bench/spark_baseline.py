"""PySpark baseline for `qmon bench`: the way QGM papers evaluate circuit outputs offline.

Reads circuit outputs (JSON lines of run_id, epoch, sparse outcomes and counts) and a target
distribution, computes classical fidelity, KL(P||Q), JSD and Shannon entropy per row with a
Python UDF on a local[2] Spark session, collects the results, and prints one JSON line with the
timings: Spark start-up (JVM + session) apart from the measured work (read -> collected).

Definitions match qmon's (base-2 logs; KL smoothed with Laplace alpha = 0.5 over the 2^n
outcomes, Krichevsky-Trofimov, as qmon's MetricCalculator does).

usage: spark_baseline.py INPUT.jsonl TARGET.json
"""

import json
import math
import sys
import time

KL_ALPHA = 0.5


def score(p, outcomes, counts):
    """Fidelity, KL, JSD and entropy (bits) of one row against the dense target p."""
    size = len(p)
    shots = float(sum(counts))
    q = [0.0] * size
    for x, c in zip(outcomes, counts):
        q[x] = c / shots
    smoothed_total = shots + KL_ALPHA * size
    root_overlap = 0.0
    kl = 0.0
    jsd = 0.0
    entropy = 0.0
    for x in range(size):
        px = p[x]
        qx = q[x]
        root_overlap += math.sqrt(px * qx)
        m = 0.5 * (px + qx)
        if px > 0:
            kl += px * math.log2(px / ((qx * shots + KL_ALPHA) / smoothed_total))
            jsd += 0.5 * px * math.log2(px / m)
        if qx > 0:
            jsd += 0.5 * qx * math.log2(qx / m)
            entropy -= qx * math.log2(qx)
    return (root_overlap * root_overlap, kl, jsd, entropy)


def main(input_path, target_path):
    started = time.perf_counter()
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("qmon-bench-baseline")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    # One trivial job so the Python workers and executors exist before the clock starts.
    spark.range(2).count()
    startup_s = time.perf_counter() - started

    with open(target_path) as f:
        target = json.load(f)
    p = spark.sparkContext.broadcast(target["probabilities"])
    metrics = T.StructType(
        [
            T.StructField("fidelity", T.DoubleType()),
            T.StructField("kl", T.DoubleType()),
            T.StructField("jsd", T.DoubleType()),
            T.StructField("entropy_bits", T.DoubleType()),
        ]
    )
    score_udf = F.udf(lambda o, c: score(p.value, o, c), metrics)
    schema = T.StructType(
        [
            T.StructField("run_id", T.StringType()),
            T.StructField("epoch", T.IntegerType()),
            T.StructField("outcomes", T.ArrayType(T.LongType())),
            T.StructField("counts", T.ArrayType(T.LongType())),
        ]
    )

    begin = time.perf_counter()
    rows = (
        spark.read.schema(schema)
        .json(input_path)
        .select("run_id", "epoch", score_udf("outcomes", "counts").alias("m"))
        .collect()
    )
    compute_s = time.perf_counter() - begin
    spark.stop()

    count = len(rows)
    print(
        json.dumps(
            {
                "rows": count,
                "startup_s": startup_s,
                "compute_s": compute_s,
                "mean_jsd": sum(r.m.jsd for r in rows) / max(1, count),
                "mean_fidelity": sum(r.m.fidelity for r in rows) / max(1, count),
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

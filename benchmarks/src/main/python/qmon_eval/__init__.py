"""Python side of `qmon eval-detectors`: River's streaming change detectors as baselines."""

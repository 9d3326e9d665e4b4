"""Adapters between training libraries and a qmon run: optimizer callbacks and state vectors.

Pure Python; nothing here imports Qiskit, PennyLane, SciPy or torch.
"""

import math
from numbers import Integral, Real
from typing import Any, Callable, List, Optional, Tuple

from .qiskit_counts import BIT_ORDERS, PENNYLANE, QISKIT


class OptimizerCallback:
    """Publishes one epoch per optimizer iteration (every ``every``-th call) to a run.

    Accepted call shapes, told apart by their arguments:

    - ``callback(nfev, params, value, *rest)``: qiskit-machine-learning's and qiskit-algorithms'
      optimizers (``SPSA``: ``nfev, x, fx, stepsize, accepted``; ``VQE``/``SamplingVQE``:
      ``eval_count, params, value, metadata``);
    - ``callback(weights, objective_value)``: qiskit-machine-learning's trainable models
      (``NeuralNetworkClassifier``, ``VQC``, ``VQR``...);
    - ``callback(xk)`` or ``callback(intermediate_result=res)``: ``scipy.optimize.minimize``
      (use ``.scipy``, whose signature makes SciPy pass the ``OptimizeResult``).

    For each published call, ``sample(params)`` gives the counts (anything ``log_epoch`` takes)
    and the objective value, when the call carries one, is published as the loss ``loss_name``.
    """

    def __init__(
        self,
        run: Any,
        sample: Callable[[Any], Any],
        *,
        loss_name: str = "loss",
        every: int = 1,
        bit_order: str = QISKIT,
    ):
        if not callable(sample):
            raise TypeError("sample must be a callable params -> counts")
        if every < 1:
            raise ValueError(f"every must be >= 1, got {every}")
        if bit_order not in BIT_ORDERS:
            raise ValueError(f"bit_order {bit_order!r} is not one of {BIT_ORDERS}")
        self._run = run
        self._sample = sample
        self._loss_name = loss_name
        self._every = every
        self._bit_order = bit_order
        self.calls = 0
        self.published = 0

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        params, value = self.parse(args, kwargs)
        self.calls += 1
        if self.calls % self._every:
            return
        losses = {} if value is None else {self._loss_name: value}
        self._run.log_epoch(self._sample(params), losses, bit_order=self._bit_order)
        self.published += 1

    def scipy(self, intermediate_result: Any) -> None:
        """The SciPy form: ``minimize(..., callback=adapter.scipy)``."""
        self(intermediate_result=intermediate_result)

    @staticmethod
    def parse(args: Tuple[Any, ...], kwargs: dict) -> Tuple[Any, Optional[float]]:
        """``(params, objective value or None)`` of one callback call."""
        if "intermediate_result" in kwargs:
            result = kwargs["intermediate_result"]
            if not hasattr(result, "x"):  # COBYLA and TNC pass only xk whatever the signature
                return result, None
            return result.x, _value(getattr(result, "fun", None))
        if kwargs:
            raise TypeError(f"unexpected keyword arguments {sorted(kwargs)}")
        if len(args) == 1:
            only = args[0]
            if hasattr(only, "x") and hasattr(only, "fun"):
                return only.x, _value(only.fun)
            return only, None
        if len(args) == 2:
            return args[0], _value(args[1])
        if len(args) >= 3 and isinstance(args[0], Integral) and not isinstance(args[0], bool):
            return args[1], _value(args[2])
        raise TypeError(
            f"cannot read a callback call with {len(args)} arguments: expected (nfev, params, "
            "value, ...), (weights, objective_value), (xk) or (intermediate_result=...)"
        )


def _value(value: Any) -> Optional[float]:
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if not isinstance(value, Real):
        raise TypeError(f"objective value {value!r} is not a real number")
    return float(value)


def amplitudes_of(state: Any, bit_order: str = QISKIT) -> List[complex]:
    """A state's amplitudes as a list of complex numbers, qubit 0 = least significant index bit.

    ``state``: a Qiskit ``Statevector`` (its ``.data``), a numpy array, a torch tensor (its
    ``.tolist()``) or any sequence of numbers. ``bit_order="pennylane"`` reorders an amplitude
    vector whose index has wire 0 as the most significant bit (``qml.state()``).
    """
    if bit_order not in BIT_ORDERS:
        raise ValueError(f"bit_order {bit_order!r} is not one of {BIT_ORDERS}")
    # numpy arrays also have a .data (their buffer), so .tolist() is asked first.
    data = state if hasattr(state, "tolist") else getattr(state, "data", state)
    if hasattr(data, "tolist"):
        data = data.tolist()
    amplitudes = [complex(a) for a in data]
    if bit_order == PENNYLANE:
        size = len(amplitudes)
        qubits = size.bit_length() - 1
        if size != 1 << qubits:
            raise ValueError(f"{size} amplitudes is not a power of two")
        amplitudes = [amplitudes[_reverse_bits(i, qubits)] for i in range(size)]
    for i, a in enumerate(amplitudes):
        if not (math.isfinite(a.real) and math.isfinite(a.imag)):
            raise ValueError(f"amplitude {i} = {a} is not finite")
    return amplitudes


def _reverse_bits(index: int, width: int) -> int:
    out = 0
    for _ in range(width):
        out = (out << 1) | (index & 1)
        index >>= 1
    return out

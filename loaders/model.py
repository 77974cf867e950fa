"""The learned decisions: one model per decision, stored as JSON data — a logistic regression
(:class:`Logistic`) or boosted decision trees (:class:`Trees`).

A model maps a list of string features (``origin=quote``, ``tail=서비스`` …) to a probability.
Logistic training (:func:`fit`) is plain Python with a fixed example order and fixed arithmetic, so
the same examples give the same weights on every machine; weights are rounded when saved, so the
file is byte-identical too. Trees are fitted by LightGBM at training time only (``adminkg.learn``,
the ``train`` extra) and read here as plain data: running a model needs no library. Nothing here
knows Korean or cases: the features come from ``loaders.features`` and the examples from
``adminkg.learn``.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

MODEL_FILE = Path(__file__).parent / "models" / "extraction.json"
FORMAT = "adminkg-model/2"
FORMATS = ("adminkg-logistic/1", FORMAT)  # files of the first format hold logistic decisions only


@dataclass
class Logistic:
    """P(yes | features) = sigmoid(bias + sum of the features' weights); unknown features weigh 0."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    threshold: float = 0.5

    def probability(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    @property
    def size(self) -> str:
        return f"{len(self.weights)} features"

    def as_dict(self) -> dict:
        return {
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 4),
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if round(v, 6) != 0.0},
        }

    @classmethod
    def from_dict(cls, data: dict) -> Logistic:
        return cls(weights=dict(data["weights"]), bias=float(data["bias"]), threshold=float(data["threshold"]))


@dataclass
class Trees:
    """P(yes | features) = sigmoid(the sum of each tree's leaf). A tree is a leaf (a number) or a
    split ``[feature, tree if the feature is absent, tree if it is present]``."""

    trees: list = field(default_factory=list)
    threshold: float = 0.5
    _score: object = field(default=None, init=False, repr=False, compare=False)

    def probability(self, features: list[str]) -> float:
        if self._score is None:
            self._score = _compiled(self.trees)
        z = self._score(set(features))
        if z < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    @property
    def size(self) -> str:
        used: set[str] = set()
        stack = list(self.trees)
        while stack:
            node = stack.pop()
            if type(node) is list:
                used.add(node[0])
                stack += node[1:]
        return f"{len(self.trees)} trees, {len(used)} features"

    def __getstate__(self) -> dict:  # sent to other processes (Dask) without its compiled function
        return {**self.__dict__, "_score": None}

    def as_dict(self) -> dict:
        def rounded(node):
            return [node[0], rounded(node[1]), rounded(node[2])] if type(node) is list else round(node, 6)

        return {"kind": "trees", "threshold": round(self.threshold, 4), "trees": [rounded(t) for t in self.trees]}

    @classmethod
    def from_dict(cls, data: dict) -> Trees:
        trees = list(data["trees"])
        for tree in trees:
            _check(tree)
        return cls(trees=trees, threshold=float(data["threshold"]))


def _check(node) -> None:
    """A tree is a number, or a list of a feature name and two trees; ValueError otherwise."""
    stack = [node]
    while stack:
        node = stack.pop()
        if type(node) is list:
            if len(node) != 3 or not isinstance(node[0], str):
                raise ValueError(f"a tree node is [feature, tree, tree], not {node!r:.80}")
            stack += node[1:]
        elif type(node) not in (int, float):
            raise ValueError(f"a tree leaf is a number, not {node!r:.80}")


def _compiled(trees: list):
    """The trees as one Python function of the set of present features (a third of the time of
    walking them). Its source holds nothing but the feature names and leaf values as literals."""
    def expr(node) -> str:
        if type(node) is list:
            return f"({expr(node[2])} if {str(node[0])!r} in p else {expr(node[1])})"
        return repr(float(node))

    for tree in trees:
        _check(tree)
    lines = ["def score(p):", "    z = 0.0", *(f"    z += {expr(t)}" for t in trees), "    return z"]
    namespace: dict = {}
    exec(compile("\n".join(lines), "<adminkg trees>", "exec"), {"__builtins__": {}}, namespace)  # noqa: S102
    return namespace["score"]


KINDS = {"logistic": Logistic, "trees": Trees}


@dataclass
class Model:
    """The decisions of one extraction model, by name (``case``, ``agency``, ``technology`` …)."""

    decisions: dict[str, Logistic | Trees] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def probability(self, decision: str, features: list[str]) -> float | None:
        """The probability of a decision, or None when the model has no such decision."""
        m = self.decisions.get(decision)
        return None if m is None else m.probability(features)

    def decides(self, decision: str) -> bool:
        """Whether the model makes this decision; a decision with threshold 0 only scores (its
        probability is the confidence of what the rules chose)."""
        m = self.decisions.get(decision)
        return m is not None and m.threshold > 0

    def accepts(self, decision: str, p: float) -> bool:
        m = self.decisions.get(decision)
        return m is None or p >= m.threshold

    def dumps(self) -> str:
        data = {
            "format": FORMAT,
            "meta": self.meta,
            "decisions": {k: v.as_dict() for k, v in sorted(self.decisions.items())},
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def loads(cls, text: str, *, source: str = "model") -> Model:
        data = json.loads(text)
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        if found not in FORMATS:
            raise ValueError(f"{source}: not an adminkg model (format {found!r}, expected {FORMAT!r})")
        decisions = {}
        for name, v in data["decisions"].items():
            kind = v.get("kind", "logistic")
            if kind not in KINDS:
                raise ValueError(f"{source}: decision {name!r} is of an unknown kind {kind!r} ({', '.join(KINDS)})")
            decisions[name] = KINDS[kind].from_dict(v)
        return cls(decisions, data.get("meta", {}))

    @classmethod
    def load(cls, path: Path | str = MODEL_FILE) -> Model:
        path = Path(path)
        return cls.loads(path.read_text(encoding="utf-8"), source=str(path))


def fit(examples: list[tuple[list[str], int]], *, l2: float = 5.0, epochs: int = 30, rate: float = 0.2,
        min_count: int = 2) -> Logistic:
    """L2-regularised logistic regression by AdaGrad over the examples in their given order.

    Features seen fewer than ``min_count`` times are left out (they would only memorise one
    document). Deterministic: no shuffling, no threads, Python floats only.
    """
    counts: dict[str, int] = {}
    for feats, _ in examples:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    keep = {f for f, n in counts.items() if n >= min_count}
    data = [(sorted(set(f for f in feats if f in keep)), y) for feats, y in examples]
    w: dict[str, float] = dict.fromkeys(sorted(keep), 0.0)
    g2: dict[str, float] = dict.fromkeys(w, 1e-8)
    pos = sum(y for _, y in data)
    b = math.log((pos + 1) / (len(data) - pos + 1)) if data else 0.0
    gb2 = 1e-8
    n = max(1, len(data))
    decay = l2 / n
    for _ in range(epochs):
        for feats, y in data:
            z = b + sum(w[f] for f in feats)
            p = 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0
            err = p - y
            gb2 += err * err
            b -= rate * err / math.sqrt(gb2)
            for f in feats:
                g = err + decay * w[f] * n / max(1, counts[f])
                g2[f] += g * g
                w[f] -= rate * g / math.sqrt(g2[f])
    return Logistic(weights=w, bias=b)

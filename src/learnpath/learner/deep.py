"""Deep knowledge tracing (Piech et al. 2015) with Rasch-style question embeddings (Ghosh et al. 2020).

An LSTM reads a learner's answers in order; its hidden state ``h`` is the learner's knowledge.
Each row is embedded from its skills and its item, AKT's "Rasch embedding": a question is
``q = mean_s E[s] + mu_item * mean_s D[s]`` (skill embeddings ``E``, a skill's variation ``D`` and a
scalar difficulty ``mu`` per item), and the LSTM input is ``x = q + mean_s A[s, correct]``.
P(correct) of the next row is read from the state before it and that row's question::

    z = w_out . relu(W_hid [h_prev; q; f] + b_hid) + b_out + bias_item

so the output is question-aware (as pyKT's DKT variants), and an item unseen in ``fit`` falls back to
its skills (``mu = bias = 0``). Rows tagging several skills average their skills' embeddings. ``f``
(with ``features=True``, the default) are six counts of the learner's history before the row
(:mod:`learnpath.learner._counts`: right and wrong answers and the share right, on the row's skills and
overall); a version stored before they existed loads with ``features=False``.

Training needs PyTorch, an optional extra (``pip install 'learnpath[torch]'``; it is imported only
inside ``fit``). It runs on the GPU when ``torch.cuda.is_available()`` (``device="auto"``), else on the
CPU with ``n_threads`` threads. Learners are batched by similar length; each batch is read in
windows of ``window`` steps with the LSTM state carried across windows (truncated back-propagation),
so a long history is trained as it is predicted. A ``valid_fraction`` of the training learners is
held out (drawn with ``seed``) for early stopping on AUC; the best epoch's weights are kept.
Everything random (initial weights, batch order, dropout masks, the hold-out) comes from ``seed``:
on the CPU two fits with the same seed and threads give the same weights.

Inference (``predict_proba``, ``update``, ``mastery``) is NumPy only, from the weights stored as
float32 (base64 in ``to_dict``), so a fitted model is used, saved and reloaded without PyTorch.

The online state is the LSTM's ``h`` and ``c`` as float lists, the answer counts ``n`` and ``right``
and per-skill counts. Mastery of a skill is P(correct) on an average question of that skill
(``mu = bias = 0``) from the current state. DKT has no posterior, so its interval is
:func:`~learnpath.learner.base.mastery_interval` of that probability and the number of attempts on the
skill; and unlike BKT and IRT, a correct answer is not guaranteed to raise mastery (the LSTM may learn
otherwise).
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from learnpath.core.evidence import Attempt
from learnpath.errors import FieldError, NotFittedError, ValidationError
from learnpath.learner._counts import N_FEATURES, history_features, state_features
from learnpath.learner.base import AttemptTable, LearnerState, SkillMastery, check_sorted, mastery_interval
from learnpath.learner.metrics import auc, log_loss

if TYPE_CHECKING:  # pragma: no cover
    import torch

__all__ = ["DKT", "TORCH_HINT", "require_torch"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
TORCH_HINT = "the dkt and attn models need PyTorch to fit: pip install 'learnpath[torch]'"
MAX_SKILLS_PER_ROW = 8
WEIGHT_NAMES = (
    "skill", "skill_var", "inter", "item_mu", "item_bias",
    "w_ih", "w_hh", "b_ih", "b_hh", "hid_w", "hid_b", "out_w", "out_b",
)  # fmt: skip


def require_torch() -> Any:
    """``import torch``, or a clear error saying how to install it."""
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - exercised only where torch is absent
        raise ValidationError.for_field("model", TORCH_HINT) from exc
    return torch


def _sigmoid(z: F64) -> F64:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _encode_weights(arr: npt.NDArray[np.float32]) -> dict[str, Any]:
    data = np.ascontiguousarray(arr, dtype="<f4")
    return {"shape": list(data.shape), "data": base64.b64encode(data.tobytes()).decode("ascii")}


def _decode_weights(name: str, obj: dict[str, Any]) -> npt.NDArray[np.float32]:
    try:
        shape = tuple(int(n) for n in obj["shape"])
        raw = base64.b64decode(obj["data"], validate=True)
        return np.frombuffer(raw, dtype="<f4").reshape(shape).astype(np.float32)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError.for_field(f"params.weights.{name}", f"is not valid: {exc}") from exc


class _Rows:
    """A table's rows in the model's vocabulary: item index, skill slots, answers, learner starts."""

    def __init__(self, lookups: tuple[dict[str, int], dict[str, int]], attempts: AttemptTable) -> None:
        n = len(attempts)
        lookup_i, lookup_s = lookups
        self.item: I64 = (
            np.array([lookup_i.get(v, 0) for v in attempts.item_names], dtype=np.int64)[attempts.item]
            if n
            else np.zeros(0, dtype=np.int64)
        )
        skill_map = np.array([lookup_s.get(v, 0) for v in attempts.skill_names] or [0], dtype=np.int64)
        indptr = attempts.skill_indptr
        counts = np.diff(indptr)
        rows = np.repeat(np.arange(n, dtype=np.int64), counts)
        pos = np.arange(indptr[-1], dtype=np.int64) - indptr[rows]
        keep = pos < MAX_SKILLS_PER_ROW
        width = int(min(max(int(counts.max(initial=1)), 1), MAX_SKILLS_PER_ROW))
        self.skills: I64 = np.zeros((n, width), dtype=np.int64)
        self.skills[rows[keep], pos[keep]] = skill_map[attempts.skill_indices[keep]]
        self.y: I64 = attempts.correct.astype(np.int64)
        new = np.ones(n, dtype=bool)
        new[1:] = attempts.learner[1:] != attempts.learner[:-1]
        self.starts: I64 = np.flatnonzero(new).astype(np.int64)
        self.lengths: I64 = np.diff(np.r_[self.starts, n]).astype(np.int64)


class NeuralKT:
    """What the PyTorch-trained models (:class:`DKT`, ``attention.AttentionKT``) share.

    Hyperparameter checks, the vocabulary, the Rasch question embedding and the question-aware read-out
    ``relu(W_hid [s; q; f])`` from a state ``s``, the answer counts kept in the online state, mastery,
    the frame of ``fit`` (vocabulary, hold-out learners, threads) and JSON serialisation. A subclass sets
    ``name``, ``label``, ``PARAMS``, ``INTS`` and ``WEIGHTS`` and supplies ``_state_width``, ``_prepare``,
    ``_p_rows``, ``_train`` and ``_check_shapes``.
    """

    name: str
    label: ClassVar[str]
    """How messages name the model ("DKT", "the attention model")."""
    PARAMS: ClassVar[tuple[str, ...]]
    INTS: ClassVar[tuple[str, ...]]
    """Hyperparameters that must be integers >= 1."""
    WEIGHTS: ClassVar[tuple[str, ...]]
    OLD_DEFAULTS: ClassVar[dict[str, Any]] = {}
    """Hyperparameters a version stored before they existed is loaded with."""

    features: bool
    dropout: float
    lr: float
    max_epochs: int
    patience: int
    reg_item: float
    valid_fraction: float
    seed: int
    device: str
    n_threads: int | None
    items_: tuple[str, ...]
    skills_: tuple[str, ...]
    weights_: dict[str, npt.NDArray[np.float32]]
    history_: list[float]
    best_epoch_: int
    device_: str

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.PARAMS}

    def _problems(self) -> list[FieldError]:
        problems = [
            FieldError(k, f"must be an integer >= 1, got {getattr(self, k)!r}")
            for k in self.INTS
            if not (isinstance(getattr(self, k), int) and getattr(self, k) >= 1)
        ]
        if not isinstance(self.features, bool):
            problems.append(FieldError("features", f"must be true or false, got {self.features!r}"))
        if not 0.0 <= self.dropout < 1.0:
            problems.append(FieldError("dropout", f"must be in [0, 1), got {self.dropout!r}"))
        if not self.lr > 0.0:
            problems.append(FieldError("lr", f"must be > 0, got {self.lr!r}"))
        if not self.reg_item >= 0.0:
            problems.append(FieldError("reg_item", f"must be >= 0, got {self.reg_item!r}"))
        if not 0.0 <= self.valid_fraction < 1.0:
            problems.append(FieldError("valid_fraction", f"must be in [0, 1), got {self.valid_fraction!r}"))
        if self.device not in ("auto", "cpu", "cuda"):
            problems.append(FieldError("device", f"must be 'auto', 'cpu' or 'cuda', got {self.device!r}"))
        if self.n_threads is not None and not (isinstance(self.n_threads, int) and self.n_threads >= 1):
            problems.append(
                FieldError("n_threads", f"must be None or an integer >= 1, got {self.n_threads!r}")
            )
        return problems

    def _validate(self) -> None:
        problems = self._problems()
        if problems:
            raise ValidationError(f"{self.label} hyperparameters are not valid", problems)

    # -- vocabulary and weights -----------------------------------------------------------------
    def _is_fitted(self) -> bool:
        return "weights_" in self.__dict__

    def _check_fitted(self) -> None:
        if not self._is_fitted():
            raise NotFittedError(f"{self.label} is not fitted yet: call fit(attempts) first")

    def _lookups(self) -> tuple[dict[str, int], dict[str, int]]:
        cached: tuple[Any, Any, dict[str, int], dict[str, int]] | None = self.__dict__.get("_lookup_cache")
        if cached is None or cached[0] is not self.items_ or cached[1] is not self.skills_:
            cached = (
                self.items_,
                self.skills_,
                {v: k + 1 for k, v in enumerate(self.items_)},
                {v: k + 1 for k, v in enumerate(self.skills_)},
            )
            self.__dict__["_lookup_cache"] = cached
        return cached[2], cached[3]

    def _state_width(self) -> int:
        """Width of the state ``s`` the read-out takes (the first columns of ``hid_w``)."""
        raise NotImplementedError

    def _prepare(self, w: dict[str, F64]) -> None:
        """Add the model's own inference arrays to the float64 weights ``w``."""
        raise NotImplementedError

    def _w(self) -> dict[str, F64]:
        """The weights as float64 arrays, reshaped for inference (cached; inference runs in float64)."""
        cached: tuple[Any, dict[str, F64]] | None = self.__dict__.get("_w64_cache")
        if cached is None or cached[0] is not self.weights_:
            w = {k: v.astype(np.float64) for k, v in self.weights_.items()}
            w["item_mu"] = w["item_mu"][:, 0].copy()
            w["item_bias"] = w["item_bias"][:, 0].copy()
            w["out_w"] = w["out_w"][0].copy()
            s, d = self._state_width(), w["skill"].shape[1]
            w["hid_s_t"] = np.ascontiguousarray(w["hid_w"][:, :s].T)
            w["hid_q_t"] = np.ascontiguousarray(w["hid_w"][:, s : s + d].T)
            w["hid_f_t"] = np.ascontiguousarray(w["hid_w"][:, s + d :].T)
            self._prepare(w)
            cached = (self.weights_, w)
            self.__dict__["_w64_cache"] = cached
        return cached[1]

    # -- NumPy inference ------------------------------------------------------------------------
    def _embed(self, item: I64, skills: I64, y: I64 | None) -> tuple[F64, F64 | None]:
        """Question embeddings ``q`` (n, d) and, with answers ``y``, interactions ``x`` (n, d)."""
        w = self._w()
        mask = (skills > 0).astype(np.float64)
        cnt = np.maximum(mask.sum(axis=1), 1.0)[:, None]
        q = w["skill"][skills].sum(axis=1) / cnt + w["item_mu"][item][:, None] * (
            w["skill_var"][skills].sum(axis=1) / cnt
        )
        if y is None:
            return q, None
        inter = (w["inter"][skills * 2 + y[:, None]] * mask[:, :, None]).sum(axis=1) / cnt
        return q, q + inter

    def _readout(self, s: F64, q: F64, f: F64, item: I64) -> F64:
        """P(correct) from the state ``s`` before each row, its question ``q`` and history counts ``f``."""
        w = self._w()
        hid = s @ w["hid_s_t"] + q @ w["hid_q_t"] + w["hid_b"]
        if self.features:
            hid += f @ w["hid_f_t"]
        hid = np.maximum(hid, 0.0)
        return _sigmoid(hid @ w["out_w"] + w["out_b"][0] + w["item_bias"][item])

    def _codes(self, item: str, skills: tuple[str, ...] | list[str]) -> tuple[int, list[int]]:
        lookup_i, lookup_s = self._lookups()
        return lookup_i.get(item, 0), [lookup_s.get(s, 0) for s in skills[:MAX_SKILLS_PER_ROW]] or [0]

    def _p_rows(self, state: LearnerState, item: I64, skills: I64, names: list[tuple[str, ...]]) -> F64:
        """P(correct) now, from ``state``, on questions (``item``, ``skills``) tagging ``names``."""
        raise NotImplementedError

    def p_item(self, state: LearnerState, item: str, skills: tuple[str, ...]) -> float:
        """P(correct) on ``item`` (tagged ``skills``) now: what ``predict_proba`` gives that row."""
        self._check_fitted()
        item_ix, skill_ix = self._codes(item, skills)
        rows = np.array([skill_ix], dtype=np.int64)
        return float(self._p_rows(state, np.array([item_ix], dtype=np.int64), rows, [tuple(skills)])[0])

    def p_correct(self, state: LearnerState, skills: tuple[str, ...]) -> float:
        """P(correct) on an average question tagging ``skills`` (no item difficulty)."""
        if not skills:
            return 0.5
        return self.p_item(state, "", skills)

    def _counted(self, state: LearnerState, attempt: Attempt) -> LearnerState:
        """``state`` with ``attempt`` in its answer counts (overall and per skill); input unchanged."""
        skills: dict[str, Any] = dict(state.get("skills", {}))
        at = attempt.at.isoformat()
        for code in dict.fromkeys(attempt.skills):
            prev = skills.get(code)
            skills[code] = {
                "n": (int(prev["n"]) if prev else 0) + 1,
                "c": (int(prev["c"]) if prev else 0) + int(attempt.correct),
                "last_at": at,
            }
        return {
            **state,
            "model": self.name,
            "n": int(state.get("n", 0)) + 1,
            "right": int(state.get("right", 0)) + int(attempt.correct),
            "skills": skills,
        }

    def mastery(self, state: LearnerState) -> dict[str, SkillMastery]:
        """P(correct) on an average question of each practised skill, with an interval from the count."""
        codes = list(state.get("skills", {}))
        if not codes:
            return {}
        self._check_fitted()
        _, lookup_s = self._lookups()
        skill_ix = np.array([[lookup_s.get(code, 0)] for code in codes], dtype=np.int64)
        ps = self._p_rows(state, np.zeros(len(codes), dtype=np.int64), skill_ix, [(c,) for c in codes])
        out: dict[str, SkillMastery] = {}
        for code, p in zip(codes, ps.tolist(), strict=True):
            n = int(state["skills"][code]["n"])
            low, high = mastery_interval(p, n)
            out[code] = SkillMastery(p, min(low, p), max(high, p), n)
        return out

    # -- training (PyTorch) ---------------------------------------------------------------------
    def _train(
        self,
        torch: Any,
        rows: _Rows,
        feats: F64,
        sizes: tuple[int, int],
        train: I64,
        valid: I64,
        rng: np.random.Generator,
    ) -> tuple[dict[str, npt.NDArray[np.float32]], list[float], int, str]:
        """Weights, validation history, best epoch and device name (the module's PyTorch side)."""
        raise NotImplementedError

    def fit(self, attempts: AttemptTable) -> Self:
        """Train with early stopping on held-out learners; returns ``self``."""
        self._validate()
        check_sorted(attempts)
        if len(attempts) == 0:
            raise ValidationError.for_field("attempts", "expected at least one attempt, got an empty table")
        torch = require_torch()
        items = tuple(attempts.item_names[i] for i in np.unique(attempts.item))
        skills = tuple(attempts.skill_names[s] for s in np.unique(attempts.skill_indices))
        lookups = ({v: k + 1 for k, v in enumerate(items)}, {v: k + 1 for k, v in enumerate(skills)})
        rows = _Rows(lookups, attempts)
        feats = history_features(attempts) if self.features else np.zeros((len(attempts), 0))
        rng = np.random.default_rng(self.seed)
        n_learners = len(rows.starts)
        n_valid = round(self.valid_fraction * n_learners) if n_learners > 1 else 0
        perm = rng.permutation(n_learners)
        valid, train = np.sort(perm[:n_valid]), np.sort(perm[n_valid:])
        old_threads = torch.get_num_threads()
        if self.n_threads is not None:
            torch.set_num_threads(self.n_threads)
        try:
            weights, history, best_epoch, device = self._train(
                torch, rows, feats, (len(items), len(skills)), train, valid, rng
            )
        finally:
            torch.set_num_threads(old_threads)
        self.items_, self.skills_ = items, skills  # set together with the weights: never half-fitted
        self.weights_ = weights
        self.history_ = history
        self.best_epoch_ = best_epoch
        self.device_ = device
        return self

    # -- serialisation --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"model": self.name, "hyperparameters": self.get_params()}
        if self._is_fitted():
            out["params"] = {
                "items": list(self.items_),
                "skills": list(self.skills_),
                "weights": {k: _encode_weights(self.weights_[k]) for k in self.WEIGHTS},
            }
        return out

    def _check_shapes(self) -> None:
        """Raise ValidationError if the loaded weights do not fit together (the model's own arrays)."""
        raise NotImplementedError

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        if data.get("model") != cls.name:
            raise ValidationError.for_field("model", f"expected {cls.name!r}, got {data.get('model')!r}")
        model = cls(**{**cls.OLD_DEFAULTS, **data.get("hyperparameters", {})})
        prm = data.get("params")
        if prm:
            weights = prm.get("weights", {})
            missing = [k for k in cls.WEIGHTS if k not in weights]
            if missing:
                raise ValidationError.for_field("params.weights", f"missing {', '.join(missing)}")
            model.items_ = tuple(str(v) for v in prm["items"])
            model.skills_ = tuple(str(v) for v in prm["skills"])
            model.weights_ = {k: _decode_weights(k, weights[k]) for k in cls.WEIGHTS}
            if model.weights_["item_mu"].shape[0] != len(model.items_) + 1:
                raise ValidationError.for_field("params.weights.item_mu", "does not match the item list")
            if model.weights_["skill"].shape[0] != len(model.skills_) + 1:
                raise ValidationError.for_field("params.weights.skill", "does not match the skill list")
            model._check_shapes()
        return model


def device_for(torch: Any, device: str) -> Any:
    """The torch device ``device`` ("auto", "cpu", "cuda") means here; "cuda" without a GPU is an error."""
    if device == "cuda" and not torch.cuda.is_available():
        raise ValidationError.for_field("device", "cuda was asked for but no GPU is available")
    want_cuda = device == "cuda" or (device == "auto" and torch.cuda.is_available())
    return torch.device("cuda" if want_cuda else "cpu")


def step(torch: Any, net: Any, opt: Any, loss: Any) -> None:
    """One Adam step on ``loss`` with gradients clipped to norm 5."""
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
    opt.step()


def early_stopping(
    model: NeuralKT,
    net: Any,
    n_batches: int,
    train_batch: Callable[[int], None],
    score: Callable[[], float] | None,
    rng: np.random.Generator,
) -> tuple[dict[str, npt.NDArray[np.float32]], list[float], int]:
    """Epochs of ``train_batch`` over the batches in a random order, keeping the weights of the epoch with
    the best ``score`` (validation AUC; without one, the last epoch) and stopping after ``patience``
    epochs without a better one. Returns the kept state dict (float32 arrays), the scores, the epoch."""
    history: list[float] = []
    best: tuple[float, int, dict[str, Any]] | None = None
    for epoch in range(model.max_epochs):
        net.train()
        for b in rng.permutation(n_batches).tolist():
            train_batch(b)
        value = score() if score is not None else float(epoch)
        history.append(value)
        if best is None or value > best[0]:
            best = (value, epoch, copy.deepcopy(net.state_dict()))
        elif epoch - best[1] >= model.patience:
            break
    assert best is not None
    return {k: v.detach().cpu().numpy().astype(np.float32) for k, v in best[2].items()}, history, best[1]


def auc_or_log_loss(ys: list[npt.NDArray[Any]], ps: list[npt.NDArray[Any]]) -> float:
    """AUC of the held-out answers (minus the log loss if they are all alike)."""
    y_all, p_all = np.concatenate(ys), np.concatenate(ps).astype(np.float64)
    if y_all.min() == y_all.max():
        return -log_loss(y_all, p_all)
    return auc(y_all, p_all)


class DKT(NeuralKT):
    """Deep knowledge tracing: an LSTM over answers with Rasch question embeddings (see module doc).

    Hyperparameters: ``embed`` and ``hidden`` sizes, ``dropout`` (on the state read by the output),
    ``lr`` (Adam), ``reg_item`` (L2 on the per-item ``mu`` and bias), ``batch_size`` (learners),
    ``window`` (steps per back-propagation window), ``max_epochs``, ``patience`` (epochs without a
    better validation AUC before stopping), ``valid_fraction``, ``seed``, ``device`` (``"auto"``,
    ``"cpu"`` or ``"cuda"``), ``n_threads`` (CPU threads while fitting; None: PyTorch's default; 1 by
    default, as the products are small and extra threads spin-wait on a busy machine).
    Learned: ``items_``, ``skills_``, ``weights_`` (name -> float32 array), ``history_`` (per-epoch
    validation AUC), ``best_epoch_``, ``device_``.
    """

    name = "dkt"
    label = "DKT"
    PARAMS = (
        "embed", "hidden", "dropout", "lr", "reg_item", "batch_size", "window", "features", "max_epochs",
        "patience", "valid_fraction", "seed", "device", "n_threads",
    )  # fmt: skip
    INTS = ("embed", "hidden", "batch_size", "window", "max_epochs", "patience")
    WEIGHTS = WEIGHT_NAMES
    OLD_DEFAULTS: ClassVar[dict[str, Any]] = {"features": False}  # stored before the history counts

    def __init__(
        self,
        embed: int = 64,
        hidden: int = 64,
        dropout: float = 0.2,
        lr: float = 4e-3,
        reg_item: float = 1e-4,
        batch_size: int = 8,
        window: int = 100,
        features: bool = True,
        max_epochs: int = 20,
        patience: int = 2,
        valid_fraction: float = 0.1,
        seed: int = 0,
        device: str = "auto",
        n_threads: int | None = 1,
    ) -> None:
        self.embed = embed
        self.hidden = hidden
        self.dropout = dropout
        self.lr = lr
        self.reg_item = reg_item
        self.batch_size = batch_size
        self.window = window
        self.features = features
        self.max_epochs = max_epochs
        self.patience = patience
        self.valid_fraction = valid_fraction
        self.seed = seed
        self.device = device
        self.n_threads = n_threads

    def _state_width(self) -> int:
        return self.hidden_

    def _prepare(self, w: dict[str, F64]) -> None:
        w["b"] = w["b_ih"] + w["b_hh"]
        w["w_ih_t"] = np.ascontiguousarray(w["w_ih"].T)
        w["w_hh_t"] = np.ascontiguousarray(w["w_hh"].T)

    @property
    def hidden_(self) -> int:
        return int(self.weights_["w_hh"].shape[1])

    # -- NumPy inference ------------------------------------------------------------------------
    def _lstm_step(self, g: F64, c: F64) -> tuple[F64, F64]:
        """One LSTM step from pre-activations ``g`` (.., 4H), PyTorch's gate order i, f, g, o."""
        hd = self.hidden_
        i = _sigmoid(g[..., :hd])
        f = _sigmoid(g[..., hd : 2 * hd])
        cell = np.tanh(g[..., 2 * hd : 3 * hd])
        o = _sigmoid(g[..., 3 * hd :])
        c = f * c + i * cell
        return o * np.tanh(c), c

    def predict_proba(self, attempts: AttemptTable) -> F64:
        """P(correct) of each row from the same learner's earlier rows (NumPy; no PyTorch needed)."""
        self._check_fitted()
        check_sorted(attempts)
        n = len(attempts)
        if n == 0:
            return np.zeros(0)
        with threadpool_limits(1, user_api="blas"):  # tiny products: threads only add waiting
            return self._predict_rows(_Rows(self._lookups(), attempts), history_features(attempts), n)

    def _predict_rows(self, rows: _Rows, feats: F64, n: int) -> F64:
        w = self._w()
        q, x = self._embed(rows.item, rows.skills, rows.y)
        assert x is not None
        order = np.argsort(-rows.lengths, kind="stable")
        starts, lengths = rows.starts[order], rows.lengths[order]
        hd = self.hidden_
        h = np.zeros((len(starts), hd))
        c = np.zeros((len(starts), hd))
        h_prev = np.empty((n, hd))
        for t in range(int(lengths[0])):
            k = int(np.searchsorted(-lengths, -t, side="left"))  # learners with length > t
            idx = starts[:k] + t
            h_prev[idx] = h[:k]
            g = x[idx] @ w["w_ih_t"] + h[:k] @ w["w_hh_t"] + w["b"]
            h[:k], c[:k] = self._lstm_step(g, c[:k])
        return self._readout(h_prev, q, feats, rows.item)

    # -- online ---------------------------------------------------------------------------------
    def init_state(self) -> LearnerState:
        size = self.hidden_ if self._is_fitted() else self.hidden
        return {"model": self.name, "h": [0.0] * size, "c": [0.0] * size, "n": 0, "right": 0, "skills": {}}

    def _p_rows(self, state: LearnerState, item: I64, skills: I64, names: list[tuple[str, ...]]) -> F64:
        q, _ = self._embed(item, skills, None)
        h = np.asarray(state["h"], dtype=np.float64)
        return self._readout(
            np.broadcast_to(h, (len(item), h.shape[0])), q, state_features(state, names), item
        )

    def update(self, state: LearnerState, attempt: Attempt) -> LearnerState:
        """A new state with ``attempt`` read by the LSTM (input left unchanged)."""
        self._check_fitted()
        w = self._w()
        item_ix, skill_ix = self._codes(attempt.item, attempt.skills)
        y = np.array([int(attempt.correct)], dtype=np.int64)
        _, x = self._embed(np.array([item_ix]), np.array([skill_ix], dtype=np.int64), y)
        assert x is not None
        h, c = np.asarray(state["h"], dtype=np.float64), np.asarray(state["c"], dtype=np.float64)
        h, c = self._lstm_step(x[0] @ w["w_ih_t"] + w["b"] + h @ w["w_hh_t"], c)
        return {**self._counted(state, attempt), "h": h.tolist(), "c": c.tolist()}

    # -- training and serialisation -------------------------------------------------------------
    def _train(
        self,
        torch: Any,
        rows: _Rows,
        feats: F64,
        sizes: tuple[int, int],
        train: I64,
        valid: I64,
        rng: np.random.Generator,
    ) -> tuple[dict[str, npt.NDArray[np.float32]], list[float], int, str]:
        """Adam with early stopping on the ``valid`` learners' AUC (without any: the last epoch)."""
        dev = device_for(torch, self.device)
        d, hd = self.embed, self.hidden
        net = _net(torch, sizes[0], sizes[1], d, hd, feats.shape[1])
        _init_weights(torch, net, rng, d, hd, _item_log_odds(rows, train, sizes[0]))
        net.to(dev)
        opt = torch.optim.Adam(net.parameters(), lr=self.lr)
        gen = torch.Generator(device=dev)
        gen.manual_seed(int(rng.integers(0, 2**62)))

        def tensors(batch: tuple[np.ndarray, ...]) -> tuple[Any, ...]:
            return tuple(torch.from_numpy(a).to(dev) for a in batch)

        train_batches = [tensors(b) for b in _batches(rows, feats, train, self.batch_size)]
        valid_batches = [tensors(b) for b in _batches(rows, feats, valid, 256)]
        keep = 1.0 - self.dropout

        def train_batch(b: int) -> None:
            item, skills, y, f, mask = train_batches[b]
            state = None
            for t0 in range(0, item.shape[1], self.window):
                sl = slice(t0, t0 + self.window)
                m = mask[:, sl]
                if not bool(m.any()):
                    break
                drop = None
                if self.dropout > 0.0:
                    shape = (item.shape[0], m.shape[1], hd)
                    drop = (torch.rand(shape, generator=gen, device=dev) < keep).to(torch.float32) / keep
                logit, state, penalty = net(item[:, sl], skills[:, sl], y[:, sl], f[:, sl], state, drop)
                state = (state[0].detach(), state[1].detach())
                loss = (
                    torch.nn.functional.binary_cross_entropy_with_logits(
                        logit[m], y[:, sl][m].to(torch.float32)
                    )
                    + self.reg_item * penalty[m].mean()
                )
                step(torch, net, opt, loss)

        def score() -> float:
            return _valid_score(torch, net, valid_batches)

        sd, history, best_epoch = early_stopping(
            self, net, len(train_batches), train_batch, score if len(valid) else None, rng
        )
        weights = {
            "skill": sd["skill.weight"],
            "skill_var": sd["skill_var.weight"],
            "inter": sd["inter.weight"],
            "item_mu": sd["item_mu.weight"],
            "item_bias": sd["item_bias.weight"],
            "w_ih": sd["lstm.weight_ih_l0"],
            "w_hh": sd["lstm.weight_hh_l0"],
            "b_ih": sd["lstm.bias_ih_l0"],
            "b_hh": sd["lstm.bias_hh_l0"],
            "hid_w": sd["hid.weight"],
            "hid_b": sd["hid.bias"],
            "out_w": sd["out.weight"],
            "out_b": sd["out.bias"],
        }
        return weights, history, best_epoch, str(dev)

    def _check_shapes(self) -> None:
        width = self.weights_["w_hh"].shape[1] + self.weights_["skill"].shape[1]
        if self.weights_["hid_w"].shape[1] != width + (N_FEATURES if self.features else 0):
            raise ValidationError.for_field("params.weights.hid_w", "does not match the features setting")


# -- the PyTorch side (only reached from fit) -----------------------------------------------------
def _net(torch: Any, n_items: int, n_skills: int, d: int, hd: int, n_feats: int = 0) -> Any:
    nn = torch.nn

    class Net(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.skill = nn.Embedding(n_skills + 1, d, padding_idx=0)
            self.skill_var = nn.Embedding(n_skills + 1, d, padding_idx=0)
            self.inter = nn.Embedding(2 * (n_skills + 1), d)
            self.item_mu = nn.Embedding(n_items + 1, 1, padding_idx=0)
            self.item_bias = nn.Embedding(n_items + 1, 1, padding_idx=0)
            self.lstm = nn.LSTM(d, hd, batch_first=True)
            self.hid = nn.Linear(hd + d + n_feats, hd)
            self.out = nn.Linear(hd, 1)

        def forward(
            self,
            item: torch.Tensor,
            skills: torch.Tensor,
            y: torch.Tensor,
            feats: torch.Tensor,
            state: Any,
            drop: Any,
        ) -> tuple[torch.Tensor, Any, torch.Tensor]:
            mask = (skills > 0).to(torch.float32)
            cnt = mask.sum(-1).clamp(min=1.0).unsqueeze(-1)
            mu = self.item_mu(item)
            q = self.skill(skills).sum(-2) / cnt + mu * (self.skill_var(skills).sum(-2) / cnt)
            inter = (self.inter(skills * 2 + y.unsqueeze(-1)) * mask.unsqueeze(-1)).sum(-2) / cnt
            hs, new_state = self.lstm(q + inter, state)
            h0 = state[0].transpose(0, 1) if state is not None else torch.zeros_like(hs[:, :1])
            h_prev = torch.cat([h0, hs[:, :-1]], dim=1)
            if drop is not None:
                h_prev = h_prev * drop
            hid = torch.relu(self.hid(torch.cat([h_prev, q, feats], dim=-1)))
            logit = self.out(hid).squeeze(-1) + self.item_bias(item).squeeze(-1)
            return logit, new_state, mu.squeeze(-1) ** 2 + self.item_bias(item).squeeze(-1) ** 2

    return Net()


def _item_log_odds(rows: _Rows, learners: I64, n_items: int, shrink: float = 5.0) -> F64:
    """Each item's log-odds of a correct answer relative to all answers, shrunk towards 0.

    The starting ``bias_item`` (an IRT-like easiness), from the training learners' rows only.
    """
    take = np.zeros(len(rows.item), dtype=bool)
    for g in learners.tolist():
        take[rows.starts[g] : rows.starts[g] + rows.lengths[g]] = True
    item, y = rows.item[take], rows.y[take]
    mean = float(np.clip(y.mean() if y.size else 0.5, 0.01, 0.99))
    right = np.bincount(item, weights=y, minlength=n_items + 1)
    seen = np.bincount(item, minlength=n_items + 1).astype(np.float64)
    odds: F64 = np.log((right + shrink * mean) / (seen - right + shrink * (1.0 - mean)))
    odds -= np.log(mean / (1 - mean))
    odds[0] = 0.0
    return odds


def _init_weights(torch: Any, net: Any, rng: np.random.Generator, d: int, hd: int, item_bias: F64) -> None:
    """Initial weights from ``rng`` (PyTorch's default scales); ``item_mu`` starts at 0 and
    ``item_bias`` at ``item_bias``."""
    with torch.no_grad():
        for name, p in net.named_parameters():
            if name.startswith(("skill", "inter")):
                val = rng.normal(0.0, 1.0 / np.sqrt(d), tuple(p.shape))
            elif name.startswith("item_"):
                val = np.zeros(tuple(p.shape))
            else:
                fan_in = hd if name.startswith("lstm") else int(p.shape[-1]) if p.dim() > 1 else hd
                bound = 1.0 / np.sqrt(fan_in)
                val = rng.uniform(-bound, bound, tuple(p.shape))
            p.copy_(torch.from_numpy(val.astype(np.float32)))
        net.skill.weight[0].zero_()
        net.skill_var.weight[0].zero_()
        net.item_bias.weight.copy_(torch.from_numpy(item_bias.astype(np.float32)[:, None]))


def _batches(rows: _Rows, feats: F64, learners: I64, batch_size: int) -> list[tuple[np.ndarray, ...]]:
    """Padded (item, skills, y, features, mask) arrays for groups of learners of similar length."""
    order = learners[np.argsort(-rows.lengths[learners], kind="stable")]
    out: list[tuple[np.ndarray, ...]] = []
    width = rows.skills.shape[1]
    for b0 in range(0, len(order), batch_size):
        group = order[b0 : b0 + batch_size]
        t_max = int(rows.lengths[group].max())
        item = np.zeros((len(group), t_max), dtype=np.int64)
        skills = np.zeros((len(group), t_max, width), dtype=np.int64)
        y = np.zeros((len(group), t_max), dtype=np.int64)
        f = np.zeros((len(group), t_max, feats.shape[1]), dtype=np.float32)
        mask = np.zeros((len(group), t_max), dtype=bool)
        for j, g in enumerate(group):
            s, n = int(rows.starts[g]), int(rows.lengths[g])
            f[j, :n] = feats[s : s + n]
            item[j, :n] = rows.item[s : s + n]
            skills[j, :n] = rows.skills[s : s + n]
            y[j, :n] = rows.y[s : s + n]
            mask[j, :n] = True
        out.append((item, skills, y, f, mask))
    return out


def _valid_score(torch: Any, net: Any, batches: list[tuple[Any, ...]]) -> float:
    """AUC on the held-out learners (minus the log loss if their answers are all alike)."""
    net.eval()
    ys, ps = [], []
    with torch.no_grad():
        for item, skills, y, f, mask in batches:
            logit, _, _ = net(item, skills, y, f, None, None)
            ys.append(y[mask].cpu().numpy())
            ps.append(torch.sigmoid(logit[mask]).cpu().numpy())
    return auc_or_log_loss(ys, ps)

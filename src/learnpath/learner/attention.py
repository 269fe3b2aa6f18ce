"""Attention-based knowledge tracing (SAKT/simpleKT-style, with AKT's Rasch questions and decay).

Each row is a question ``q = mean_s E[s] + mu_item * mean_s D[s]`` (as in :mod:`learnpath.learner.deep`)
and an interaction ``x = q + mean_s A[s, correct]``. To predict row ``t``, every head ``k`` attends from
the question of row ``t`` to the learner's previous ``context`` rows ``j`` (never to ``t`` itself)::

    score_kj = (Wq_k q_t) . (Wk_k q_j) / sqrt(d_k) - softplus(g_k) * log(1 + t - j)
    r_t = Wo concat_k sum_j softmax(score_k)_j (Wv_k x_j)

plus one learned "nothing relevant yet" slot per head (score ``null_k``, value 0), so the first row of a
learner is predicted from the slot alone. The distance term (a learned, per-head monotone decay, as AKT's)
lets some heads read the last few answers and others the whole window. Then::

    z = w_out . relu(W_hid [r_t; q_t; f_t] + b_hid) + b_out + bias_item

where ``f_t`` (with ``features=True``) are six counts of the learner's whole history before row ``t``, as
the logistic models use them: log(1 + right) and log(1 + wrong) answers and the smoothed share right
``(right + 1) / (n + 2) - 1/2``, on the row's skills (averaged over them) and over all skills. Attention
sees only the last ``context`` rows; these counts keep the rest.

Training needs PyTorch (the optional ``torch`` extra; imported only inside ``fit``), on the GPU when
``torch.cuda.is_available()`` (``device="auto"``), else on the CPU with ``n_threads`` threads. A
learner's rows are cut in chunks of ``context`` rows; each chunk is trained with the chunk before it as
keys only, so every trained prediction sees the same ``context`` rows of history as inference does.
``valid_fraction`` of the training learners (drawn with ``seed``) are held out for early stopping on AUC;
the best epoch's weights are kept. Everything random comes from ``seed``.

Inference (``predict_proba``, ``update``, ``mastery``) is NumPy only, from float32 weights (base64 in
``to_dict``), so a fitted model is used and reloaded without PyTorch. The online state is the learner's
last ``context`` attempts (item, skills, answer) plus per-skill and overall counts; ``update`` appends one and
``p_item`` attends over them, giving exactly what ``predict_proba`` gives that row. Mastery of a skill is
P(correct) on an average question of the skill (``mu = bias = 0``) now; there is no posterior, so its
interval is :func:`~learnpath.learner.base.mastery_interval` of that probability and the skill's attempt
count, and a correct answer is not guaranteed to raise it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from learnpath.core.evidence import Attempt
from learnpath.errors import FieldError, ValidationError
from learnpath.learner._counts import N_FEATURES, history_features, state_features
from learnpath.learner.base import AttemptTable, LearnerState, check_sorted
from learnpath.learner.deep import (
    NeuralKT,
    _item_log_odds,
    _Rows,
    auc_or_log_loss,
    device_for,
    early_stopping,
    step,
)

__all__ = ["AttentionKT"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
WEIGHT_NAMES = (
    "skill", "skill_var", "inter", "item_mu", "item_bias", "wq", "wk", "wv", "wo", "decay", "null",
    "hid_w", "hid_b", "out_w", "out_b",
)  # fmt: skip


def _softplus(z: F64) -> F64:
    return np.logaddexp(0.0, z)


class AttentionKT(NeuralKT):
    """Attention over the learner's last ``context`` answers (see the module docstring).

    Hyperparameters: ``embed`` (question size, a multiple of ``heads``), ``heads``, ``hidden`` (read-out
    size), ``context`` (rows attended to, also the training chunk), ``dropout`` (on the attention read),
    ``lr`` (Adam), ``reg_item`` (L2 on per-item ``mu`` and bias), ``batch_size`` (chunks), ``max_epochs``,
    ``patience``, ``valid_fraction``, ``seed``, ``device`` (``"auto"``, ``"cpu"``, ``"cuda"``),
    ``n_threads`` (CPU threads while fitting; None: PyTorch's default).
    Learned: ``items_``, ``skills_``, ``weights_``, ``history_`` (validation AUC per epoch),
    ``best_epoch_``, ``device_``.
    """

    name = "attn"
    label = "the attention model"
    PARAMS = (
        "embed", "heads", "hidden", "context", "features", "dropout", "lr", "reg_item", "batch_size",
        "max_epochs", "patience", "valid_fraction", "seed", "device", "n_threads",
    )  # fmt: skip
    INTS = ("embed", "heads", "hidden", "context", "batch_size", "max_epochs", "patience")
    WEIGHTS = WEIGHT_NAMES

    def __init__(
        self,
        embed: int = 64,
        heads: int = 4,
        hidden: int = 64,
        context: int = 200,
        features: bool = True,
        dropout: float = 0.2,
        lr: float = 2e-3,
        reg_item: float = 1e-4,
        batch_size: int = 32,
        max_epochs: int = 20,
        patience: int = 2,
        valid_fraction: float = 0.1,
        seed: int = 0,
        device: str = "auto",
        n_threads: int | None = 1,
    ) -> None:
        self.embed = embed
        self.heads = heads
        self.hidden = hidden
        self.context = context
        self.features = features
        self.dropout = dropout
        self.lr = lr
        self.reg_item = reg_item
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.patience = patience
        self.valid_fraction = valid_fraction
        self.seed = seed
        self.device = device
        self.n_threads = n_threads

    def _problems(self) -> list[FieldError]:
        problems = super()._problems()
        sizes_ok = all(
            isinstance(getattr(self, k), int) and getattr(self, k) >= 1 for k in ("embed", "heads")
        )
        if sizes_ok and self.embed % self.heads:
            problems.append(
                FieldError("embed", f"must be a multiple of heads ({self.heads}), got {self.embed}")
            )
        return problems

    def _state_width(self) -> int:
        return int(self.weights_["skill"].shape[1])  # the attention read has the question's size

    def _prepare(self, w: dict[str, F64]) -> None:
        for k in ("wq", "wk", "wv", "wo"):
            w[k + "_t"] = np.ascontiguousarray(w[k].T)
        w["decay_rate"] = _softplus(w["decay"])

    @property
    def heads_(self) -> int:
        return int(self.weights_["decay"].shape[0])

    @property
    def context_(self) -> int:
        return int(self.context)

    # -- NumPy inference ----------------------------------------------------------------------------
    def _attend(self, q: F64, keys: F64, values: F64, dist: F64, allowed: npt.NDArray[np.bool_]) -> F64:
        """Attention read ``r`` (n, d) for queries ``q`` (n, d) over ``keys``/``values`` (m, d).

        ``dist`` (n, m) are the steps back from each query to each key and ``allowed`` which keys each
        query may read; the null slot is always there.
        """
        w = self._w()
        h = self.heads_
        n, d = q.shape
        dk = d // h
        qh = (q @ w["wq_t"]).reshape(n, h, dk).transpose(1, 0, 2)
        kh = (keys @ w["wk_t"]).reshape(-1, h, dk).transpose(1, 2, 0)
        vh = (values @ w["wv_t"]).reshape(-1, h, dk).transpose(1, 0, 2)
        scores = qh @ kh / np.sqrt(dk) - w["decay_rate"][:, None, None] * np.log1p(np.maximum(dist, 0.0))
        scores = np.where(allowed[None], scores, -np.inf)
        null = np.broadcast_to(w["null"][:, None, None], (h, n, 1))
        full = np.concatenate([null, scores], axis=2)
        full -= full.max(axis=2, keepdims=True)
        p = np.exp(full)
        p /= p.sum(axis=2, keepdims=True)
        read = p[:, :, 1:] @ vh  # (h, n, dk); the null slot's value is 0
        return np.asarray(read.transpose(1, 0, 2).reshape(n, d) @ w["wo_t"], dtype=np.float64)

    def predict_proba(self, attempts: AttemptTable) -> F64:
        """P(correct) of each row from the same learner's previous ``context`` rows (NumPy only)."""
        self._check_fitted()
        check_sorted(attempts)
        n = len(attempts)
        if n == 0:
            return np.zeros(0)
        rows = _Rows(self._lookups(), attempts)
        with threadpool_limits(1, user_api="blas"):
            q, x = self._embed(rows.item, rows.skills, rows.y)
            assert x is not None
            r = np.empty_like(q)
            c = self.context_
            for s, length in zip(rows.starts.tolist(), rows.lengths.tolist(), strict=True):
                for a in range(0, length, c):
                    b = min(a + c, length)
                    k0 = max(0, a - c)
                    t = np.arange(a, b)[:, None]
                    j = np.arange(k0, b)[None, :]
                    dist = (t - j).astype(np.float64)
                    allowed = (j < t) & (t - j <= c)
                    r[s + a : s + b] = self._attend(
                        q[s + a : s + b], q[s + k0 : s + b], x[s + k0 : s + b], dist, allowed
                    )
            return self._readout(r, q, history_features(attempts), rows.item)

    # -- online -------------------------------------------------------------------------------------
    def init_state(self) -> LearnerState:
        return {"model": self.name, "recent": [], "n": 0, "right": 0, "skills": {}}

    def _history(self, state: LearnerState) -> tuple[F64, F64]:
        """Questions and interactions of the stored recent attempts, oldest first."""
        recent = state.get("recent", [])
        if not recent:
            d = self.weights_["skill"].shape[1]
            return np.zeros((0, d)), np.zeros((0, d))
        codes = [self._codes(str(it), list(sk)) for it, sk, _ in recent]
        width = max(len(c[1]) for c in codes)
        skills = np.zeros((len(codes), width), dtype=np.int64)
        for k, (_, sk) in enumerate(codes):
            skills[k, : len(sk)] = sk
        item = np.array([c[0] for c in codes], dtype=np.int64)
        y = np.array([int(v) for _, _, v in recent], dtype=np.int64)
        q, x = self._embed(item, skills, y)
        assert x is not None
        return q, x

    def _p_rows(self, state: LearnerState, item: I64, skills: I64, names: list[tuple[str, ...]]) -> F64:
        q, _ = self._embed(item, skills, None)
        keys, values = self._history(state)
        m = keys.shape[0]
        dist = np.broadcast_to(np.arange(m, 0, -1, dtype=np.float64)[None, :], (len(item), m))
        allowed = np.ones((len(item), m), dtype=bool)
        f = state_features(state, names)
        return self._readout(self._attend(q, keys, values, dist, allowed), q, f, item)

    def update(self, state: LearnerState, attempt: Attempt) -> LearnerState:
        """A new state with ``attempt`` appended to the recent window (input left unchanged)."""
        self._check_fitted()
        recent = [*state.get("recent", []), [attempt.item, list(attempt.skills), int(attempt.correct)]]
        return {**self._counted(state, attempt), "recent": recent[-self.context_ :]}

    # -- training and serialisation -----------------------------------------------------------------
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
        dev = device_for(torch, self.device)
        d, c = self.embed, self.context
        net = _net(torch, sizes[0], sizes[1], d, self.heads, self.hidden, feats.shape[1])
        _init_weights(torch, net, rng, d, _item_log_odds(rows, train, sizes[0]))
        net.to(dev)
        opt = torch.optim.Adam(net.parameters(), lr=self.lr)
        gen = torch.Generator(device=dev)
        gen.manual_seed(int(rng.integers(0, 2**62)))
        pos = torch.arange(2 * c, device=dev)
        diff = pos[:, None] - pos[None, :]
        allowed_full = (diff > 0) & (diff <= c)
        logdist_full = torch.log1p(diff.clamp(min=0).to(torch.float32))

        def tensors(batch: tuple[np.ndarray, ...]) -> tuple[Any, ...]:
            return tuple(torch.from_numpy(a).to(dev) for a in batch)

        train_batches = [tensors(b) for b in _batches(rows, feats, _chunks(rows, train, c), self.batch_size)]
        valid_batches = [tensors(b) for b in _batches(rows, feats, _chunks(rows, valid, c), 128)]
        keep = 1.0 - self.dropout

        def train_batch(b: int) -> None:
            item, skills, y, f, mask = train_batches[b]
            t = item.shape[1]
            drop = None
            if self.dropout > 0.0:
                shape = (item.shape[0], t, d)
                drop = (torch.rand(shape, generator=gen, device=dev) < keep).to(torch.float32) / keep
            logit, penalty = net(item, skills, y, f, allowed_full[:t, :t], logdist_full[:t, :t], drop)
            loss = (
                torch.nn.functional.binary_cross_entropy_with_logits(logit[mask], y[mask].to(torch.float32))
                + self.reg_item * penalty[mask].mean()
            )
            step(torch, net, opt, loss)

        def score() -> float:
            return _valid_score(torch, net, valid_batches, allowed_full, logdist_full)

        sd, history, best_epoch = early_stopping(
            self, net, len(train_batches), train_batch, score if len(valid) else None, rng
        )
        weights = {
            "skill": sd["skill.weight"],
            "skill_var": sd["skill_var.weight"],
            "inter": sd["inter.weight"],
            "item_mu": sd["item_mu.weight"],
            "item_bias": sd["item_bias.weight"],
            "wq": sd["wq.weight"],
            "wk": sd["wk.weight"],
            "wv": sd["wv.weight"],
            "wo": sd["wo.weight"],
            "decay": sd["decay"],
            "null": sd["null"],
            "hid_w": sd["hid.weight"],
            "hid_b": sd["hid.bias"],
            "out_w": sd["out.weight"],
            "out_b": sd["out.bias"],
        }
        return weights, history, best_epoch, str(dev)

    def _check_shapes(self) -> None:
        d = self.weights_["skill"].shape[1]
        if self.weights_["wq"].shape != (d, d) or d % self.weights_["decay"].shape[0]:
            raise ValidationError.for_field("params.weights.wq", "does not match the embedding size")
        if self.weights_["hid_w"].shape[1] != 2 * d + (N_FEATURES if self.features else 0):
            raise ValidationError.for_field("params.weights.hid_w", "does not match the features setting")


# -- the PyTorch side (only reached from fit) ---------------------------------------------------------
def _net(torch: Any, n_items: int, n_skills: int, d: int, heads: int, hd: int, n_feats: int) -> Any:
    nn = torch.nn

    class Net(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.skill = nn.Embedding(n_skills + 1, d, padding_idx=0)
            self.skill_var = nn.Embedding(n_skills + 1, d, padding_idx=0)
            self.inter = nn.Embedding(2 * (n_skills + 1), d)
            self.item_mu = nn.Embedding(n_items + 1, 1, padding_idx=0)
            self.item_bias = nn.Embedding(n_items + 1, 1, padding_idx=0)
            self.wq = nn.Linear(d, d, bias=False)
            self.wk = nn.Linear(d, d, bias=False)
            self.wv = nn.Linear(d, d, bias=False)
            self.wo = nn.Linear(d, d, bias=False)
            self.decay = nn.Parameter(torch.zeros(heads))
            self.null = nn.Parameter(torch.zeros(heads))
            self.hid = nn.Linear(2 * d + n_feats, hd)
            self.out = nn.Linear(hd, 1)

        def forward(
            self, item: Any, skills: Any, y: Any, feats: Any, allowed: Any, logdist: Any, drop: Any
        ) -> tuple[Any, Any]:
            """Logits (B, T) and the item penalty; ``allowed``/``logdist`` are (T, T)."""
            b, t = item.shape
            mask = (skills > 0).to(torch.float32)
            cnt = mask.sum(-1).clamp(min=1.0).unsqueeze(-1)
            mu = self.item_mu(item)
            q = self.skill(skills).sum(-2) / cnt + mu * (self.skill_var(skills).sum(-2) / cnt)
            x = q + (self.inter(skills * 2 + y.unsqueeze(-1)) * mask.unsqueeze(-1)).sum(-2) / cnt
            dk = d // heads
            qh = self.wq(q).view(b, t, heads, dk).transpose(1, 2)
            kh = self.wk(q).view(b, t, heads, dk).transpose(1, 2)
            vh = self.wv(x).view(b, t, heads, dk).transpose(1, 2)
            scores = qh @ kh.transpose(-1, -2) / float(np.sqrt(dk))
            scores = scores - nn.functional.softplus(self.decay).view(1, heads, 1, 1) * logdist
            scores = scores.masked_fill(~allowed, float("-inf"))
            null = self.null.view(1, heads, 1, 1).expand(b, heads, t, 1)
            p = torch.softmax(torch.cat([null, scores], dim=-1), dim=-1)[..., 1:]
            r = self.wo((p @ vh).transpose(1, 2).reshape(b, t, d))
            if drop is not None:
                r = r * drop
            hid = torch.relu(self.hid(torch.cat([r, q, feats], dim=-1)))
            bias = self.item_bias(item).squeeze(-1)
            return self.out(hid).squeeze(-1) + bias, mu.squeeze(-1) ** 2 + bias**2

    return Net()


def _init_weights(torch: Any, net: Any, rng: np.random.Generator, d: int, item_bias: F64) -> None:
    with torch.no_grad():
        for name, p in net.named_parameters():
            if name.startswith(("skill", "inter")):
                val = rng.normal(0.0, 1.0 / np.sqrt(d), tuple(p.shape))
            elif name.startswith("item_") or name in ("decay", "null"):
                val = np.zeros(tuple(p.shape))
            else:
                fan_in = int(p.shape[-1]) if p.dim() > 1 else int(p.shape[0])
                bound = 1.0 / np.sqrt(fan_in)
                val = rng.uniform(-bound, bound, tuple(p.shape))
            p.copy_(torch.from_numpy(val.astype(np.float32)))
        net.skill.weight[0].zero_()
        net.skill_var.weight[0].zero_()
        net.item_bias.weight.copy_(torch.from_numpy(item_bias.astype(np.float32)[:, None]))


def _chunks(rows: _Rows, learners: I64, c: int) -> list[tuple[int, int, int]]:
    """(start row, first trained row, end row): each chunk of ``c`` rows with the chunk before as keys."""
    out = []
    for g in learners.tolist():
        s, n = int(rows.starts[g]), int(rows.lengths[g])
        for a in range(0, n, c):
            out.append((s + max(0, a - c), s + a, s + min(a + c, n)))
    return out


def _batches(
    rows: _Rows, feats: F64, chunks: list[tuple[int, int, int]], batch_size: int
) -> list[tuple[np.ndarray, ...]]:
    """Padded (item, skills, y, features, loss mask) arrays of chunks of similar length."""
    order = sorted(range(len(chunks)), key=lambda k: -(chunks[k][2] - chunks[k][0]))
    width = rows.skills.shape[1]
    out: list[tuple[np.ndarray, ...]] = []
    for b0 in range(0, len(order), batch_size):
        group = [chunks[k] for k in order[b0 : b0 + batch_size]]
        t_max = max(e - s for s, _, e in group)
        item = np.zeros((len(group), t_max), dtype=np.int64)
        skills = np.zeros((len(group), t_max, width), dtype=np.int64)
        y = np.zeros((len(group), t_max), dtype=np.int64)
        f = np.zeros((len(group), t_max, feats.shape[1]), dtype=np.float32)
        mask = np.zeros((len(group), t_max), dtype=bool)
        for j, (s, a, e) in enumerate(group):
            f[j, : e - s] = feats[s:e]
            item[j, : e - s] = rows.item[s:e]
            skills[j, : e - s] = rows.skills[s:e]
            y[j, : e - s] = rows.y[s:e]
            mask[j, a - s : e - s] = True
        out.append((item, skills, y, f, mask))
    return out


def _valid_score(torch: Any, net: Any, batches: list[tuple[Any, ...]], allowed: Any, logdist: Any) -> float:
    """AUC on the held-out learners (minus the log loss if their answers are all alike)."""
    net.eval()
    ys, ps = [], []
    with torch.no_grad():
        for item, skills, y, f, mask in batches:
            t = item.shape[1]
            logit, _ = net(item, skills, y, f, allowed[:t, :t], logdist[:t, :t], None)
            ys.append(y[mask].cpu().numpy())
            ps.append(torch.sigmoid(logit[mask]).cpu().numpy())
    return auc_or_log_loss(ys, ps)

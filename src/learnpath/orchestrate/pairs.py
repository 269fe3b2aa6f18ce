"""The teacher's pair rules as groupings use them: "keep together" closes into blocks, "keep apart" stays pairs.

Rules are pairs of learner ids. "Together" is transitive (A with B and B with C puts all three together), so
the rules become blocks of learners that must share a group; a block that also holds an "apart" pair, or is
larger than a group may be, can never be kept, and says so by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from learnpath.errors import FieldError, ValidationError

__all__ = ["PairBlocks", "pair_blocks"]


@dataclass(frozen=True)
class PairBlocks:
    apart: tuple[tuple[int, int], ...]
    """Pairs (a < b) of learners that must not share a group, both among the learners grouped."""
    together: tuple[tuple[int, ...], ...]
    """Blocks of two or more learners that must share a group, each sorted."""

    def block_of(self, learner_id: int) -> tuple[int, ...]:
        for block in self.together:
            if learner_id in block:
                return block
        return (learner_id,)


def pair_blocks(
    learner_ids: Sequence[int],
    apart: Iterable[tuple[int, int]],
    together: Iterable[tuple[int, int]],
    max_block: int,
) -> PairBlocks:
    """The rules among ``learner_ids`` (others ignored); ValidationError when they cannot all be kept."""
    present = set(learner_ids)
    parent = {i: i for i in present}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in together:
        if a in present and b in present and a != b:
            parent[max(root(a), root(b))] = min(root(a), root(b))
    members: dict[int, list[int]] = {}
    for i in sorted(present):
        members.setdefault(root(i), []).append(i)
    blocks = tuple(tuple(m) for m in members.values() if len(m) > 1)
    pairs = tuple(
        sorted({(min(a, b), max(a, b)) for a, b in apart if a in present and b in present and a != b})
    )
    problems = [
        FieldError("pair_rules", f"learners {a} and {b} are to be kept both apart and together")
        for a, b in pairs
        if root(a) == root(b)
    ]
    problems += [
        FieldError(
            "pair_rules",
            f"learners {', '.join(map(str, block))} are to be kept together, "
            f"but a group holds at most {max_block}",
        )
        for block in blocks
        if len(block) > max_block
    ]
    if problems:
        raise ValidationError("the pair rules cannot all be kept", problems)
    return PairBlocks(pairs, blocks)

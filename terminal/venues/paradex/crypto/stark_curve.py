"""Arithmetic on the STARK curve y² = x³ + x + β over F_P, in Jacobian coordinates.

The curve group has prime order N. Points are `Affine` (x, y) tuples or `Jacobian`
(X, Y, Z) tuples with x = X/Z², y = Y/Z³; Z = 0 is the point at infinity. Scalar
multiplication goes through `FixedBaseTable`, a precomputed comb of one point's
multiples (one mixed addition per window, the same count for every scalar), or, for
public scalars and points not worth a comb, `multiply_windowed`.
"""

from __future__ import annotations

import hashlib
from functools import cache

P = 2**251 + 17 * 2**192 + 1
BETA = 0x6F21413EFBE40DE150E596D72F7A8C5609AD26C15C915C1F4CDFCB99CEE9E89
N = 0x800000000000010FFFFFFFFFFFFFFFFB781126DCAE7B2321E66A241ADC64D2F
GENERATOR = (
    0x1EF15C18599971B7BECED415A40F0C7DEACFD9B0D1819E03D723D8BC943CFCA,
    0x5668060AA49730B7BE4801DF46EC62DE53ECD11ABE43A32873000C36E8DC1F,
)
SCALAR_BITS = N.bit_length()

Affine = tuple[int, int]
Jacobian = tuple[int, int, int]

INFINITY: Jacobian = (1, 1, 0)


class NotOnCurveError(ValueError):
    """An x coordinate has no point on the curve."""


def y_from_x(x: int) -> int:
    """One y with (x, y) on the curve (the other is P - y); raise if there is none."""
    rhs = (x * x * x + x + BETA) % P
    root = _sqrt(rhs)
    if root is None:
        raise NotOnCurveError("x is not the abscissa of a curve point")
    return root


def _is_square(a: int) -> bool:
    return pow(a, (P - 1) // 2, P) == 1


def _sqrt(a: int) -> int | None:
    # Cipolla: P - 1 has 2-adicity 192, which makes Tonelli-Shanks ≈ 10× slower here.
    if a == 0:
        return 0
    if not _is_square(a):
        return None
    t = 1
    while _is_square((t * t - a) % P):
        t += 1
    w = (t * t - a) % P
    # (t + √w)^((P+1)/2) in F_P[√w] is a square root of a.
    r0, r1, b0, b1 = 1, 0, t, 1
    e = (P + 1) // 2
    while e:
        if e & 1:
            r0, r1 = (r0 * b0 + r1 * b1 * w) % P, (r0 * b1 + r1 * b0) % P
        b0, b1 = (b0 * b0 + b1 * b1 * w) % P, 2 * b0 * b1 % P
        e >>= 1
    return r0


def double(pt: Jacobian) -> Jacobian:
    """2·pt (a = 1). The group has odd order, so no finite point doubles to infinity."""
    x1, y1, z1 = pt
    if z1 == 0:
        return pt
    xx = x1 * x1 % P
    yy = y1 * y1 % P
    zz = z1 * z1 % P
    s = 4 * x1 * yy % P
    m = (3 * xx + zz * zz) % P
    x3 = (m * m - 2 * s) % P
    y3 = (m * (s - x3) - 8 * yy * yy) % P
    return x3, y3, 2 * y1 * z1 % P


def add_affine(pt: Jacobian, q: Affine) -> Jacobian:
    """pt + q for a finite affine q (mixed addition)."""
    x1, y1, z1 = pt
    x2, y2 = q
    if z1 == 0:
        return x2, y2, 1
    z1z1 = z1 * z1 % P
    h = (x2 * z1z1 - x1) % P
    r = (y2 * z1 * z1z1 - y1) % P
    if h == 0:
        # Equal abscissas: pt == q (double) or pt == -q (infinity). Only reachable with
        # negligible probability from the tables below, so the common path stays uniform.
        return double((x2, y2, 1)) if r == 0 else INFINITY
    hh = h * h % P
    hhh = h * hh % P
    v = x1 * hh % P
    x3 = (r * r - hhh - 2 * v) % P
    y3 = (r * (v - x3) - y1 * hhh) % P
    return x3, y3, z1 * h % P


def to_affine_x(pt: Jacobian) -> int | None:
    """The affine x of pt, or None for the point at infinity."""
    x, _, z = pt
    if z == 0:
        return None
    zinv = pow(z, -1, P)
    return x * zinv * zinv % P


def batch_to_affine(points: list[Jacobian]) -> list[Affine]:
    """Normalise finite points with one inversion (Montgomery's trick)."""
    prefix = [1] * (len(points) + 1)
    for i, (_, _, z) in enumerate(points):
        prefix[i + 1] = prefix[i] * z % P
    inv = pow(prefix[-1], -1, P)
    out: list[Affine] = [(0, 0)] * len(points)
    for i in range(len(points) - 1, -1, -1):
        x, y, z = points[i]
        zinv = inv * prefix[i] % P
        inv = inv * z % P
        zinv2 = zinv * zinv % P
        out[i] = (x * zinv2 % P, y * zinv2 * zinv % P)
    return out


def small_multiples(point: Affine, count: int) -> list[Affine]:
    """[0·point (unused placeholder), 1·point, …, (count-1)·point] in affine coordinates."""
    acc: Jacobian = (point[0], point[1], 1)
    multiples = [acc]
    for _ in range(count - 2):
        acc = add_affine(acc, point)
        multiples.append(acc)
    return [(0, 0), *batch_to_affine(multiples)]


def multiply_windowed(k: int, multiples: list[Affine]) -> Jacobian:
    """k·point from `small_multiples(point, 16)`: 4 doublings and at most one addition per nibble.

    The operation count depends on k, so use it for public scalars only (verification).
    """
    acc = INFINITY
    for shift in range((k.bit_length() + 3) // 4 * 4 - 4, -4, -4):
        acc = double(double(double(double(acc))))
        digit = (k >> shift) & 15
        if digit:
            acc = add_affine(acc, multiples[digit])
    return acc


@cache
def _offset_point() -> Affine:
    """A fixed curve point with no known relation to any base (hash-to-curve by trial)."""
    counter = 0
    while True:
        seed = hashlib.sha256(b"paradex-terminal/comb-offset/%d" % counter).digest()
        x = int.from_bytes(seed, "big") % P
        try:
            return x, y_from_x(x)
        except NotOnCurveError:
            counter += 1


class FixedBaseTable:
    """Precomputed multiples of one point, for k·point in one addition per window.

    Row i holds C_i + d·2^(w·i)·point for every digit d, where the offsets C_i = 2^i·R
    (R a fixed unrelated point) make every entry finite and keep the running sum from
    meeting an entry (short of a discrete-log coincidence, which `add_affine` still
    handles correctly). A product therefore always costs the same: one mixed addition per
    row plus one for the correction -ΣC_i, whatever the scalar's digits.
    """

    __slots__ = ("_correction", "_mask", "_rows", "_window")

    def __init__(self, point: Affine, window: int) -> None:
        rows_count = -(-SCALAR_BITS // window)
        offset = _offset_point()
        step: Jacobian = (point[0], point[1], 1)
        c_i: Jacobian = (offset[0], offset[1], 1)
        flat: list[Jacobian] = []
        sizes: list[int] = []
        for i in range(rows_count):
            base = batch_to_affine([step])[0]
            size = min(1 << window, 1 << (SCALAR_BITS - window * i))
            entry = c_i
            flat.append(entry)
            for _ in range(size - 1):
                entry = add_affine(entry, base)
                flat.append(entry)
            sizes.append(size)
            for _ in range(window):
                step = double(step)
            c_i = double(c_i)
        # c_i is now 2^rows·R, and ΣC_i = (2^rows - 1)·R; the correction is R - 2^rows·R.
        neg_r = (offset[0], P - offset[1])
        total = add_affine(c_i, neg_r)
        affine = batch_to_affine([*flat, total])
        tx, ty = affine.pop()
        self._correction: Affine = (tx, P - ty)
        self._rows: list[list[Affine]] = []
        start = 0
        for size in sizes:
            self._rows.append(affine[start : start + size])
            start += size
        self._window = window
        self._mask = (1 << window) - 1

    def multiply(self, k: int) -> Jacobian:
        """k·point (k reduced mod N) in Jacobian coordinates."""
        k %= N
        window, mask = self._window, self._mask
        first = self._rows[0][k & mask]
        acc: Jacobian = (first[0], first[1], 1)
        for row in self._rows[1:]:
            k >>= window
            acc = add_affine(acc, row[k & mask])
        return add_affine(acc, self._correction)


@cache
def generator_table() -> FixedBaseTable:
    """The comb for G, built on first use (≈ 8k points, tens of milliseconds)."""
    return FixedBaseTable(GENERATOR, 8)

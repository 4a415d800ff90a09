"""Grouping opinions into themes: near-duplicates collapsed, similar requests worded differently
put together. Pure functions over texts; no database, no model downloaded (see ARCHITECTURE.md,
"Synthesis").

1. **Words.** Each text is folded (no accents, one tone placement: "hoà" = "hòa" = "hoa"), cut at
   punctuation into phrases and into syllables; the features are the syllables and the pairs of
   neighbouring syllables within a phrase. Most Vietnamese words are one or two syllables, so the
   pairs carry the words ("giấy chứng nhận", "bảo hiểm y tế") without a word segmenter, and never
   join two words across a comma or a function word ("và", "các", "những"), which are left out.
2. **Weights.** TF-IDF (sublinear), then LSA (truncated SVD) to a few hundred dimensions so that
   different wordings of one request come close.
3. **Themes.** "Buckshot" (Cutting et al., Scatter/Gather, 1992): average-linkage agglomerative
   clustering of a sample, cut at a cosine distance, gives the themes and how many there are;
   every text then joins its nearest theme centroid, and a few k-means rounds settle the
   centroids. Themes too small to stand alone join their nearest theme when close enough.
4. **Near-duplicates.** Within each theme, texts whose TF-IDF vectors have a cosine of at least
   ``DUPLICATE`` are one request sent several times (the connected components of the pairs).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from doanket.core.text import fold

# Function words, folded, that fold to nothing else of weight: "chưa" is not here, folded it is
# also "chữa" (sửa chữa); nor "trong" (trồng), "cho" (chợ), "van" (văn), "moi" (mới), "kinh"
# (kinh tế). The formulas every petition repeats weigh little anyway (IDF).
STOPWORDS = frozenset("va cac nhung duoc voi nay nhu rat neu mot gui xin".split())
_TOKENS = re.compile(r"[a-z]+|[.,;:!?()\"“”\n\-–—/]+")

DUPLICATE = 0.85  # cosine of TF-IDF vectors at or above which two texts are one request
THEME = 0.75  # cosine distance at which the sample's dendrogram is cut into themes
SAMPLE = 3000  # texts clustered hierarchically; the rest join the nearest theme
MIN_THEME = 3  # a theme with fewer distinct requests joins its nearest theme if close enough
DIMENSIONS = 128
CANDIDATES = 16  # nearest earlier texts checked for being a near-duplicate


def features(text: str) -> list[str]:
    """Syllables and pairs of neighbouring syllables of ``text`` (folded, function words out)."""
    found: list[str] = []
    previous = ""
    for token in _TOKENS.findall(fold(text)):
        if token[0] < "a":  # punctuation: a phrase ends
            previous = ""
        elif token in STOPWORDS:
            previous = ""  # no pair across a function word
        else:
            found.append(token)
            if previous:
                found.append(f"{previous} {token}")
            previous = token
    return found


@dataclass
class Grouping:
    """``themes[i]`` is the theme of text i (0 = the largest); ``copies[i]`` the first text of
    the near-duplicate set of text i (itself when it has none); ``representatives[t]`` the text
    closest to the centre of theme t; ``terms[t]`` the words that weigh most in it."""

    themes: list[int]
    copies: list[int]
    representatives: list[int]
    terms: list[list[str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.representatives)


def near_duplicates(
    matrix: sparse.csr_matrix, dense: np.ndarray, members: np.ndarray, threshold: float = DUPLICATE
) -> dict[int, int]:
    """Sets of near-duplicates among ``members`` (in the order received): {member: first member
    of its set}. Two texts are alike when the cosine of their TF-IDF vectors (``matrix``, rows
    L2-normalised) is at least ``threshold``; alike texts, and texts linked through alike pairs,
    are one set (connected components). The pairs compared are each text and the few nearest
    earlier texts in the LSA space ``dense`` (a dense product, fast)."""
    if len(members) < 2:
        return {int(m): int(m) for m in members}
    vectors = dense[members]
    sub = matrix[members]
    width = min(CANDIDATES, len(members) - 1)
    pairs_a: list[np.ndarray] = []
    pairs_b: list[np.ndarray] = []
    for start in range(1, len(members), 2048):
        stop = min(start + 2048, len(members))
        block = vectors[start:stop] @ vectors[:stop].T
        rows = np.arange(start, stop)
        block[np.arange(stop - start)[:, None] <= (np.arange(stop)[None, :] - start)] = -2.0  # earlier only
        nearest = np.argpartition(-block, width - 1, axis=1)[:, :width] if width < stop else None
        if nearest is None:
            nearest = np.tile(np.arange(stop), (stop - start, 1))
        later = np.repeat(rows, nearest.shape[1])
        earlier = nearest.ravel()
        keep = earlier < later
        later, earlier = later[keep], earlier[keep]
        score = np.asarray(sub[later].multiply(sub[earlier]).sum(axis=1)).ravel()
        alike = score >= threshold
        pairs_a.append(later[alike])
        pairs_b.append(earlier[alike])
    a, b = np.concatenate(pairs_a), np.concatenate(pairs_b)
    graph = sparse.coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(len(members), len(members)))
    _, component = connected_components(graph, directed=False)
    first = np.full(component.max() + 1, len(members))
    np.minimum.at(first, component, np.arange(len(members)))
    return {int(members[i]): int(members[first[component[i]]]) for i in range(len(members))}


def group(
    texts: Sequence[str],
    *,
    distance: float = THEME,
    duplicate: float = DUPLICATE,
    sample: int = SAMPLE,
    seed: int = 0,
) -> Grouping:
    """Group ``texts`` into themes (see the module's docstring)."""
    n = len(texts)
    if n == 0:
        return Grouping([], [], [])
    vectorizer = TfidfVectorizer(
        analyzer=features,
        sublinear_tf=True,
        min_df=1 if n < 50 else 2,
        max_df=0.5 if n >= 50 else 1.0,
        dtype=np.float32,
    )
    try:
        tfidf = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but function words
        return Grouping([0] * n, list(range(n)), [0], [[]])
    tfidf = normalize(tfidf).tocsr()
    terms = vectorizer.get_feature_names_out()
    dims = min(DIMENSIONS, tfidf.shape[1] - 1, n - 1)
    if dims >= 2:
        dense = TruncatedSVD(dims, algorithm="randomized", n_iter=4, random_state=seed).fit_transform(tfidf)
        dense = normalize(dense).astype(np.float32)
    else:
        dense = normalize(tfidf.toarray()).astype(np.float32)
    if n == 1:
        labels = np.zeros(1, dtype=np.int64)
    else:
        rng = np.random.default_rng(seed)
        chosen = np.sort(rng.choice(n, size=min(sample, n), replace=False))
        tree = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance
        ).fit(dense[chosen])
        k = int(tree.labels_.max()) + 1
        centroids = np.zeros((k, dense.shape[1]), dtype=np.float32)
        np.add.at(centroids, tree.labels_, dense[chosen])
        labels = _settle(dense, normalize(centroids))
        labels = _absorb_small(dense, labels, distance)
    # Largest theme first.
    sizes = np.bincount(labels)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    labels = rank[labels]
    k = int(labels.max()) + 1
    copies = list(range(n))
    representatives: list[int] = []
    top_terms: list[list[str]] = []
    for theme in range(k):
        members = np.flatnonzero(labels == theme)
        for member, first in near_duplicates(tfidf, dense, members, duplicate).items():
            copies[member] = first
        centre = dense[members].mean(axis=0)
        representatives.append(int(members[int(np.argmax(dense[members] @ centre))]))
        weights = np.asarray(tfidf[members].mean(axis=0)).ravel()
        top_terms.append([str(terms[i]) for i in np.argsort(-weights)[:6] if weights[i] > 0])
    return Grouping([int(x) for x in labels], copies, representatives, top_terms)


def _settle(dense: np.ndarray, centroids: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Each text to its nearest centroid, centroids recomputed, a few times (spherical k-means)."""
    labels = np.zeros(len(dense), dtype=np.int64)
    for _ in range(rounds):
        labels = _nearest(dense, centroids)
        k = centroids.shape[0]
        sums = np.zeros_like(centroids)
        np.add.at(sums, labels, dense)
        empty = np.bincount(labels, minlength=k) == 0
        sums[empty] = centroids[empty]
        centroids = normalize(sums)
    return _compact(_nearest(dense, centroids))


def _nearest(dense: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    labels = np.empty(len(dense), dtype=np.int64)
    for start in range(0, len(dense), 20000):
        labels[start : start + 20000] = np.argmax(dense[start : start + 20000] @ centroids.T, axis=1)
    return labels


def _compact(labels: np.ndarray) -> np.ndarray:
    _, compacted = np.unique(labels, return_inverse=True)
    return compacted.astype(np.int64)


def _absorb_small(dense: np.ndarray, labels: np.ndarray, distance: float) -> np.ndarray:
    """A theme of fewer than ``MIN_THEME`` texts joins the nearest larger theme when its centre is
    within ``distance`` of it; otherwise it stays apart (an opinion nobody else raised)."""
    k = int(labels.max()) + 1
    sizes = np.bincount(labels, minlength=k)
    if k < 2 or sizes.min() >= MIN_THEME:
        return labels
    centroids = np.zeros((k, dense.shape[1]), dtype=np.float32)
    np.add.at(centroids, labels, dense)
    centroids = normalize(centroids)
    large = np.flatnonzero(sizes >= MIN_THEME)
    if not len(large):
        return labels
    target = np.arange(k)
    similarity = centroids @ centroids[large].T
    for theme in np.flatnonzero(sizes < MIN_THEME):
        best = int(np.argmax(similarity[theme]))
        if 1 - similarity[theme, best] <= distance:
            target[theme] = large[best]
    return _compact(target[labels])

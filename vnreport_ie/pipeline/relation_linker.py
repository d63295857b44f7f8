"""Relation component: links each figure to its indicator, target, communes and projects.

Candidates are (figure, span) pairs of one Doc within ``max_distance``
tokens; a logistic regression per relation type (scikit-learn) scores each
pair from features of the two spans and what lies between them. Decoding
follows the guide: at most one indicator and one target per figure (the
best candidate above the threshold), any number of locations and projects. A figure
against a list of communes in its sentence is decided by the guide's rule instead
(:func:`group_rule`): linked to each commune only when it is stated for each.

The weights are stored as JSON (feature name -> weight), so loading a
pipeline runs no code.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from vnreport_ie.pipeline.patterns import ITEM_DISTRICT, UNIT_WORD, NUMBER as NUMBER_PATTERN, doc_hints, token_offsets_and_texts
from vnreport_ie.pipeline.project import ALL_WORK_NOUNS, GENERIC_BEFORE, NOT_A_WORK, any_of
from vnreport_ie.pipeline.linear import LinearModel, LinearModelFiles, bucket, fit_linear
from vnreport_ie.schema import FIGURE_LABELS, RELATION_TARGET_LABEL, RELATION_TYPES, SINGLE_VALUED_RELATIONS
from vnreport_ie.pipeline.relations import FigureRelation, get_relations, set_relations
from vnreport_ie.pipeline.target import reference_value
from vnreport_ie.text.tokenizer import doc_text

LABEL_RELATION = {label: rel for rel, label in RELATION_TARGET_LABEL.items()}
NAME = "vnreport_relations"
SENTENCE_MARK = re.compile(r"([.!?]+|…)(?=\s|$)")


def sentence_ends_in(text: str) -> bool:
    """Whether a sentence ends in ``text``: a full stop, "!" or "?" before a space or the end; an ellipsis only
    before a capital or the end ("(+70,1%)... Duy nhất ...", not "xoài 130 tấn (tăng 4,8%)... so với cùng kỳ")."""
    for match in SENTENCE_MARK.finditer(text):
        mark = match.group(1)
        if mark in (".", "!", "?") or mark[-1] in "!?":
            return True
        rest = text[match.end() :].lstrip()
        if not rest or rest[0].isupper():
            return True
    return False


@dataclass(frozen=True)
class Candidate:
    """A (figure, span) pair that may be a relation of type ``type``."""

    type: str
    figure: Span
    other: Span

    def as_relation(self) -> FigureRelation:
        return FigureRelation(self.type, self.figure.start_char, self.figure.end_char, self.other.start_char, self.other.end_char)


def candidate_pairs(
    doc: Doc, max_distance: int, types: tuple[str, ...] = RELATION_TYPES, entities: "DocEntities | None" = None
) -> list[Candidate]:
    """Every (figure, span) pair of ``doc`` of the given relation types at most ``max_distance`` tokens apart."""
    labels = {RELATION_TARGET_LABEL[t] for t in types}
    ents = doc.ents
    figures = [e for e in ents if e.label_ in FIGURE_LABELS]
    others = [e for e in ents if e.label_ in labels]
    ends = [e.end for e in others]  # ents do not overlap: starts and ends are both sorted
    chains = commune_lists(doc, others) if "location" in types else {}
    members: dict[int, list[int]] = {}
    for i, chain in chains.items():
        members.setdefault(chain, []).append(i)
    # the one commune (project) a paragraph names, maybe more than once, may be what the whole paragraph is
    # about (the guide): its mentions, per label
    soles = []
    if "location" in types:
        entities = entities or DocEntities(doc)
    merged = entities.merged_from() if entities is not None else set()
    for label in ("COMMUNE", "PROJECT"):
        mentions = [i for i, e in enumerate(others) if e.label_ == label and e.start not in merged]
        if len({others[i].text.lower() for i in mentions}) == 1:
            soles.append(mentions)
    candidates = []
    with_communes = "location" in types and any(e.label_ == "COMMUNE" for e in others)
    for figure in figures:
        own = len(candidates)  # where this figure's candidates start
        index = bisect_left(ends, figure.start - max_distance)
        first = index
        while index < len(others) and others[index].start <= figure.end + max_distance:
            other = others[index]
            candidates.append(Candidate(LABEL_RELATION[other.label_], figure, other))
            index += 1
        for sole in soles:  # none of its mentions in the window: the nearest one beyond it
            k = bisect_left(sole, first)
            if k < len(sole) and sole[k] < index:
                continue
            nearest = others[min(sole[max(0, k - 1) : k + 1], key=lambda i: abs(others[i].start - figure.start))]
            candidates.append(Candidate(LABEL_RELATION[nearest.label_], figure, nearest))
        # a list of communes that reaches the figure's window is read whole ("Danh sách 43 xã hưởng mức hỗ trợ
        # 4 tỷ đồng gồm A, B, ... Z": Z is as much one of the group as A), within the figure's sentence
        for chain in sorted({chains[i] for i in range(first, index) if i in chains}):
            for i in members[chain]:
                if not first <= i < index and _same_sentence(doc, figure, others[i]):
                    candidates.append(Candidate("location", figure, others[i]))
        # a comparison that heads a long list ("So với năm trước, ... như sau: A 57,5 tạ/ha, thấp hơn 0,3 tạ/ha,
        # ..., sản lượng rau các loại 32 nghìn tấn, thấp hơn 0,2%") is read for every figure of its sentence
        if "target" in types:
            entities = entities or DocEntities(doc)
            taken = {c.other.start for c in candidates[own:] if c.type == "target"}
            candidates.extend(
                Candidate("target", figure, target) for target in entities.in_sentence_of("TARGET", figure)
                if target.start not in taken
            )
        # the works a figure's clause refers back to, however far before it
        if "project" in types:
            entities = entities or DocEntities(doc)
            taken = {c.other.start for c in candidates[own:] if c.type == "project"}
            candidates.extend(
                Candidate("project", figure, work) for work in entities.works_referred_back(figure)
                if work.start not in taken
            )
        # the members of a group listed in the sentences after the figure, however far
        if with_communes:
            entities = entities or DocEntities(doc)
            taken = {c.other.start for c in candidates[own:]}
            candidates.extend(
                Candidate("location", figure, member)
                for member in (*entities.members_named_after(figure), *entities.group_referred_back(figure))
                if member.start not in taken and not taken.add(member.start)
            )
    return candidates


def commune_lists(doc: Doc, spans: list[Span]) -> dict[int, int]:
    """Index in ``spans`` -> the list it belongs to, for each COMMUNE that is one item of a list (the next
    COMMUNE after it with only ",", "và" or a unit word between, see :data:`LIST_GAP_WORDS`, or the district the
    first lies in: "Tùng Ảnh thuộc huyện Đức Thọ, Thạch Châu ...", "Cẩm Bình (Cẩm Xuyên), Kỳ Tân ...")."""
    chains: dict[int, int] = {}
    previous = None
    text = doc_text(doc)
    for i, span in enumerate(spans):
        if span.label_ != "COMMUNE":
            continue
        if previous is not None:
            gap = [t.lower_ for t in doc[spans[previous].end : span.start] if not t.is_space]
            placed = DISTRICT_GAP.fullmatch(text, spans[previous].end_char, span.start_char) is not None
            if (0 < len(gap) <= 3 and all(w in LIST_GAP_WORDS for w in gap)) or placed:
                chains.setdefault(previous, previous)
                chains[i] = chains[previous]
        previous = i
    return chains


def _gap(figure: Span, other: Span) -> tuple[int, int]:
    """How far ``other`` lies from ``figure`` in tokens, either side (the earlier first on a tie): a sort key."""
    return (other.start - figure.end if other.start >= figure.end else figure.start - other.end, other.start)


def _same_sentence(doc: Doc, a: Span, b: Span) -> bool:
    left, right = (a, b) if a.start < b.start else (b, a)
    return not sentence_ends_in(doc_text(doc)[left.end_char : right.start_char])


DISTANCE_EDGES = (0, 1, 2, 3, 5, 8, 13, 21, 34)
RELATION_C = 0.5  # inverse regularisation of the relation classifiers (see fit)
RULE_FEATURE_SCALE = 5.0
# a location or project classifier is trained from at least this many gold pairs; with fewer (text whose figures
# are seldom stated for a commune or a work, like the district reports: 17 location pairs in their 54 documents)
# the type is read by the guide's rules (guide_reading) instead
MIN_LEARNED_PAIRS = 100
GUIDE_READ_TYPES = ("location", "project")
LEAD_IN_PROBABILITY = 0.9  # how sure the lead-in rule is (above any classifier's "no", below a certain "yes")
GUIDE_READING = {"reading": "guide"}  # how model.json records such a type


def pair_features(candidate: Candidate, entities: DocEntities | None = None) -> dict[str, float]:
    """Sparse features of one candidate pair: order, distance, what lies between, the words around.

    ``entities`` (the Doc's, see :class:`DocEntities`) can be passed to avoid re-reading ``doc.ents``
    for every pair.
    """
    doc = candidate.figure.doc
    figure, other = candidate.figure, candidate.other
    before = other.end <= figure.start
    left, right = (other, figure) if before else (figure, other)
    gap = right.start - left.end  # tokens between the two spans
    # the text of those tokens (with their whitespace), from the tokenizer's copy of the text
    between_text = doc_text(doc)[doc[left.end].idx : right.start_char] if gap > 0 else ""
    if entities is None:
        entities = DocEntities(doc)
    ents, starts = entities.ents, entities.starts
    ents_between = [e for e in ents[bisect_left(starts, left.end) : bisect_left(starts, right.start)] if e.end <= right.start]
    same_between = sum(1 for e in ents_between if e.label_ == other.label_)
    figures_between = sum(1 for e in ents_between if e.label_ in FIGURE_LABELS)
    direction = "before" if before else "after"
    features: dict[str, float] = {
        "bias": 1.0,
        f"dir={direction}": 1.0,
        f"dist={bucket(gap, DISTANCE_EDGES)}": 1.0,
        f"dir={direction}|dist={bucket(gap, DISTANCE_EDGES)}": 1.0,
        f"same_between={bucket(same_between, (0, 1, 2))}": 1.0,
        f"dir={direction}|same_between={bucket(same_between, (0, 1, 2))}": 1.0,
        f"figures_between={bucket(figures_between, (0, 1, 2, 4))}": 1.0,
        f"dir={direction}|figures_between={bucket(figures_between, (0, 1, 2, 4))}": 1.0,
        f"semicolons={bucket(between_text.count(';'), (0, 1))}": 1.0,
        f"dir={direction}|semicolons={bucket(between_text.count(';'), (0, 1))}": 1.0,
        f"commas={bucket(between_text.count(','), (0, 1, 2, 4))}": 1.0,
        f"colon={':' in between_text}": 1.0,
        f"sentence_end={sentence_ends_in(between_text)}": 1.0,
        f"bracket={'(' in between_text or ')' in between_text}": 1.0,
        f"figure={figure.label_}": 1.0,
        f"other_len={bucket(len(other), (1, 2, 4, 8))}": 1.0,
    }
    # the first and the last six tokens between (reading every token of a long gap costs)
    near_edges = sorted(set(range(left.end, min(left.end + 6, right.start))) | set(range(max(right.start - 6, left.end), right.start)))
    for token in (doc[i] for i in near_edges):
        if not token.is_space:
            features[f"dir={direction}|between={token.lower_}"] = 1.0
    for name, token in (
        ("before_other", doc[other.start - 1] if other.start > 0 else None),
        ("after_other", doc[other.end] if other.end < len(doc) else None),
        ("before_figure", doc[figure.start - 1] if figure.start > 0 else None),
        ("after_figure", doc[figure.end] if figure.end < len(doc) else None),
    ):
        features[f"{name}={token.lower_ if token is not None else '<edge>'}"] = 1.0
    features[f"other_head={other[0].lower_}"] = 1.0
    # the rule baseline's choice: the nearest span of this label, in the figure's clause
    in_clause = not sentence_ends_in(between_text) and ";" not in between_text
    # (scaled up, so that the regularisation barely holds its weight back: with few examples of a relation
    # type, the classifier starts from the rule and learns where the data says otherwise)
    nearest_in_clause = entities.nearest(figure, other.label_) == other and in_clause
    features[f"nearest_in_clause={nearest_in_clause}"] = RULE_FEATURE_SCALE
    if other.label_ == "TARGET":
        features[f"target_text={other.text.lower()}"] = 1.0
        features.update(target_scope_features(candidate, entities, direction, between_text, same_between))
    else:
        features.update(place_and_work_features(candidate, entities, direction))
        # the guide's reading of the pair (what the type is read by when too few gold pairs train it), as one
        # more rule the classifier starts from (on by-source development folds 2 to 5, location relation 0.867
        # -> 0.874 and project relation 0.722 -> 0.742 with it)
        features[f"guide_reading={guide_reading(candidate, entities)}"] = RULE_FEATURE_SCALE
    return features


def place_and_work_features(candidate: Candidate, entities: "DocEntities", direction: str) -> dict[str, float]:
    """For a commune or a project: how many of its kind the figure's sentence and the paragraph name, and
    whether it is one item of a list ("các xã A, B và C"): a figure stated for one place or work links to it,
    a total after a list of several does not link to each (the guide)."""
    figure, other = candidate.figure, candidate.other
    _, _, _, sentence = entities.clauses()
    same_label = entities.by_label.get(other.label_, [])
    in_sentence = entities.count_in_sentence(other.label_, sentence[figure.start])
    in_list = entities.in_list(other)
    same_sentence = sentence[other.start] == sentence[figure.start]
    per_unit = entities.per_unit(figure)
    # the one commune (project) the paragraph names, maybe more than once: what the paragraph is about (the guide)
    sole = entities.distinct_names(other.label_) == 1
    # a nearer one of its kind on the figure's other side ("x tỷ đồng vốn [Chương trình 30a], y tỷ đồng vốn
    # [Chương trình 135]": y is stated for the programme after it, not for the one before)
    nearest = entities.nearest(figure, other.label_)
    other_side = nearest is not None and nearest != other and (nearest.start < figure.start) != (other.start < figure.start)
    refers_back = sole and entities.refers_back(figure, other.label_)
    features = {}
    if other.label_ == "PROJECT":
        # "tổng kinh phí xây dựng bốn công trình này là 29,6 tỷ đồng": a total said of several works, or of one
        total = entities.total_before(figure)
        features[f"PROJECT|total={total}|in_paragraph={bucket(len(same_label), (1, 2, 4))}"] = 1.0
        features[f"PROJECT|total={total}|sole_name={sole}|same_sentence={same_sentence}"] = 1.0
    return features | {
        f"{other.label_}|refers_back={refers_back}|same_sentence={same_sentence}": 1.0,
        f"{other.label_}|nearer_on_other_side={other_side}": 1.0,
        f"{other.label_}|sole_name={sole}|same_sentence={same_sentence}": 1.0,
        f"{other.label_}|in_list={in_list}|per_unit={per_unit}": 1.0,
        f"{other.label_}|in_list={in_list}|per_unit={per_unit}|same_sentence={same_sentence}": 1.0,
        f"{other.label_}|in_figure_sentence={bucket(in_sentence, (0, 1, 2))}|same_sentence={same_sentence}": 1.0,
        f"{other.label_}|in_paragraph={bucket(len(same_label), (1, 2, 4))}": 1.0,
        f"{other.label_}|in_list={in_list}|dir={direction}": 1.0,
        f"{other.label_}|in_list={in_list}|in_figure_sentence={bucket(in_sentence, (0, 1, 2))}": 1.0,
    }


def group_rule(candidate: Candidate, entities: "DocEntities") -> float | None:
    """The guide's reading of a figure against a list of communes in its sentence ("các xã A, B và C"), as a
    probability, or None where it does not decide: an amount for each member of the group ("mức hỗ trợ 2 tỷ
    đồng", "4 tỷ đồng mỗi nơi") links to every commune of the list; a total or a rate of the group as a whole
    ("đầu tư 14 tỷ đồng ở các xã A, B", "4 xã A, B … bằng 100% kế hoạch") links to none of them. An amount for
    each member whose sentence names no commune links to every commune listed in the figure-free sentences
    after it."""
    if candidate.type != "location":
        return None
    # a commune a merger made one ("sáp nhập 3 xã A, B và C"): no figure of the merged commune is stated for it
    if candidate.other.start in entities.merged_from():
        return 0.0
    # a group named before and referred back to ("Thu nhập bình quân đầu người ở các xã này đều trên 54 triệu
    # đồng", "6 xã này đã hoàn thành 50% các tiêu chí"): the guide's "referred back" read for each member
    if candidate.other in entities.group_referred_back(candidate.figure):
        return 1.0
    # one total for works named before, in several communes ("tổng kinh phí xây dựng bốn công trình này là 29,6
    # tỷ đồng"): stated for the works, not for each commune (the bentre-giongtrom note)
    if entities.works_referred_back(candidate.figure) and entities.distinct_names("COMMUNE") >= 2:
        return 0.0
    # members listed in the sentences after an amount for each of them (see DocEntities.members_named_after)
    if candidate.other.start > candidate.figure.end and candidate.other in entities.members_named_after(candidate.figure):
        return 1.0 if entities.per_unit(candidate.figure) else None
    if not entities.in_list(candidate.other):
        return None
    _, _, clause, sentence = entities.clauses()
    if sentence[candidate.other.start] != sentence[candidate.figure.start]:
        return None
    if clause[candidate.other.start] != clause[candidate.figure.start] and entities.clause_has_figure(
        clause[candidate.other.start]
    ):
        return 0.0  # "những xã A, B mỗi địa phương nhận 2 tỉ đồng; các phường C, D được 1 tỉ đồng": each list its own
    return 1.0 if entities.per_unit(candidate.figure) else 0.0


def works_rule(candidate: Candidate, entities: "DocEntities") -> float | None:
    """The guide's reading of a figure whose clause refers back to the works named before it ("Tổng kinh phí xây
    dựng của [ba cầu] là gần 400 triệu đồng" after three named bridges; "tổng kinh phí xây dựng [bốn công trình
    này] là 29,6 tỷ đồng"): one total for the list links to every work of it (the bentre-giongtrom note); None
    where it does not decide."""
    if candidate.type == "project" and candidate.other in entities.works_referred_back(candidate.figure):
        return 1.0
    return None


def guide_reading(candidate: Candidate, entities: "DocEntities") -> float:
    """The guide's reading of a location or project pair, as a probability, for a relation type that was not
    trained (too few gold pairs to learn from, see :data:`MIN_LEARNED_PAIRS`): a figure is stated for the commune
    (project) nearest to it in its own clause, and for the one commune (project) a paragraph names, which is
    what the paragraph is about, when the figure's sentence names it or refers back to it ("[xã] đạt ...",
    "[công trình] có tổng mức đầu tư ...") or the paragraph opens with it. Lists are read by
    :func:`group_rule` and :func:`works_rule` before this."""
    figure, other = candidate.figure, candidate.other
    _, _, clause, sentence = entities.clauses()
    if clause[other.start] == clause[figure.start]:
        own = entities.in_clause(other.label_, clause[figure.start])
        if min(own, key=lambda e: _gap(figure, e)) == other:
            return 1.0
    if entities.distinct_names(other.label_) == 1 and (
        sentence[other.start] == sentence[figure.start]
        or sentence[entities.by_label[other.label_][0].start] == 0
        or entities.refers_back(figure, other.label_)
    ):
        return 1.0
    return 0.0


def lead_in_rule(candidate: Candidate, features: dict[str, float]) -> float:
    """The guide's "one lead-in comparison for a list is the target of every figure of the list" ("So với cùng
    kỳ, kim ngạch một số nhóm hàng tăng: A 189 triệu USD (tăng 2%); B 101 triệu USD (tăng 16,3%)"), as a floor
    under the classifier's probability: a percentage that a comparison covers (``comparison_covers`` of
    :func:`target_scope_features`, the pair's ``features``) links to it with at least
    :data:`LEAD_IN_PROBABILITY`; 0.0 for every other pair. Report text seldom lists figures so, and a classifier
    trained on it weighs distance over the lead-in; an amount in such a list is a level, not the figure compared.
    An amount said as a change is compared, and links so to the comparison after it in its clause
    (``change_compared``: "giảm 8 tỷ đồng so với [năm 2023]", "cao hơn 1.475 tỷ đồng (+6,2%) so với [31/12/2021]")."""
    covered = candidate.type == "target" and (
        candidate.figure.label_ == "PERCENT" and "comparison_covers=True" in features
        or "change_compared=True" in features
    )
    return LEAD_IN_PROBABILITY if covered else 0.0


# a comparison of degree right after a figure and a comma ("lên 51,2 triệu đồng, vượt [mục tiêu nghị quyết]")
DEGREE_AFTER_COMMA = re.compile(r"\s*,\s*(?:vượt(?:\s+xa)?|(?:cao|thấp|nhiều|ít)\s+hơn)\s+")


def compared_after(candidate: Candidate, entities: "DocEntities") -> bool:
    """Whether the pair is a figure and the reference a comparison of degree names right after it and a comma,
    with no figure after it in its clause ("lên 51,2 triệu đồng, vượt [mục tiêu nghị quyết];", "chiếm tỷ lệ 1,32%,
    vượt [chỉ tiêu đề ra]."): the comparison is the figure's (each of the 3 in the development annotations, those
    outside the held-out fold, is linked so)."""
    figure, other = candidate.figure, candidate.other
    if other.start < figure.end or entities.figure_led(other) is not None:
        return False
    text = doc_text(figure.doc)
    if DEGREE_AFTER_COMMA.fullmatch(text, figure.end_char, other.start_char) is None:
        return False
    words, in_figure, _, _ = entities.clauses()
    for i in range(other.end, len(words)):  # no figure after it before its sentence or clause ends
        if words[i] in (";", ".", "!", "?", "…"):
            break
        if in_figure[i]:
            return False
    return True


# what stands between a figure and the comparison that opens the next item of its clause: ", so với", "và so với",
# ", còn so", ") và nếu so với mức" ("giảm trên 2,5% và so với [năm 2015] giảm 13,1%")
NEXT_ITEM_COMPARISON = re.compile(
    r"\s*\)?\s*(?:,\s*(?:(?:và|còn|nhưng)\s+)?|(?:và|còn|nhưng)\s+)(?:nếu\s+)?so\s+(?:với\s+)?(?:mức\s+)?"
)


def compared_for_the_next(candidate: Candidate, entities: "DocEntities") -> bool:
    """Whether the pair is a figure and a reference said after it that opens the next item of the clause and leads
    that item's own figure ("giảm trên 2,5% và so với [năm 2015] giảm 13,1%", "ước 5.944,97 tỷ đồng, so [tháng
    trước] tăng 2,45%"): the reference is the next figure's, not this one's (none of the 55 such figures of the
    development annotations is linked to it)."""
    figure, other = candidate.figure, candidate.other
    if other.start < figure.end:
        return False
    if NEXT_ITEM_COMPARISON.fullmatch(doc_text(figure.doc), figure.end_char, other.start_char) is None:
        return False
    led = entities.figure_led(other)
    return led is not None and led >= other.end


DEGREE_WORDS = {"cao", "thấp", "ít", "nhiều", "lớn", "nhỏ"}


def degree_led_elsewhere(candidate: Candidate, entities: "DocEntities") -> bool:
    """Whether the pair is a figure and a comparison of degree before it that leads a figure of its own, earlier
    ("ít hơn [cùng kỳ năm trước] 25%, với vốn đăng ký 35,1 nghìn tỷ đồng, tăng 0,5%", "cao hơn [năm 2023] là
    10,04%, cả 3 khu vực đều tăng: ... tăng 4,15%"): the comparison is that figure's, not the later ones' (24 of
    the 25 such later figures of the development annotations without a comparison of their own have none)."""
    figure, other = candidate.figure, candidate.other
    if other.end > figure.start:
        return False
    words = entities.clauses()[0]
    before = words[max(0, other.start - 2) : other.start]  # "cao hơn" as one token or two
    one_token = bool(before) and before[-1].split()[0] in DEGREE_WORDS and before[-1].endswith(" hơn")
    two_tokens = len(before) == 2 and before[1] == "hơn" and before[0] in DEGREE_WORDS
    if not (one_token or two_tokens):
        return False
    led = entities.figure_led(other)
    return led is not None and led < figure.start


def level_after_comparison(candidate: Candidate, entities: "DocEntities") -> bool:
    """Whether the pair is an amount stated as a level after a comparison opened by "so với" / "so sánh với" /
    "đối chiếu với" ("So với [cùng kỳ], giá trị sản xuất ngành công nghiệp ước 14.550 tỷ đồng, tăng 16,6%": the
    comparison is the change's; "so với [chỉ tiêu] là 38,760 tỉ đồng": the reference's own value). None of the 42
    such amounts of the development annotations is linked to the comparison; an amount said as a change is ("so
    với [năm 2023] giảm 8 tỷ đồng", "tăng trưởng so với [31/12/2023] là 65 tỷ đồng")."""
    figure, other = candidate.figure, candidate.other
    if figure.label_ != "MONEY" or other.end > figure.start:
        return False
    words = entities.clauses()[0]
    compare = _comparison_start(words, other.start)
    if compare < 0 or words[compare] not in COMPARE_WORDS or _said_as_change(figure, words):
        return False
    # a change said before the comparison, its amount after it ("tăng trưởng so với [31/12/2023] là 65 tỷ đồng")
    return not any(w in CHANGE_WORDS for w in words[max(0, compare - 3) : compare])


def respectively_rule(candidate: Candidate, entities: "DocEntities") -> float | None:
    """The reading of "lần lượt" (respectively) against references joined before it, as a probability, or None
    where it does not decide: "so với [tháng trước] và với [cùng kỳ] thì A lần lượt tăng 2,73% và 24,64%" links
    the k-th figure after "lần lượt" in its clause to the k-th reference, when there are as many of each.

    Without "lần lượt", joined references that head the figures ("so với [tháng trước] và với [cùng tháng năm
    trước]: ...; A được 46,7 tỷ đồng, giảm 0,3%, tăng 5,4%") are read the same way by the figures of the figure's
    kind that its clause holds after them, when there are as many of each and no other reference between."""
    if candidate.type != "target":
        return None
    words, _, clause, sentence = entities.clauses()
    figure, other = candidate.figure, candidate.other
    start = bisect_left(clause, clause[figure.start])
    marks = [i for i in range(start, figure.start) if words[i] == "lần lượt" or words[i : i + 2] == ["lần", "lượt"]]
    if not marks and not entities.joined_by_va(other):
        return None  # without "lần lượt", only references joined by "và" are read in order
    limit = marks[-1] if marks else figure.start
    sentence_start = bisect_left(sentence, sentence[figure.start])
    all_targets, target_starts = entities.by_label.get("TARGET", []), entities.label_starts("TARGET")
    first, last = bisect_left(target_starts, sentence_start), bisect_left(target_starts, limit)
    targets = [e for e in all_targets[first:last] if e.end <= limit]
    if other not in targets:
        return None
    group = [other]
    k = targets.index(other)
    for i in range(k, 0, -1):  # the references joined to it before ...
        if not all(w in JOINING_WORDS for w in words[targets[i - 1].end : targets[i].start]):
            break
        group.insert(0, targets[i - 1])
    for i in range(k, len(targets) - 1):  # ... and after
        if not all(w in JOINING_WORDS for w in words[targets[i].end : targets[i + 1].start]):
            break
        group.append(targets[i + 1])
    if not marks and not _heads_figures(group, targets, entities, clause[figure.start]):
        return None
    mark = marks[-1] if marks else max(start, group[-1].end)
    end = bisect_left(clause, clause[figure.start] + 1)
    ents = entities.ents[bisect_left(entities.starts, mark + 1) : bisect_left(entities.starts, end)]
    after = [e.start for e in ents if e.label_ in FIGURE_LABELS and (marks or e.label_ == figure.label_)]
    if len(after) < 2 or figure.start not in after or len(group) != len(after):
        return None
    return 1.0 if group.index(other) == after.index(figure.start) else 0.0


def _heads_figures(group: list[Span], targets: list[Span], entities: "DocEntities", clause_number: int) -> bool:
    """Whether joined references are a lead-in that heads the figures of a clause without "lần lượt": two or more
    joined by "và", opened by comparison words not said of a figure before them ("so với [A] và với [B]: ..."),
    the last reference before the clause, and no reference of the clause's own."""
    words, in_figure, _, _ = entities.clauses()
    if len(group) < 2 or targets[-1] != group[-1]:
        return False
    if any("và" not in words[a.end : b.start] for a, b in zip(group, group[1:])):
        return False
    compare = _comparison_start(words, group[0].start)
    if compare < 0 or words[compare] not in COMPARE_WORDS or (compare >= 1 and in_figure[compare - 1]):
        return False
    return all(target in group for target in entities.in_clause("TARGET", clause_number))


JOINING_WORDS = {"và", "với", "so", "so với", ",", "cũng như"}  # between references joined in one lead-in
COMPARE_WORDS = {"so", "so sánh", "đối chiếu"}  # what opens a comparison: "so (với)", "so sánh với", "đối chiếu với"
# ... and a comparison of degree, written as one token or two ("thấp hơn [cùng kỳ], gồm: A (giảm 5,1%), ...")
DEGREE_WORDS = {"cao", "thấp", "nhiều", "ít", "lớn", "nhỏ"}
DEGREE_COMPARISONS = {f"{w} hơn" for w in DEGREE_WORDS}


def _split_degree_before(words: list[str], position: int) -> bool:
    """Whether a comparison of degree written as two tokens ("thấp" "hơn") ends right before ``position``."""
    return position >= 2 and words[position - 1] == "hơn" and words[position - 2] in DEGREE_WORDS
# the word before a figure that a comparison at the end of its clause compares: a change ("A tăng 5,1%, B giảm
# 4,7% so với [cùng kỳ]"), not a level ("tỷ lệ hộ nghèo 3,5%, giảm 0,8% so với [năm trước]": 3,5% is compared
# with nothing)
CHANGE_WORDS = {"tăng", "giảm", "tăng trưởng", "+", "-"} | DEGREE_COMPARISONS  # (a bare "hơn 312 tỷ" is "over")


# what lies between a reference compared by degree and the percentage that restates the difference: "là 919 ha (",
# "0,5 tạ / ha , tức tăng ", "777 ha (" (the words of a unit, a bracket or "tức", a word of change)
RESTATED_DIFFERENCE = re.compile(
    rf"(?:là )?{NUMBER_PATTERN}(?: [^\s(),;:.]+){{1,4}} (?:\( (?:tức )?|, tức )(?:(?:tăng|giảm) )?"
)


def _joined_to_previous(figure: Span, words: list[str]) -> bool:
    """Whether a figure is joined to the one before it with no verb of its own: right after "và", "hoặc" or a comma
    ("167,67% (năm 2018) và [157,29%]")."""
    return figure.start >= 1 and words[figure.start - 1] in ("và", ",", "hoặc")


def _said_as_change(figure: Span, words: list[str]) -> bool:
    """Whether a figure is written as a change: signed ("+46,2%") or after a word of change ("tăng 5,1%", "giảm 8 tỷ
    đồng", "cao hơn 1.475 tỷ đồng")."""
    if figure.text[:1] in "+-" or (figure.start >= 1 and words[figure.start - 1] in CHANGE_WORDS):
        return True
    return _split_degree_before(words, figure.start)


# a comparison written once for a list of figures: before them ("So với cùng kỳ, A tăng x%; B tăng y%",
# "So với vụ mùa năm 2017 thì A ...": "so với" not right after a figure) or after them ("A tăng x%; B tăng y%,
# đều so với cùng kỳ năm trước")
UNIT_WORDS = {"xã", "phường", "thị trấn"}
# works or communes named before and referred back to: "ba cầu", "02 trường", "bốn công trình này", "các công
# trình trên", "các xã này", "6 xã này", "những địa phương nói trên"
COUNT_WORDS = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
GROUP_COUNT = rf"các|những|cả|\d+|{'|'.join(COUNT_WORDS)}"  # a plural or a count before the unit word or work noun
# ("trên" is a demonstrative before a mark or a verb, "các công trình trên là ...", and a preposition before a noun:
# "các dự án trên địa bàn", "4 dự án trên các tuyến đường")
DEMONSTRATIVES = (
    r"này|nói\s+trên|kể\s+trên|trên\s+đây"
    r"|trên(?=\s*(?:[,.;:)]|$)|\s+(?:là|đã|được|có|đều|với|thì|đạt|sẽ|đang|cần|vẫn|mới|cũng)(?!\w))"
)
WORKS_REFERRED_BACK = re.compile(
    rf"(?i)(?<!\w)(?P<count>{GROUP_COUNT})\s+"
    rf"(?P<noun>{any_of(ALL_WORK_NOUNS | {'công trình', 'dự án', 'hạng mục'})})"
    rf"(?:\s+(?P<demonstrative>{DEMONSTRATIVES}))?(?!\w)"
)
GROUP_REFERRED_BACK = re.compile(
    rf"(?i)(?<!\w)(?:{GROUP_COUNT})\s+(?:xã|phường|thị\s+trấn|địa\s+phương)(?:\s*,\s*(?:phường|thị\s+trấn))?"
    rf"\s+(?:{DEMONSTRATIVES})(?!\w)"
)
# the communes a merger made one, named after it: "được lập mới bằng việc sáp nhập 3 xã A, B và C", "hình thành khi
# hợp nhất Đảng bộ của 3 xã là A, B và C", "các xã, thị trấn đã sáp nhập là A, B", "sáp nhập xã A vào xã B" (A):
# units before the merger, not the place the figures of the paragraph are stated for (the merged commune it is
# about is; "sau sáp nhập, toàn xã có ..." names none)
MERGED_FROM = re.compile(
    r"(?i)(?<!sau\s)(?<!\w)(?:sáp\s+nhập|hợp\s+nhất)(?!\w)"
    rf"(?:\s+(?:đảng\s+bộ\s+)?(?:của\s+)?(?:{GROUP_COUNT})\s+(?:xã|phường|thị\s+trấn)(?:\s*,\s*(?:phường|thị\s+trấn))*)?"
    r"(?:\s+(?:là|gồm))?\s*:?\s*(?:(?:xã|phường|thị\s+trấn)\s+)?$"
)
MERGED_FROM_REACH = 80  # characters before the first commune of the list
MERGER_WORD = re.compile(r"(?i)sáp\s+nhập|hợp\s+nhất")
LIST_GAP_WORDS = {",", ";", "và"} | UNIT_WORDS
DISTRICT_GAP = re.compile(rf"{ITEM_DISTRICT}\s*(?:,|;|và)\s*(?:{UNIT_WORD}\s+)?")  # "(Cẩm Xuyên), xã "
COVERS_ALL_BEFORE = {"đều", "lần lượt", "tất cả"}
WORK_WORDS = {"dự án", "công trình", "chương trình"}
EACH_UNIT_WORDS = UNIT_WORDS | {"địa phương", "nơi"}  # "mỗi xã ...", "mỗi địa phương ...": an amount per member
PLURAL_WORDS = GENERIC_BEFORE | {"số"}  # "các dự án", "số xã": no one named before
NUMBER = re.compile(NUMBER_PATTERN)
DATE_WORDS = {"tháng", "năm", "quý", "ngày", "/", "giai đoạn", "đợt", "lần"}
PERIOD_WORDS = {"tháng", "năm", "quý", "ngày", "tuần"}  # after a number, a period: "6 tháng", "02 tháng", "2 năm"


def _comparison_start(words: list[str], reference: int) -> int:
    """The token where the comparison words before a reference starting at ``reference`` start: "so" of "so với
    X", "so sánh" of "so sánh với X", ... (else the token right before it; -1 at the start)."""
    joined = reference >= 2 and words[reference - 1] == "với" and words[reference - 2] in COMPARE_WORDS
    if not joined and _split_degree_before(words, reference):
        return reference - 2  # "thấp hơn [cùng kỳ]" written as two tokens
    return reference - 2 if joined else reference - 1


def _opens_comparison(words: list[str], compare: int) -> bool:
    """Whether the comparison words found by :func:`_comparison_start` at ``compare`` open a comparison: "so
    (với)", "so sánh với", "đối chiếu với", or one of degree ("cao hơn", "thấp hơn", ...)."""
    if compare < 0:
        return False
    word = words[compare]
    return word in COMPARE_WORDS or word in DEGREE_COMPARISONS or (
        word in DEGREE_WORDS and words[compare + 1 : compare + 2] == ["hơn"]
    )


def _figure_led(words: list[str], in_figure: list[bool], end: int) -> int | None:
    """The token of the figure a reference ending at ``end`` leads ("so với [năm 2015] giảm 13,1%"): the first
    figure token within five tokens after it with no punctuation between, or None."""
    for i in range(end, min(end + 5, len(words))):
        if in_figure[i]:
            return i
        if words[i] in (",", ";", ".", ":", "(", ")"):
            return None
    return None


def target_scope_features(
    candidate: Candidate, entities: "DocEntities", direction: str, between_text: str, targets_between: int
) -> dict[str, float]:
    """Whether a TARGET reads as a comparison that covers several figures of its sentence.

    A lead-in ("so với X," before the figures, no other TARGET between and none in the figure's own clause) or a
    closing "đều so với X" after them covers every figure of the sentence; a TARGET in the figure's own clause
    (between ";" / sentence ends) is the figure's own comparison and takes precedence."""
    figure, other = candidate.figure, candidate.other
    words, in_figure, clause, _ = entities.clauses()
    # "so với X", "so X" ("đều tăng so tháng trước"), "so sánh với X", "đối chiếu với X": where the comparison starts
    compare = _comparison_start(words, other.start)
    after_compare = _opens_comparison(words, compare)
    opens_list = after_compare and not (compare >= 1 and in_figure[compare - 1])
    # a comparison of degree heads a list only when no figure follows it as its own ("thấp hơn [cùng kỳ], gồm: A
    # (giảm 5,1%), ..."; not "cao hơn [cùng kỳ năm trước] 5,13%; theo khu vực, A tăng 3,63%, ...")
    if opens_list and words[compare] not in COMPARE_WORDS:
        opens_list = entities.figure_led(other) is None
    # "Trong [tổng giá trị sản xuất], A 23,4%, B 31,6%", "trong cơ cấu [GRDP], ...": the whole of the shares after it
    whole = next((i for i in (other.start - 1, other.start - 2, other.start - 3) if i >= 0 and words[i] == "trong"), None)
    if whole is not None and " ".join(words[whole + 1 : other.start]) in ("", "cơ cấu") and direction == "before":
        opens_list = not (whole >= 1 and in_figure[whole - 1])
    # ... and "Về cơ cấu ngành hàng của [tổng mức bán lẻ hàng hóa], A 44,75%; B 12,66%": the whole after "của"
    # (or right after it: "cơ cấu [GRDP] 6 tháng năm 2022 ... như sau: A chiếm tỷ trọng 21,9%, B 43,1%, ...")
    # (the whole after "trong cơ cấu" is read above)
    structure = (
        other.start >= 2 and words[other.start - 1] == "của" and "cơ cấu" in words[max(0, other.start - 5) : other.start - 1]
        or whole is None and (
            words[max(0, other.start - 1) : other.start] == ["cơ cấu"] or words[max(0, other.start - 2) : other.start] == ["cơ", "cấu"]
        )
    )
    if structure and direction == "before":
        opens_list = not any(in_figure[max(0, other.start - 5) : other.start])
    # "mọi nhóm hàng đều tăng so với X; A 8,79%, B ...": said of a whole group, the comparison crosses ";"
    of_all = after_compare and "đều" in words[max(0, compare - 2) : compare]
    closes_list = after_compare and any(
        w in COVERS_ALL_BEFORE for w in words[max(0, other.start - 4) : other.start]
    )
    same_sentence = not sentence_ends_in(between_text)
    own_clause = clause[figure.start] == clause[other.start]
    # the guide's comparison at the end of a clause covers every change of that clause before it ("A tăng 5,1%, B
    # giảm 4,7% và C tăng 1,8% so với [cùng kỳ]")
    # (every percentage up to it a change too: "(tăng 24,6%), bằng 25,6% so với [dự toán năm]" compares 25,6% alone)
    closes_clause = False
    if after_compare and direction == "after" and own_clause and figure.label_ == "PERCENT":
        ends_clause = other.end == len(words) or words[other.end] in (";", ".", "!", "?", "...", "…")
        between = entities.ents[bisect_left(entities.starts, figure.start) : bisect_left(entities.starts, other.start)]
        shares = [e for e in between if e.label_ == "PERCENT"]
        closes_clause = ends_clause and (
            all(_said_as_change(e, words) for e in shares)
            # or ratios joined to the first, its verb said once ("đạt 167,67% (năm 2018) và 157,29% (năm 2019) so
            # với [dự toán năm]")
            or all(_joined_to_previous(e, words) for e in shares[1:])
        )
    # another comparison of the figure's clause takes precedence, unless it is the lead-in of a later figure
    # ("So với [tháng 3/2023], IIP giảm 5,71%, nhưng so với [cùng kỳ năm 2021] lại tăng 16,14%")
    other_in_clause = any(
        target.start != other.start and entities.figure_led(target) in (None, figure.start)
        for target in entities.in_clause("TARGET", clause[figure.start])
    )
    scope = "own_clause" if own_clause else (
        "lead_in" if opens_list and direction == "before" else "closing" if closes_list and direction == "after" else "none"
    )
    # the rule reading, scaled up as nearest_in_clause: a lead-in comparison covers each figure after it in its
    # sentence that has no comparison of its own and no other comparison written between
    if scope == "lead_in" and of_all:
        scope = "lead_in_of_all"
    covers = scope.startswith("lead_in") or scope == "closing" or closes_clause
    # ... and so does a lead-in of the figure's own clause, however far ("So với tháng 6/2024, ... 7 nhóm hàng tăng
    # giá, gồm: A (4,54%), B (1,47%), ...")
    # (not from inside the brackets of one item: "thịt trâu 0,1 nghìn tấn (so với cùng kỳ tăng 14,9%), thịt bò
    # 4,4 nghìn tấn (tăng 12,5%)"; nor after the item's own measure: "A ước đạt 12.466 tỷ đồng, so với cùng kỳ
    # tăng 13,84%, ..., trong đó riêng B tăng 16,63%")
    if own_clause and opens_list and direction == "before" and not covers:
        between = words[other.end : figure.start]
        covers = between.count(")") <= between.count("(") and not entities.measured_before(compare)
    covers = covers and same_sentence and not other_in_clause and not targets_between
    # a difference compared by degree and then restated as a percentage has the difference's reference ("ít hơn
    # [vụ Đông năm 2017] là 919 ha (giảm 7,29%)", "cao hơn [vụ hè thu năm trước] 0,5 tạ/ha, tức tăng 0,86%")
    if direction == "before" and after_compare and words[compare] not in COMPARE_WORDS and figure.label_ == "PERCENT":
        covers = covers or RESTATED_DIFFERENCE.fullmatch(" ".join(words[other.end : figure.start]) + " ") is not None
    # across ";" a lead-in covers the list only when it heads it ("So với cùng thời điểm năm trước, A giảm 0,6%;
    # B tăng 0,4%"), not when it sits in the first item after its own measure ("lạc ước 37,35 tạ/ha, so với
    # cùng kỳ tăng 0,43%; đậu tương 24,51 tạ/ha, tăng 1,28%": the guide's comparison of one item)
    if covers and scope.startswith("lead_in") and clause[figure.start] != clause[other.start]:
        # (said of a whole group, "mọi nhóm hàng ... đều tăng so với X; A 8,79%, B ...", it heads the list whatever
        # its clause measured before it: "chỉ số giá cao hơn cùng kỳ 1,16%, và mọi nhóm hàng ... đều tăng so với X")
        covers = scope == "lead_in_of_all" or not entities.measured_before(compare)
    # a reference that a later figure of its clause follows is that figure's lead-in ("giảm trên 2,5% và so với
    # [năm 2015] giảm 13,1%": năm 2015 is the reference of 13,1%, not of 2,5%)
    led = entities.figure_led(other)
    leads_next = led is not None and led != figure.start
    features = {f"comparison_covers={covers}|figure={figure.label_}": 1.0}
    # an amount said as a change is compared with the first comparison after it in its clause, no other amount
    # between ("giảm 8 tỷ đồng so với [năm 2023]"; the annotations link every such amount, and almost no level)
    if figure.label_ == "MONEY" and direction == "after" and own_clause and after_compare and _said_as_change(figure, words):
        between = entities.ents[bisect_left(entities.starts, figure.end) : bisect_left(entities.starts, other.start)]
        if not any(e.label_ in ("MONEY", "TARGET") for e in between):
            features["change_compared=True"] = 1.0
    # the figure is the reference's own value ("(kế hoạch 10,01%)", "(cùng kỳ 6,1%)", "KH là 4%"): a plan value
    # gets no target (the guide), unless the reference is what it is compared with ("vượt [kế hoạch] 6%")
    reference = entities.reference_before(figure)
    if reference is not None:
        features[f"reference_value|before={reference}|dir={direction}"] = 1.0
    return features | {
        f"leads_next_figure={leads_next}|dir={direction}": 1.0,
        f"comparison_covers={covers}": RULE_FEATURE_SCALE,
        f"scope={scope}|same_sentence={same_sentence}": 1.0,
        f"scope={scope}|other_target_in_figure_clause={other_in_clause}": 1.0,
        f"scope={scope}|dir={direction}": 1.0,
    }


class DocEntities:
    """A Doc's entities in order, and per label, with the nearest-span lookups pair features need."""

    def __init__(self, doc: Doc):
        self.ents = list(doc.ents)
        self.starts = [e.start for e in self.ents]  # ents do not overlap: starts and ends are both sorted
        self.by_label: dict[str, list[Span]] = {}
        for ent in self.ents:
            self.by_label.setdefault(ent.label_, []).append(ent)
        self._label_starts = {label: [e.start for e in ents] for label, ents in self.by_label.items()}
        self._nearest: dict[tuple[int, str], Span | None] = {}
        self._per_unit: dict[int, bool] = {}
        self._refers_back: dict[tuple[int, str], bool] = {}
        self._chains: dict[int, list[Span]] | None = None  # the lists of communes (see commune_lists)
        self._works_back: dict[int, list[Span]] = {}
        self._group_back: dict[int, list[Span]] = {}
        self._token_starts: list[int] = []  # the character offset of each token (made with the clauses)
        self._distinct: dict[str, int] = {}
        self._per_sentence: dict[str, dict[int, int]] = {}
        self._per_clause: dict[str, dict[int, list[int]]] = {}
        self._doc = doc
        self._clauses: tuple[list[str], list[bool], list[int], list[int]] | None = None
        self._hints: list[str] | None = None
        self._members_after: dict[int, list[Span]] = {}
        self._joined: set[int] | None = None
        self._led: dict[int, int | None] = {}
        self._sentences_with: tuple[set[int], set[int]] | None = None
        self._merged: set[int] | None = None

    def members_named_after(self, figure: Span) -> list[Span]:
        """The communes named in the sentences after ``figure``'s, up to the next sentence that states a figure,
        when its own sentence names none and they are two or more: the members of a group an amount "mỗi xã"
        is stated for, listed after it ("... trị giá 500 triệu đồng cho mỗi xã. Hai huyện có tới 4 xã cùng được
        thưởng: huyện Di Linh với các xã A, B, ..."; "mỗi nhà được 40 triệu đồng. ... (thôn 1, xã C), ...")."""
        communes = self.by_label.get("COMMUNE", [])
        if not communes:
            return []
        _, in_figure, _, sentence = self.clauses()
        own = sentence[figure.start]
        if own not in self._members_after:  # the same for every figure of a sentence: found once
            if self._sentences_with is None:
                self._sentences_with = (
                    {sentence[i] for i, f in enumerate(in_figure) if f}, {sentence[c.start] for c in communes}
                )
            with_figure, with_commune = self._sentences_with
            members: list[Span] = []
            if own not in with_commune:
                last = own + 1
                while last <= sentence[-1] and last not in with_figure:
                    last += 1  # the sentences after it, up to one that states a figure
                first_token, end_token = bisect_left(sentence, own + 1), bisect_left(sentence, last)
                starts = self.label_starts("COMMUNE")
                members = communes[bisect_left(starts, first_token) : bisect_left(starts, end_token)]
            self._members_after[own] = members if len(members) >= 2 else []
        return self._members_after[own]

    def commune_chains(self) -> dict[int, list[Span]]:
        """The lists of communes of the Doc (see :func:`commune_lists`), each under its first member's index."""
        if self._chains is None:
            communes = self.by_label.get("COMMUNE", [])
            self._chains = {}
            for i, chain in commune_lists(self._doc, communes).items():
                self._chains.setdefault(chain, []).append(communes[i])
        return self._chains

    def merged_from(self) -> set[int]:
        """The starts of the communes a merger made one, named in a list right after it (see :data:`MERGED_FROM`)."""
        if self._merged is None:
            text = doc_text(self._doc)
            self._merged = set()
            if MERGER_WORD.search(text) is None:  # most paragraphs tell of no merger: nothing to read
                return self._merged
            members = {chain[0].start: chain for chain in self.commune_chains().values()}
            for commune in self.by_label.get("COMMUNE", []):
                if commune.start in self._merged:
                    continue
                window = text[max(0, commune.start_char - MERGED_FROM_REACH) : commune.start_char]
                if MERGED_FROM.search(window) is None:
                    continue
                chain = members.get(commune.start, [commune])
                self._merged.add(commune.start)
                for previous, member in zip(chain, chain[1:]):
                    if ";" in text[previous.end_char : member.start_char]:
                        break  # the next group of a list across ";" is not the merger's
                    self._merged.add(member.start)
        return self._merged

    def group_referred_back(self, figure: Span) -> list[Span]:
        """The communes of the last list before ``figure``'s sentence when its clause refers back to a group of
        communes before the figure ("ở các xã này", "6 xã này", "những địa phương nói trên"); none otherwise."""
        communes = self.by_label.get("COMMUNE", [])
        if len(communes) < 2:
            return []
        if figure.start in self._group_back:  # the same for every candidate of a figure: found once
            return self._group_back[figure.start]
        _, _, clause, sentence = self.clauses()
        opening = bisect_left(clause, clause[figure.start])
        reference = GROUP_REFERRED_BACK.search(doc_text(self._doc), self._token_starts[opening], figure.start_char)
        group: list[Span] = []
        if reference is not None:
            before = [
                members for members in self.commune_chains().values()
                if sentence[members[-1].start] < sentence[figure.start] and members[-1].end_char <= reference.start()
            ]
            group = max(before, key=lambda members: members[-1].start) if before else []
        self._group_back[figure.start] = group
        return group

    def works_referred_back(self, figure: Span) -> list[Span]:
        """The works a figure's clause refers back to before the figure: a count of works that equals the number of
        works named before it ("của [ba cầu]" after three bridges, "02 trường là A và B"), or a plural with a
        demonstrative ("[bốn công trình này]", "các công trình trên"); the last mention of each, or none."""
        works = self.by_label.get("PROJECT", [])
        if len(works) < 2:
            return []
        if figure.start not in self._works_back:
            _, _, clause, _ = self.clauses()
            opening = bisect_left(clause, clause[figure.start])
            found: list[Span] = []
            text = doc_text(self._doc)
            for reference in WORKS_REFERRED_BACK.finditer(text, self._token_starts[opening], figure.start_char):
                if NOT_A_WORK.match(text, reference.start("noun")):
                    continue  # "các trường hợp", "các hồ sơ"
                named: dict[str, Span] = {}
                for work in works:
                    if work.end_char <= reference.start():
                        named.pop(work.text.lower(), None)
                        named[work.text.lower()] = work  # the last mention of each name, in order
                count = COUNT_WORDS.get(reference.group("count").lower())
                if count is None and reference.group("count").isdigit():
                    count = int(reference.group("count"))
                if count is not None and count == len(named) >= 2:
                    found = list(named.values())
                elif count is None and reference.group("demonstrative") and len(named) >= 2:
                    found = list(named.values())
            self._works_back[figure.start] = found
        return self._works_back[figure.start]

    def in_list(self, ent: Span) -> bool:
        """Whether ``ent`` is one item of a list of its label: another one right before or after it, with only
        ",", ";", "và" or a unit word between ("xã A, B và C", "xã A, xã B"), or the district the first lies in
        ("Tùng Ảnh thuộc huyện Đức Thọ, Thạch Châu ...")."""
        words = self.clauses()[0]
        same = self.by_label.get(ent.label_, [])
        index = bisect_left(self._label_starts.get(ent.label_, []), ent.start)
        if index >= len(same) or same[index].start != ent.start:
            return False
        neighbours = [same[i] for i in (index - 1, index + 1) if 0 <= i < len(same)]
        for neighbour in neighbours:
            left, right = (neighbour, ent) if neighbour.end <= ent.start else (ent, neighbour)
            gap = words[left.end : right.start]
            placed = DISTRICT_GAP.fullmatch(doc_text(self._doc), left.end_char, right.start_char) is not None
            if (0 < len(gap) <= 3 and all(w in LIST_GAP_WORDS for w in gap)) or placed:
                return True
        return False

    def figure_led(self, target: Span) -> int | None:
        """The token of the figure a TARGET is the lead-in of (see :func:`_figure_led`), found once per TARGET."""
        if target.start not in self._led:
            words, in_figure, _, _ = self.clauses()
            self._led[target.start] = _figure_led(words, in_figure, target.end)
        return self._led[target.start]

    def joined_by_va(self, target: Span) -> bool:
        """Whether a TARGET is joined by "và" to the TARGET right before or after it, with only joining words
        between ("so với [tháng trước] và với [cùng kỳ]"): found once for all TARGETs."""
        if self._joined is None:
            words = self.clauses()[0]
            targets = self.by_label.get("TARGET", [])
            self._joined = set()
            for a, b in zip(targets, targets[1:]):
                between = words[a.end : b.start]
                if "và" in between and all(w in JOINING_WORDS for w in between):
                    self._joined.update((a.start, b.start))
        return target.start in self._joined

    def label_starts(self, label: str) -> list[int]:
        """The starts of the entities of ``label``, in order."""
        return self._label_starts.get(label, [])

    def starts_in_clause(self, label: str, number: int) -> list[int]:
        """The starts of the entities of ``label`` in clause ``number`` (grouped once per label)."""
        if label not in self._per_clause:
            clause = self.clauses()[2]
            groups: dict[int, list[int]] = {}
            for ent in self.by_label.get(label, []):
                groups.setdefault(clause[ent.start], []).append(ent.start)
            self._per_clause[label] = groups
        return self._per_clause[label].get(number, [])

    def in_clause(self, label: str, number: int) -> list[Span]:
        """The entities of ``label`` in clause ``number``."""
        ents, starts = self.by_label.get(label, []), self.label_starts(label)
        return [ents[bisect_left(starts, start)] for start in self.starts_in_clause(label, number)]

    def clause_has_figure(self, number: int) -> bool:
        """Whether clause ``number`` holds a figure."""
        return any(self.starts_in_clause(label, number) for label in FIGURE_LABELS)

    def in_sentence_of(self, label: str, span: Span) -> list[Span]:
        """The entities of ``label`` in the sentence of ``span``."""
        _, _, _, sentence = self.clauses()
        own = sentence[span.start]
        first, end = bisect_left(sentence, own), bisect_left(sentence, own + 1)
        starts = self.label_starts(label)
        return self.by_label.get(label, [])[bisect_left(starts, first) : bisect_left(starts, end)]

    def count_in_sentence(self, label: str, number: int) -> int:
        """How many entities of ``label`` the sentence ``number`` holds (counted once per label)."""
        if label not in self._per_sentence:
            sentence = self.clauses()[3]
            counts: dict[int, int] = {}
            for ent in self.by_label.get(label, []):
                counts[sentence[ent.start]] = counts.get(sentence[ent.start], 0) + 1
            self._per_sentence[label] = counts
        return self._per_sentence[label].get(number, 0)

    def distinct_names(self, label: str) -> int:
        """How many different names (lower-cased) the Doc's entities of ``label`` have (communes a merger made
        one left out: see :meth:`merged_from`)."""
        if label not in self._distinct:
            merged = self.merged_from() if label == "COMMUNE" else set()
            self._distinct[label] = len({e.text.lower() for e in self.by_label.get(label, []) if e.start not in merged})
        return self._distinct[label]

    def measured_before(self, position: int) -> bool:
        """Whether a quantity (a number that is no date, no period and no part of a name: "37,35 tạ/ha", "12,6
        nghìn ha"; not "năm 2022", "Cộng dồn 02 tháng", "Covid-19") comes before ``position`` in its clause."""
        words, _, clause, _ = self.clauses()
        start = bisect_left(clause, clause[position])
        for i in range(start, position):
            if (
                NUMBER.fullmatch(words[i]) and (i == 0 or words[i - 1] not in DATE_WORDS and words[i - 1] != "-")
                and words[i + 1 : i + 2] != ["/"] and (i + 1 >= len(words) or words[i + 1] not in PERIOD_WORDS)
            ):
                return True
        return False

    def refers_back(self, figure: Span, label: str = "COMMUNE") -> bool:
        """Whether the figure's sentence names a commune (a project) by its generic word alone ("thu ngân sách
        [xã] đạt ...", "trên địa bàn [phường]", "[Chương trình] cần ...", "[công trình] có tổng mức đầu tư"): one
        named before, referred back to (the guide); not a plural or counted one ("các xã", "03 công trình")."""
        words, _, _, sentence = self.clauses()
        own = sentence[figure.start]
        key = (own, label)
        if key not in self._refers_back:
            doc = self._doc
            start, end = bisect_left(sentence, own), bisect_left(sentence, own + 1)
            named = {e.start for e in self.by_label.get(label, [])}
            generic = UNIT_WORDS if label == "COMMUNE" else WORK_WORDS
            self._refers_back[key] = any(
                words[i] in generic and i + 1 not in named and i not in named
                and (i + 1 == len(doc) or not doc[i + 1].text[:1].isupper())
                and not (i > 0 and (words[i - 1] in PLURAL_WORDS or words[i - 1][:1].isdigit()))
                for i in range(start, end)
            )
        return self._refers_back[key]

    def reference_before(self, figure: Span) -> str | None:
        """The word before a reference word ("kế hoạch", "KH", "cùng kỳ", "dự toán", ...) that ``figure``
        follows with at most ":" / "là" between ("(kế hoạch 10,01%)", "(cùng kỳ: 6,1%)"), else None."""
        words = self.clauses()[0]
        hints = self.hints()
        i = figure.start - 1
        while i >= 0 and words[i] in (":", "là"):
            i -= 1
        if i < 0 or hints[i] != "TARGET_WORD":
            return None
        while i > 0 and hints[i - 1] == "TARGET_WORD":
            i -= 1
        return words[i - 1] if i > 0 else "<start>"

    def hints(self) -> list[str]:
        """The hint class of each token (see :func:`~vnreport_ie.pipeline.patterns.doc_hints`)."""
        if self._hints is None:
            self._hints = doc_hints(self._doc)
        return self._hints

    def total_before(self, figure: Span) -> bool:
        """Whether ``figure`` is stated as a total: "tổng" / "tổng cộng" before it in its clause ("tổng kinh phí
        xây dựng bốn công trình này là 29,6 tỷ đồng", "Tổng giá trị thiệt hại ước khoảng 6 tỷ đồng")."""
        words, _, clause, _ = self.clauses()
        start = bisect_left(clause, clause[figure.start])
        return any(w.startswith("tổng") for w in words[start : figure.start])

    def per_unit(self, figure: Span) -> bool:
        """Whether ``figure`` reads as an amount for each member of a group: "mỗi" next to it in its sentence
        ("4 tỷ đồng mỗi nơi", "mỗi công trình là 10 tỷ đồng"; not "diện tích mỗi công trình" further on), "mức"
        before it in its sentence ("mức hỗ trợ 2 tỷ đồng", "chia mức hỗ trợ như sau: A, B được 1 tỉ đồng"; not
        "tổng mức đầu tư" nor "mức tăng"), or a rate per place ("/xã")."""
        if figure.start not in self._per_unit:
            words, _, _, sentence = self.clauses()
            own = sentence[figure.start]
            start, end = bisect_left(sentence, own), bisect_left(sentence, own + 1)
            # "mức" before the figure in its sentence ("chia mức hỗ trợ như sau: các phường A, B được 1 tỉ đồng")
            # (a level of change, "mức tăng 5,2%", is no amount per member)
            levels = [i for i in range(start, figure.start) if words[i] == "mức" and words[i + 1] not in ("tăng", "giảm")]
            # "mỗi xã đạt chuẩn NTM trước hạn 1 năm nhận 1 tỷ đồng": "mỗi" and a unit word open the figure's clause
            clause = self.clauses()[2]
            opening = bisect_left(clause, clause[figure.start], start, figure.start)
            each_unit = any(
                words[i] == "mỗi" and words[i + 1] in EACH_UNIT_WORDS for i in range(opening, figure.start - 1)
            )
            self._per_unit[figure.start] = (
                each_unit or "mỗi" in words[max(start, figure.start - 6) : min(end, figure.end + 3)]
                or any(i == 0 or words[i - 1] != "tổng" for i in levels)
                or words[figure.end : figure.end + 2] in (["/", "xã"], ["/", "nơi"], ["/", "công trình"])
            )
        return self._per_unit[figure.start]

    def clauses(self) -> tuple[list[str], list[bool], list[int], list[int]]:
        """(lower-case words, whether each token is in a figure, the clause of each token, the sentence of each
        token), made when first asked: a clause ends at ";" or at the end of a sentence."""
        if self._clauses is None:
            doc = self._doc
            text = doc_text(doc)
            tokens = token_offsets_and_texts(doc)
            self._token_starts = [start for start, _ in tokens]
            words = [t.lower() for _, t in tokens]
            in_figure = [False] * len(doc)
            for ent in self.ents:
                if ent.label_ in FIGURE_LABELS:
                    in_figure[ent.start : ent.end] = [True] * len(ent)
            clause, sentence, number, sentences = [], [], 0, 0
            for i, (start, word) in enumerate(tokens):
                clause.append(number)
                sentence.append(sentences)
                end = start + len(word)
                ends_sentence = (word in (".", "!", "?") and (end == len(text) or text[end].isspace())) or "\n" in word
                if ends_sentence and word == "." and i >= 1 and words[i - 1] == ".":
                    # an ellipsis ends its sentence only before a capital (see sentence_ends_in)
                    ends_sentence = i + 1 == len(tokens) or tokens[i + 1][1][:1].isupper()
                if word == ";" or ends_sentence:
                    number += 1
                sentences += ends_sentence
            self._clauses = (words, in_figure, clause, sentence)
        return self._clauses

    def nearest(self, figure: Span, label: str) -> Span | None:
        """The entity with ``label`` closest to ``figure`` in tokens, either side (the earlier on a tie)."""
        key = (figure.start, label)
        if key not in self._nearest:
            same = self.by_label.get(label, [])
            index = bisect_left(self._label_starts.get(label, []), figure.end)
            self._nearest[key] = min(same[max(0, index - 1) : index + 1], key=lambda e: _gap(figure, e), default=None)
        return self._nearest[key]


class RelationLinker(LinearModelFiles):
    """spaCy component that sets ``doc._.relations`` from ``doc.ents``."""

    def __init__(self, nlp: Language, name: str, max_distance: int, threshold: float, types: list[str]):
        unknown = set(types) - set(RELATION_TYPES)
        if unknown:
            raise ValueError(f"[{name}] unknown relation type(s) {sorted(unknown)}; known: {RELATION_TYPES}")
        self.name = name
        self.cfg = {"max_distance": max_distance, "threshold": threshold, "types": list(types)}
        self.models: dict[str, LinearModel] = {}
        # relation types read by the guide's rules (guide_reading): too few gold pairs to train them on
        self.guide_read: set[str] = set()

    def __call__(self, doc: Doc) -> Doc:
        """Add the predicted relations to those already on the Doc (e.g. from vnreport_indicators)."""
        own = set(self.cfg["types"])
        kept = [r for r in get_relations(doc) if r.type not in own]
        set_relations(doc, sorted(kept + self.predict(doc), key=lambda r: (r.head_start, r.type, r.tail_start)))
        return doc

    def predict(self, doc: Doc) -> list[FigureRelation]:
        if not self.models and not self.guide_read:
            raise ValueError(f"[{self.name}] the relation model is not trained: train it or load a trained pipeline")
        scored = []
        entities = DocEntities(doc)
        unlinked: dict[int, bool] = {}  # figure start -> whether the figure is a reference's value (no target)
        for candidate in candidate_pairs(doc, self.cfg["max_distance"], tuple(self.cfg["types"]), entities):
            model = self.models.get(candidate.type)
            if model is None and candidate.type not in self.guide_read:
                continue
            ruled = group_rule(candidate, entities)
            if ruled is None and candidate.type == "target" and compared_after(candidate, entities):
                ruled = 1.0
            if ruled is None and candidate.type == "target" and candidate.figure.start not in unlinked:
                unlinked[candidate.figure.start] = (
                    reference_value(doc_text(doc), candidate.figure.start_char)
                    or entities.reference_before(candidate.figure) == "("
                )
            if ruled is None and candidate.type == "target" and (
                unlinked[candidate.figure.start] or level_after_comparison(candidate, entities)
                or compared_for_the_next(candidate, entities) or degree_led_elsewhere(candidate, entities)
            ):
                # the level another figure is compared with, or a reference's own value in brackets ("(KH
                # 24,5-25,5%)", "(cùng kỳ: 6,1%)"): itself compared with nothing (none of the 10 of the development
                # annotations is linked)
                ruled = 0.0
            if ruled is None:
                ruled = works_rule(candidate, entities)
            if ruled is None:
                ruled = respectively_rule(candidate, entities)
            if ruled is None and model is None:
                ruled = guide_reading(candidate, entities)
            if ruled is None:
                features = pair_features(candidate, entities)
                ruled = max(model.probability(features), lead_in_rule(candidate, features))
            scored.append((ruled, candidate))
        return decode(scored, self.cfg["threshold"])

    def fit(self, examples: Iterable[Example], seed: int = 0) -> dict[str, int]:
        """Train one classifier per relation type on the gold entities and relations of ``examples``."""
        rows: dict[str, list[dict[str, float]]] = {t: [] for t in self.cfg["types"]}
        labels: dict[str, list[int]] = {t: [] for t in self.cfg["types"]}
        for example in examples:
            reference = example.reference
            gold = set(get_relations(reference))
            entities = DocEntities(reference)
            for candidate in candidate_pairs(reference, self.cfg["max_distance"], tuple(self.cfg["types"]), entities):
                rows[candidate.type].append(pair_features(candidate, entities))
                labels[candidate.type].append(int(candidate.as_relation() in gold))
        self.models = {}
        self.guide_read = set()
        counts = {}
        for relation_type, features in rows.items():
            counts[relation_type] = sum(labels[relation_type])
            if relation_type in GUIDE_READ_TYPES and counts[relation_type] < MIN_LEARNED_PAIRS:
                self.guide_read.add(relation_type)  # a classifier of a few dozen pairs learns their quirks, not the guide
                continue
            # every location / project pair above the threshold is kept: weigh the rare positives as much as the rest
            weight = "balanced" if relation_type not in SINGLE_VALUED_RELATIONS else None
            # (C = 0.5: on by-source development folds 2 to 5, project relation 0.630 at C=1, 0.635 at 0.5, 0.627 at 2)
            model = fit_linear(features, labels[relation_type], seed, c=RELATION_C, class_weight=weight)
            if model is not None:  # None: no positive (or no negative) pair of this type to learn from
                self.models[relation_type] = model
        return counts

    def models_to_data(self) -> dict:
        return {t: m.to_dict() for t, m in self.models.items()} | {t: GUIDE_READING for t in self.guide_read}

    def models_from_data(self, data: dict) -> None:
        self.guide_read = {t for t, d in data.items() if d == GUIDE_READING}
        self.models = {t: LinearModel.from_dict(d) for t, d in data.items() if t not in self.guide_read}


def decode(scored: list[tuple[float, Candidate]], threshold: float) -> list[FigureRelation]:
    """Relations from scored candidates: the best indicator and target per figure, every location and project
    (a name the paragraph repeats at the mention nearest to the figure)."""
    best: dict[tuple[int, str], tuple[float, Candidate]] = {}
    # a name repeated in the paragraph is linked at its nearest mention (the guide): one per figure and name
    nearest: dict[tuple[int, str, str], Candidate] = {}
    for probability, candidate in scored:
        if probability < threshold:
            continue
        if candidate.type in SINGLE_VALUED_RELATIONS:
            key = (candidate.figure.start, candidate.type)
            if key not in best or probability > best[key][0]:
                best[key] = (probability, candidate)
        else:
            name = (candidate.figure.start, candidate.type, candidate.other.text.lower())
            if name not in nearest or _gap(candidate.figure, candidate.other) < _gap(candidate.figure, nearest[name].other):
                nearest[name] = candidate
    relations = [candidate.as_relation() for candidate in nearest.values()]
    relations.extend(candidate.as_relation() for _, candidate in best.values())
    return sorted(relations, key=lambda r: (r.head_start, r.type, r.tail_start))


@Language.factory(
    NAME,
    requires=["doc.ents"],
    assigns=["doc._.relations"],
    default_config={"max_distance": 80, "threshold": 0.5, "types": ["target", "location", "project"]},
)
def make_relation_linker(
    nlp: Language, name: str, max_distance: int, threshold: float, types: list[str]
) -> RelationLinker:
    """Factory of the relation component (``nlp.add_pipe("vnreport_relations")``)."""
    return RelationLinker(nlp, name, max_distance, threshold, types)

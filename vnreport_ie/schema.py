"""The annotation guide's schema: entity labels and relation types, shared by every stage."""

ENTITY_LABELS = ("MONEY", "PERCENT", "COMMUNE", "PROJECT", "INDICATOR", "TARGET")
FIGURE_LABELS = ("MONEY", "PERCENT")
# relation type -> label of the span it points to (relations always start at a figure)
RELATION_TARGET_LABEL = {
    "indicator": "INDICATOR",
    "target": "TARGET",
    "location": "COMMUNE",
    "project": "PROJECT",
}
RELATION_TYPES = tuple(RELATION_TARGET_LABEL)
SINGLE_VALUED_RELATIONS = ("indicator", "target")  # at most one per figure

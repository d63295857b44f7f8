"""vnreport-ie: figures, indicators and targets from Vietnamese socio-economic reports."""

from vnreport_ie.tokenizer import UndertheseaTokenizer, blank

__all__ = ["UndertheseaTokenizer", "blank"]

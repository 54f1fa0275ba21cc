"""Knowledge-base retrieval: pure Python + numpy/scipy, no Django.

>>> index = Index([KbEntry("1", "花呗怎么还款", "在支付宝首页…")], dictionary=["花呗"])
>>> index.suggest("花呗如何还钱")  # doctest: +SKIP
[Suggestion(entry_id='1', score=0.83)]
"""

from inhouse.knowledge.retrieval.index import Index, KbEntry, Suggestion
from inhouse.knowledge.retrieval.reranker import Reranker

__all__ = ["Index", "KbEntry", "Reranker", "Suggestion"]

"""Small helpers over a spaCy parse: who is the subject of a verb.

Shared by ``cues`` (who was unable to verify, who denied) and ``speakers``
(who said it).
"""
from __future__ import annotations

# Links through which a verb shares its parent's subject:
# "Euronews was unable to verify" (verify -xcomp-> unable -acomp-> was <-nsubj- Euronews),
# "the US had seen ... and was working to confirm" (conj).
_CLIMB = {"xcomp", "acomp", "conj", "aux", "auxpass", "neg", "advmod", "prep", "pcomp", "dobj"}
_DROP = {"appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis"}


def token_at(doc, char: int):
    """The token covering character offset ``char`` (or the next one)."""
    for token in doc:
        if token.idx <= char < token.idx + len(token.text) or token.idx >= char:
            return token
    return None


def subject_of(token):
    """The subject token of the clause ``token`` belongs to, or None.

    Passive clauses give their agent ("were denied by Moscow" -> Moscow), or
    None when there is none ("could not be independently confirmed").
    """
    seen = 0
    while token is not None and seen < 8:
        for child in token.children:
            if child.dep_ in ("nsubj", "csubj", "expl"):
                return None if child.dep_ == "expl" else child
            if child.dep_ == "agent":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                return objects[0] if objects else None
        if any(child.dep_ == "nsubjpass" for child in token.children):
            return None
        if token.dep_ not in _CLIMB or token.head is token:
            return None
        token = token.head
        seen += 1
    return None


def phrase(token, keep_conj: bool = False, keep_appos: bool = False) -> str:
    """The noun phrase headed by ``token`` without its appositions and clauses:
    "Kyrylo Budanov, Head of Defence Intelligence of Ukraine" -> "Kyrylo Budanov".
    ``keep_conj`` keeps coordinated names ("Politico and Reuters"), ``keep_appos``
    appositions ("Ukrainian newspaper The Kyiv Independent")."""
    drop = set(_DROP)
    if keep_conj:
        drop -= {"conj", "cc"}
    if keep_appos:
        drop -= {"appos"}
    keep = _keep(token, drop)
    keep.sort(key=lambda t: t.i)
    words = []
    for prev, t in zip([None, *keep], keep):
        if prev is not None:
            words.append(prev.whitespace_ if t.i == prev.i + 1 else " ")
        words.append(t.text)
    return "".join(words).strip(" ,“”\"'")


def _keep(token, drop: set) -> list:
    kept = [token]
    for child in token.children:
        if child.dep_ in drop:
            continue
        kept.extend(_keep(child, drop))
    return kept

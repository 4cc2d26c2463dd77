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


def phrase(token, keep_conj: bool = False, keep_appos: bool = False, drop: tuple = (),
           without: tuple = ()) -> str:
    """The noun phrase headed by ``token`` without its appositions and clauses:
    "Kyrylo Budanov, Head of Defence Intelligence of Ukraine" -> "Kyrylo Budanov".
    ``keep_conj`` keeps coordinated names ("Politico and Reuters"), ``keep_appos``
    appositions ("Ukrainian newspaper The Kyiv Independent"); ``drop`` names
    more dependencies to leave out ("npadvmod": "Jane Doe this week" -> "Jane Doe"),
    ``without`` tokens to leave out with their subtrees."""
    drop = set(_DROP) | set(drop)
    if keep_conj:
        drop -= {"conj", "cc"}
    if keep_appos:
        drop -= {"appos"}
    skip = {t.i for w in without for t in w.subtree}
    keep = [t for t in _keep(token, drop) if t.i not in skip]
    kept = {t.i for t in keep}
    doc = token.doc
    # Glue inside a name stays: "Mary-Kate", "Mercedes-Benz".
    keep += [doc[i] for i in range(min(kept) + 1, max(kept)) if i not in kept and doc[i].text in ("-", "‐", "'")
             and i - 1 in kept and i + 1 in kept and not doc[i - 1].whitespace_ and not doc[i].whitespace_]
    keep.sort(key=lambda t: t.i)
    words = []
    for prev, t in zip([None, *keep], keep):
        if prev is not None:
            words.append(prev.whitespace_ if t.i == prev.i + 1 else " ")
        words.append(t.text)
    return "".join(words).strip().strip(" ,“”\"'").strip()


def _keep(token, drop: set) -> list:
    """``token`` and its descendants, not going down ``drop`` links (a loop, not
    recursion: a hostile sentence can nest a thousand levels deep)."""
    kept, stack = [], [token]
    while stack:
        current = stack.pop()
        kept.append(current)
        stack.extend(child for child in current.children if child.dep_ not in drop)
    return kept

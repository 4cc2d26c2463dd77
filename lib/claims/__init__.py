"""Claims (issue #4): what is claimed, who claims it, which figures it states,
what the reports say about its verification, and which claims conflict.

Pure steps, one per module, each a function from text (or arrays) to data:

- ``figures``     numbers and what they count ("about 12,000 North Korean troops")
- ``cues``        verification cues ("was unable to independently verify") and their scope
- ``speakers``    who makes a claim, normalised with an editable gazetteer
- ``checkworthy`` which sentences are checkable factual claims
- ``extract``     one article -> its claims (the ``extract`` CLI command)
- ``match``       one claim across outlets, from sentence vectors + figures
- ``conflicts``   claims giving different values for the same quantity

None of them loads the sentence model (../shared/STYLE.md, two layers).
"""

"""Verification cues: what a report says about whether a claim is verified.

    "Euronews was unable to independently verify these claims"   -> unverified
    "Budanov confirmed that about 11,000 ..."                    -> confirmed
    "Pyongyang has dismissed ... as groundless rumors"           -> denied

Each cue kind is a short table of readable regular expressions (issue #4).
Traps are matched first and block any cue they overlap: "has neither confirmed
nor denied", "did not deny", "declined to comment", "was denied a visa" say
nothing about verification; "confirmed the meeting time" confirms no claim,
nor do "the Senate confirmed the nominee", "the court confirmed the ruling",
"the judge denied a motion to dismiss", "denied 40,000 visa applications",
"the insurer denied claims filed after the storm" or "would confirm the figures".
The actor is the grammatical subject of the cue's verb (spaCy parse).

Scope: a short cue sentence that points back ("these claims", "them") governs
the sentence before it as well as itself; any other cue governs its own
sentence. In seed 002 "Euronews was unable to independently verify these
claims." covers the partisans' Mariupol sighting before it, not the ISW's
Donetsk report after it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lib.claims import syntax
from lib.vocab import CUE_RANK as _RANK, summarise_cues as summarise  # noqa: F401  (cues.summarise)

# Weakest to strongest: a denial outweighs a confirmation, which outweighs an
# unverified cue (issue #4); the ranking itself lives in lib/vocab.py.
STATUSES = tuple(sorted(_RANK, key=_RANK.__getitem__))

_CONFIRM = r"(?:confirm|verify|verif|corroborat|authenticat|substantiat)\w*"
_DENY = r"(?:den(?:y|ied|ies|ying)|dismiss\w*|reject\w*|refut\w*|disput\w*)"
_NEG = r"(?:not|n['’]t|never|neither|nor)"
_CLAIMISH = (r"(?:allegations?|reports?|claims?|accusations?|charges?|rumou?rs?|suggestions?|"
             r"news|assertions?|speculation|figures?|information|statements?|accounts?|stor(?:y|ies)|"
             r"findings|version|assessments?|estimates?|conclusions?|(?:death\s+)?toll|tally|narrative|"
             r"characteri[sz]ation|portrayal|notions?|contentions?|statistics|premise)")
# Words that call a claim false. The strict ones say so of anything ("called the video fake"); the
# loose ones only of a claim ("called the accusations absurd", not "called the drills a provocation").
_FALSE_STRICT = (r"(?:groundless|baseless|false|fake|untrue|fabricat\w+|lies|a lie|not true|unfounded|"
                 r"disinformation|misinformation|inaccurate|incorrect|erroneous|hoax|a hoax|smears?|slander\w*|"
                 r"defamatory|fiction|fictitious|made[- ]up|invented|without (?:any )?(?:basis|foundation)|distortions?|"
                 r"forg(?:ed|ery|eries)|doctored|fabrications?|bogus)")
_FALSE_LOOSE = (r"(?:absurd|nonsense|nonsensical|propaganda|speculation|rumou?rs?|a provocation|misleading|"
                r"ridiculous|preposterous|rubbish|ludicrous|laughable|garbage|malarkey|baloney|hogwash)")
_FALSE = rf"(?:{_FALSE_STRICT}|{_FALSE_LOOSE})"
# Said of a claim only ("the findings were wrong"): of a decision it is criticism, not denial.
_WRONG = r"(?:wrong|mistaken|distorted|exaggerated|overblown|not\s+accurate|not\s+correct)"
# Evidence that can be called fake ("the video was fake").
_MEDIA = (r"(?:videos?|footage|images?|photos?|photographs?|pictures?|recordings?|audio|clips?|documents?|"
          r"letters?|screenshots?|posts?|tapes?|articles?|tweets?|headlines?)")
# What a loose word of falsehood must be said of: a claim, or a pronoun standing for one.
_CLAIM_OR_IT = rf"(?:{_CLAIMISH}|{_MEDIA}|it|them|this|that|these|those)"
# When a cue was given, AP style ("confirmed Monday that").
_WHEN = (r"(?:(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
         r"(?:\s+(?:morning|afternoon|evening|night))?|yesterday|today|tonight|"
         r"overnight|late|earlier|later|publicly|officially|also|separately|privately|again|now|finally)")
# Adverbs inside a verification phrase ("could not be immediately verified").
_ADV = r"(?:yet|immediately|independently|officially|fully|publicly|properly|formally|still)"
# A check one can coordinate with "verified" ("not independently tested or verified").
_CHECKED = (r"(?:tested|checked|verified|confirmed|corroborated|authenticated|substantiated|proven|proved|"
            r"established|reviewed|assessed|validated|replicated|geolocated)")
# What may stand between "were" and "false" ("were completely / 100 percent false").
_INTENSE = (r"(?:\w+ly|all|just|pure|a|an|complete|total|absolute|utter|simply|so|very|quite|"
            r"\d+\s*(?:percent|per\s+cent|%))")
# An optional quotation mark: 'called the report "fake news"'.
_Q = r"[\"“”‘’']?"
# A word, possessives included ("the government's account").
_W = r"[\w’'-]+"
# Things one confirms that are not claims ("confirmed the meeting time").
_LOGISTICS = (r"(?:meeting|time|date|schedule|appointment|venue|reservation|booking|receipt|"
              r"flight|trip|visit|attendance|itinerary|plans?|dinner|call|interview|"
              r"line-?ups?|squad|roster|orders?|payments?|tickets?|seats?|participation|availability|"
              r"passwords?|email|registration|commitment|support|intention|pledge|guidance|outlook|"
              r"forecasts?|stance|backing|resolve|readiness|willingness|diagnos[ie]s|"
              r"loans?|funding|financing|bailout|tranche|grants?)")
# Confirming a person in office or a court's decision is not confirming a claim.
_OFFICE = r"(?:nominees?|nominations?|appointments?|pick|picks|choice|justices?)"
_RULING = r"(?:rulings?|verdicts?|sentences?|convictions?|judge?ments?|acquittals?)"
_ROLE = (r"(?:head|chief|minister|secretary|ambassador|director|judge|justice|coach|manager|captain|"
         r"president|chair\w*|governor|commissioner|leader|ceo|executive|officer|envoy|nominee|candidate)")
# What a judge or an official denies a person ("denied a motion to dismiss").
_GRANTED = (r"(?:bail|entry|access|permission|a\s+visa|visas?|asylum|parole|boarding|treatment|services?|status|"
            r"(?:tax\s+)?credits|benefits|coverage|a\s+spot|"
            r"(?:the|a|an|his|her|their|its|[\w’']+['’]s)\s+(?:[\w’'-]+\s+){0,2}?(?:request|application|appeal|motion|"
            r"petition|bid|plea|injunction|licen[cs]e|permit|refund|loan|claim\s+for|stay|extension|exemption|"
            r"waiver|pardon|clemency))")

# Phrases that look like cues but are not (issue #4's traps): status "none".
TRAPS: tuple[tuple[str, str], ...] = (
    ("neither confirmed nor denied", rf"\bneither\s+{_CONFIRM}\s+nor\s+{_DENY}|\bneither\s+{_DENY}\s+nor\s+{_CONFIRM}"),
    ("not confirmed or denied", rf"\b{_NEG}\s+(?:\w+\s+)?(?:{_CONFIRM}|{_DENY})(?:\s*,\s*(?:or\s+|nor\s+)?|\s+(?:or|nor)\s+)(?:{_CONFIRM}|{_DENY})"),
    ("declined or refused", r"\b(?:(?:declin|refus)(?:ed|es|e|ing)|would\s*(?:not|n['’]t)|won['’]t|will\s+not)\s+to\s+"
                            r"(?:comment|say|confirm|deny|discuss|elaborate)\w*(?:\s+(?:or|nor)\s+(?:confirm|deny)\w*)?"),
    ("did not deny", rf"\b(?:did|does|do|has|have|had|would|will|could|was|is|were|are)\s*{_NEG}\s+"
                     rf"(?:yet\s+|immediately\s+|explicitly\s+|publicly\s+|directly\s+)?{_DENY}"),
    ("not denied", rf"\b(?:never|not)\s+(?:been\s+)?{_DENY}"),
    ("was denied a visa", r"\b(?:was|were|is|are|been|be|being|got|get|gets)\s+denied\b(?!\s+by\b)"),
    ("denied bail", rf"\bden(?:ied|ies|y|ying)\s+(?:him\s+|her\s+|them\s+|the\s+\w+\s+)?{_GRANTED}\b"),
    ("denied them the right", r"\bden(?:ied|ies|y|ying)\s+(?:him|her|them|us|me|you|women|girls|men|people|"
                              r"residents|civilians|journalists|reporters|voters|patients|workers|migrants|refugees)\s+"
                              r"(?:a|an|the|any|one|some|their|his|her|its|our|access|entry|rights?|permission|"
                              r"the\s+right)\b"),
    ("denied insurance claims", rf"\bden(?:ied|ies|y|ying)\s+(?:{_W}\s+){{0,6}}?(?:insurance|benefits?|compensation|"
                                rf"warranty|medical|health|unemployment|disability)\s+claims?\b|"
                                rf"\bden(?:ied|ies|y|ying)\s+(?:{_W}\s+){{0,6}}?claims?\s+(?:filed|submitted|lodged|"
                                rf"for\s+(?:compensation|benefits|coverage|payments?|damages|reimbursement|refunds?))\b"),
    ("benefits denied to them", r"\bden(?:ied|ies|y|ying)\s+to\s+(?:them|him|her|us|me|you)\b|"
                                r"\bden(?:y|ied|ies|ying)\s+(?-i:[A-Z][\w’'-]+)\s+(?:a|an|the)\s"),
    ("dismissed the claims against", rf"\b(?:dismiss|reject)\w*\s+(?:the\s+|their\s+|his\s+|her\s+|its\s+|all\s+)?(?:{_W}\s+)?"
                                     rf"claims?\s+against\b|\bdismissal\s+of\s+(?:all\s+|the\s+)?(?:{_W}\s+)?"
                                     rf"(?:charges|counts|case|lawsuit|indictment|claims)\b"),
    ("no indication it is inaccurate", r"\b(?:no|not\s+any|little)\s+(?:indication|evidence|sign)\s+that\b[^.;]{0,100}?"
                                       r"\b(?:inaccurate|false|wrong|untrue|incorrect)\b"),
    ("denial of service", rf"\bdenials?[- ]of[- ](?:service|{_GRANTED})\b|\bin\s+denial\b|"
                          r"\b(?:climate(?:[- ]change)?|holocaust|science|covid|election)[- ]denial\w*"),
    ("will confirm", r"\b(?:will|would|shall|might|may|must|(?:expected|due|set|plans?|planned|going|needs?|needed|ha(?:ve|s|d))\s+to)\s+"
                     r"(?:(?:also|soon|later|formally|officially|then|first)\s+)?confirm\b(?!\s+or\b)"),
    ("denied 40,000 applications", rf"\bden(?:ied|ies|y|ying)\s+(?:(?:more\s+than|about|nearly|almost|over|some|at\s+least|"
                                   rf"up\s+to|roughly|around)\s+)?[\d][\d,.]*(?:\s+(?:million|thousand|percent|per\s+cent))?\s+"
                                   rf"(?:of\s+)?(?:{_W}\s+){{0,2}}?(?:applications?|requests?|claims?|visas?|permits?|petitions?|"
                                   rf"appeals?|applicants)\b"),
    ("confirmed the meeting", rf"\b{_CONFIRM}\s+(?:the\s+|a\s+|an\s+|their\s+|his\s+|her\s+|its\s+)?"
                              rf"(?:[\w$€£’'.,-]+\s+){{0,2}}?{_LOGISTICS}\b"),
    ("Senate confirmed the nominee", rf"\b(?:senate|senators|parliament)\s+"
                                     rf"(?:voted\s+(?:\w+\s+)?to\s+|has\s+|have\s+|had\s+|will\s+|would\s+|must\s+)?"
                                     rf"confirm(?:s|ed|ing)?\b(?!\s+(?:that|reports?)\b)|\bconfirm\w*\s+(?:the\s+|a\s+|his\s+|her\s+|their\s+|its\s+)?"
                                     rf"(?:{_W}\s+){{0,3}}{_OFFICE}\b"),
    ("the nominee was confirmed", rf"\b(?:{_OFFICE}|replacements?|successors?|appointees?)\s+(?:(?:\w+\s+){{0,2}}?"
                                  rf"(?:be|is|was|were|are|been|get|got|gets)\s+)?confirmed\b|"
                                  rf"\bconfirmed\s+(?:by\s+(?:a\s+(?:vote|margin)\s+of\s+)?)?\d+\s*[-–]\s*\d+\b"),
    ("confirmed as the new chief", rf"\bconfirm\w*\s+(?:(?:him|her|them|[A-Z][\w’'-]*)\s+)?as\s+(?:the\s+|a\s+|an\s+|its\s+|"
                                   rf"their\s+|his\s+|her\s+)?(?:(?:new|next|permanent|interim|acting|incoming)\s+|"
                                   rf"(?:{_W}\s+){{0,2}}{_ROLE}\b)"),
    ("the court confirmed the ruling", rf"\bconfirm\w*\s+(?:the\s+|a\s+|an\s+|its\s+|his\s+|her\s+|their\s+)?"
                             rf"(?:{_W}\s+){{0,2}}{_RULING}\b"),
)

UNVERIFIED: tuple[tuple[str, str], ...] = (
    ("unable to verify", rf"\b(?:unable|not\s+(?:immediately\s+|yet\s+|independently\s+)?able|fail(?:ed|s|ing)?|"
                         rf"could\s*(?:not|n['’]t)|can\s*(?:not|['’]t|n['’]t)|did\s*(?:not|n['’]t)|"
                         rf"(?:has|have|had)\s*(?:not|n['’]t)\s+(?:yet\s+)?been\s+able|impossible|"
                         rf"not\s+possible|difficult|hard|no\s+(?:immediate\s+|independent\s+|easy\s+|other\s+)?way)\s+(?:to\s+)?(?:(?:immediately|yet|independently)\s+){{0,2}}"
                         rf"{_Q}{_CONFIRM}"),
    ("unable to reach anyone to verify", rf"\b(?:unable|not\s+(?:immediately\s+)?able|could\s*(?:not|n['’]t)|"
                                         rf"can\s*(?:not|['’]t|n['’]t)|did\s*(?:not|n['’]t))\s+(?:to\s+)?(?:\w+\s+){{1,4}}?to\s+"
                                         rf"(?:independently\s+)?{_CONFIRM}"),
    ("unable to establish", r"\b(?:unable|not\s+(?:immediately\s+)?able|could\s*(?:not|n['’]t)|can\s*(?:not|['’]t|n['’]t)|"
                            r"impossible|not\s+possible)\s+(?:to\s+)?(?:independently\s+)?"
                            r"(?:establish|ascertain|determine)\s+(?:whether|if|the\s+(?:authenticity|veracity|accuracy|"
                            r"provenance|origin|truth|source)\b)"),
    ("could not be verified", rf"\b(?:could|can|has|have|had|was|were|is|are|would)\s*(?:not|n['’]t)\s+(?:{_ADV}\s+){{0,2}}"
                              rf"(?:be(?:en)?\s+)?(?:{_ADV}\s+){{0,2}}(?:{_CHECKED}\s+(?:or|and|nor)\s+)?"
                              rf"(?:verified|confirmed|corroborated|authenticated|checked|substantiated|geolocated)\b"),
    ("cannot be verified", rf"\bcannot\s+(?:{_ADV}\s+){{0,2}}be\s+(?:{_ADV}\s+){{0,2}}(?:{_CHECKED}\s+(?:or|and|nor)\s+)?"
                           rf"(?:verified|confirmed|corroborated|authenticated|substantiated)\b"),
    ("remains unconfirmed", r"\b(?:unverified|unconfirmed|unsubstantiated|uncorroborated|unverifiable)\b|"
                            r"\bnot\s+(?:immediately\s+|independently\s+)*verifiable\b"),
    ("verification was not possible", r"\b(?:independent\s+)?(?:verification|confirmation|corroboration)\s+"
                                      r"(?:was|is|has\s+been|remains|proved|proved\s+to\s+be)\s+"
                                      r"(?:not\s+possible|impossible|difficult)\b"),
    ("if confirmed", r"\bif\s+(?:independently\s+)?(?:confirmed|verified|corroborated|substantiated)\b"),
    ("is verifying", r"\b(?:is|are|was|were|been|still)\s+(?:still\s+|now\s+|currently\s+)?"
                     r"(?:verifying|corroborating|authenticating)\b"),
    ("awaiting confirmation", r"\b(?:await\w*|pending)\s+(?:(?:official|independent|further|formal|final)\s+)?"
                              r"(?:confirmation|verification|corroboration)\b"),
    ("working to confirm", rf"\b(?:working|seeking|trying|attempting|sought|tried|working\s+hard)\s+to\s+"
                           rf"(?:independently\s+)?{_CONFIRM}"),
    ("no independent confirmation", r"\b(?:no|without|lack\s+of)\s+(?:immediate\s+|official\s+)?(?:independent\s+)?"
                                    r"(?:confirmation|verification|corroboration)\b"),
    ("trying to determine whether", r"\b(?:working|seeking|trying|attempting|sought|tried)\s+to\s+"
                                    r"(?:establish|determine|ascertain|find\s+out)\s+(?:whether|if|how\s+many|how\s+much|"
                                    r"the\s+(?:exact\s+|precise\s+|full\s+)?(?:number|extent|scale|toll)\b)"),
    ("yet to be confirmed", rf"\b(?:yet\s+to\s+(?:be\s+)?(?:independently\s+)?{_CONFIRM})"),
    ("without evidence", r"\bwithout\s+(?:providing|offering|giving|presenting|citing)\s+(?:any\s+)?evidence\b"),
    ("no evidence offered", r"\b(?:provided|offered|gave|given|presented|cited|produced|showed|shown|supplied)\s+"
                            r"(?:no|little|scant)\s+(?:\w+\s+)?evidence\b|\b(?:did\s*(?:not|n['’]t)|has\s*(?:not|n['’]t)|"
                            r"have\s*(?:not|n['’]t)|failed\s+to)\s+(?:provide|offer|give|present|cite|produce|show)\s+"
                            r"(?:any\s+)?evidence\b"),
    ("no evidence for the claim", rf"\b(?:no|little|scant)\s+(?:\w+\s+)?evidence\s+(?:(?:to\s+)?(?:support|back|"
                                  rf"substantiate|corroborate|confirm|verify)\w*|for)\s+(?:the\s+|this\s+|these\s+|"
                                  rf"that\s+|its\s+|his\s+|her\s+|their\s+|such\s+)?(?:{_W}\s+){{0,2}}?{_CLAIMISH}\b"),
    # Whether a past or present fact holds, not what will happen ("unclear whether he will return").
    ("not clear whether", r"\b(?:not\s+(?:immediately\s+|yet\s+|entirely\s+)?(?:clear|known)|unclear|unknown)\s+"
                          r"(?:to\s+(?:the\s+)?\w+\s+)?(?:whether|if)\b(?![^.;]{0,80}?\b(?:will|would|might|may)\b|[^.;]{0,80}?['’]ll\b)"),
    ("whether ... is unclear", r"^\W*whether\b(?![^.;]{0,80}?\b(?:will|would|might|may)\b)[^.;]{3,150}?\b(?:is|was|remains|remained)\s+"
                               r"(?:still\s+)?(?:unclear|unknown|not\s+(?:yet\s+)?(?:clear|known))\b"),
    ("too early to determine", r"\btoo\s+(?:early|soon)\s+to\s+(?:say|determine|tell|know|establish)\s+(?:for\s+sure\s+)?(?:whether|if)\b"),
    ("could not be established", r"\b(?:could|can|has|have|had|was|were|is|are)\s*(?:not|n['’]t)\s+(?:yet\s+)?"
                                 r"(?:immediately\s+)?(?:be(?:en)?\s+)?(?:independently\s+)?(?:established|ascertained)\b"
                                 r"|\bcannot\s+be\s+(?:independently\s+)?(?:established|ascertained)\b"),
    ("none could be verified", rf"\b(?:neither|none)\b[^.;]{{0,120}}?\b(?:could|can|has|have|had|was|were|is|are)\s+"
                               rf"(?:be(?:en)?\s+)?(?:{_ADV}\s+){{0,2}}(?:verified|confirmed|corroborated|authenticated)\b"),
    ("looking into the reports", rf"\b(?:looking\s+into|checking|investigating|examining|probing|verifying)\s+"
                                 rf"(?:the\s+|these\s+|those\s+|such\s+|this\s+)?(?:(?!(?:when|after|before|as|since|while)\b){_W}\s+){{0,2}}?{_CLAIMISH}\b"),
)

DENIED: tuple[tuple[str, str], ...] = (
    ("dismissed as", rf"\b(?:dismiss\w*|reject\w*|den\w*|denounc\w*|decr(?:y|ied|ies|ying))\b[^.;]{{0,90}}?"
                     rf"\bas\s+{_Q}(?:\w+\s+)?{_Q}{_FALSE}|"
                     rf"\b(?:brand\w*|label\w*|call\w*|describ\w*)\b[^.;]{{0,90}}?\bas\s+{_Q}(?:\w+\s+)?{_Q}{_FALSE_STRICT}|"
                     rf"\b(?:brand\w*|label\w*|call\w*|describ\w*)\s+(?:the\s+|these\s+|such\s+|those\s+)?"
                     rf"(?:{_W}\s+){{0,2}}?{_CLAIM_OR_IT}\s+as\s+{_Q}(?:\w+\s+)?{_Q}{_FALSE_LOOSE}"),
    ("called false", rf"\b(?:called|calling|calls|termed|branded|labell?ed|dubbed)\s+(?:the\s+|these\s+|such\s+|those\s+)?"
                     rf"(?:{_Q}{_W}{_Q}\s+){{0,4}}?{_Q}{_FALSE_STRICT}\b|"
                     rf"\b(?:called|calling|calls|termed|branded|labell?ed|dubbed)\s+(?:the\s+|these\s+|such\s+|those\s+)?"
                     rf"(?:{_W}\s+){{0,2}}?{_CLAIM_OR_IT}\s+(?:{_Q}\w+\s+){{0,2}}?{_Q}{_FALSE_LOOSE}\b"),
    ("said it was false", rf"\b(?:said|says|say|insisted|insists|added|stressed|told\s+{_W}(?:\s+{_W})?)\s+(?:that\s+)?"
                          rf"(?:it|this|that|these|those|they)\s+(?:was|is|were|are|had\s+been)\s+"
                          rf"(?:{_Q}(?:all|simply|just|pure|complete|completely|total|totally|absolute|absolutely|utter|"
                          rf"a|an|entirely)\s+){{0,3}}{_Q}{_FALSE}\b(?!\s+(?:to|that|for)\b)"),
    ("dismissed the reports", rf"\b(?:(?:dismiss|reject|refut|rebuff|disput|deni|deny|denies|contradict|rebut|debunk|contest|"
                              rf"disavow|repudiat)\w*|push\w*\s+back(?:\s+{_WHEN})?\s+(?:on|against)|cast\w*\s+doubt\s+(?:on|over)|"
                              rf"pour\w*\s+cold\s+water\s+(?:on|over))(?:\s+{_WHEN})?\s+(?:(?:on|against)\s+)?(?:parts?\s+of\s+)?(?:the\s+|these\s+|a\s+|an\s+|"
                              rf"such\s+|those\s+|any\s+|all\s+|earlier\s+|western\s+)?(?:{_W}\s+){{0,2}}?"
                              rf"(?:{_CLAIMISH}|(?:idea|comments?|criticism)\s+that|articles?)\b"),
    # "a claim the minister rejected", "a contention her lawyer disputed"
    ("a claim X rejected", rf"\b(?:a|the|one)\s+(?:claim|charge|contention|allegation|assertion|accusation|point|characteri[sz]ation)\s*,?\s+"
                           rf"(?:that\s+|which\s+)?(?:{_W}\s+){{1,4}}?(?:has\s+|have\s+|had\s+)?(?:\w+ly\s+)?"
                           rf"(?:rejected|disputed|dismissed|refuted|contested)\b"),
    # A quoted or sentence-initial verdict on what was just said: "That is not true." "It is a total hoax."
    ("that is not true", rf"^\W*(?:this|that|it|these|those|all\s+this)\s*(?:is|was|are|were|['’]s)\s+(?:{_INTENSE}\s+){{0,3}}?"
                         rf"(?:{_FALSE_STRICT}|not\s+true|garbage|nonsense|rubbish)(?=\s*[.!?,;:”\"’–—-]|\s*$)|"
                         rf"^\W*this\s+(?:garbage|nonsense|rubbish|story|report)\s+is\s+[^.;]{{0,40}}?\b(?:{_FALSE_STRICT}|fake\s+news)\b"),
    # The outlet or a speaker calls a claim false: "falsely claimed", "unfounded assertions", "comments were inaccurate".
    ("falsely claimed", r"\bfalsely\s+(?:claim|state|said|says|assert|suggest|tried\s+to\s+suggest|accus)\w*|"
                        r"\b(?:unfounded|baseless|groundless|debunked|bogus|demonstrably\s+false|patently\s+false)\s+"
                        r"(?:claims?|assertions?|allegations?|accusations?|rumou?rs?|theor(?:y|ies)|narratives?|stor(?:y|ies))\b|"
                        rf"\b(?:comments?|remarks?|statements?|numbers|figures|description|characteri[sz]ation)[”\"’]?\s+(?:(?:\w+\s+){{0,8}}?)"
                        rf"(?:were|was|are|is)\s+(?:{_INTENSE}\s+)?{_Q}(?:{_FALSE_STRICT}|wrong)\b"),
    # "the claim that it had sold drones was a fabrication"; the that-clause needs its own verb, or
    # "repeated claims that the election was fake" would read as a denial.
    ("reports were false", rf"\b(?:{_CLAIMISH}|{_MEDIA})(?:\s+(?:of|about|on|circulating|published|posted|shared|"
                           rf"carried|spread|made|cited|aired|broadcast)\s+(?:[^.;,]|[.,](?=\d)){{1,80}}?|"
                           rf"\s+that\s+(?:[^.;,]|[.,](?=\d)){{0,40}}?\b(?:had|has|have|was|were|would|will|could|did|"
                           rf"\w+ed)\b(?:[^.;,]|[.,](?=\d)){{1,60}}?)?\s+"
                           rf"(?:(?:were|was|are|is|had\s+been|has\s+been|have\s+been)\s+"
                           rf"(?:{_Q}{_INTENSE}\s+){{0,2}}?{_Q}(?:{_FALSE}|{_WRONG})|"
                           rf"(?:were|was|are|is)(?:n['’]t|\s+not)\s+(?:(?:at\s+all|entirely|quite|remotely)\s+)?"
                           rf"{_Q}(?:true|accurate|correct|real|genuine|authentic)\b)"),
    ("“these are lies”", rf"[\"“‘]\s*(?:this|that|these|those|all\s+(?:of\s+)?(?:this|that))(?:\s+(?:is|are|was|were)|[’']s)\s+"
                         rf"(?:(?:all|simply|just|pure|complete|total|absolute|utter|completely|totally|absolutely|a|an)\s+){{0,3}}"
                         rf"(?:{_FALSE}|rubbish|lying)\b"),
    ("no truth to", rf"\b{_Q}(?:no|not\s+a\s+(?:shred|grain|word)\s+of|zero)\s+truth\b"),
    ("denied", r"\b(?:denied|denies|deny|denying|refut(?:ed|es|e|ing)|rebut(?:s|ted|ting)?|debunk(?:ed|s|ing)?)\b"),
    ("denial", r"\bdenials?\b"),
)

CONFIRMED: tuple[tuple[str, str], ...] = (
    ("confirmed that", r"\b(?:confirm(?:ed|s|ing)?|verified|verifies|corroborated|authenticated|substantiated|geolocated)\b"
                       r"(?:\s+to\s+[\w.]+(?:\s+\w+)?)?(?:\s+on\s+\w+)?(?:\s+" + _WHEN + r"){0,2}"
                       r"(?:\s+(?:in|via|through|during|with|at|to)\s+(?:[\w’'.-]+\s+){0,3}?[\w’'.-]+){0,2}?"
                       r"\s+(?:that\b|(?!(?:during|morning|evening|nothing|anything|something|everything)\b)\w+ing\b|the\s+|reports?\b|its\s+|his\s+|her\s+|their\s+|a\s+|an\s+|"
                       r"\d|about\b|some\b|at\s+least\b|more\s+than\b|what\b|how\b|this\b|these\b|it\b|(?:he|she|they|we)\b|"
                       r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                       r"dozens|hundreds|thousands|several)\b)"),
    # Clause-final: "..., a police spokesman confirmed." / "the ministry confirmed to Reuters."
    ("a spokesman confirmed.", r"(?<!total\s)(?<!number\s)\b(?:confirm(?:ed|s)|verified|corroborated)"
                               r"(?:\s+to\s+(?!\d)(?:[\w’'.-]+\s+){0,3}?[\w’'.-]*[\w’'])?"
                               r"(?:\s+" + _WHEN + r"){0,2}(?:\s+(?:at|in|on|during|via)\s+(?:a|an|the|his|her|its|their)\s+(?:[\w’'-]+\s+){0,2}?[\w’'-]+"
                               r"|\s+on\s+(?:twitter|facebook|television|tv|instagram))?\s*(?=[.;:!?]|,\s|[”\"’]?\s*$)"),
    # A newsroom standing by its report reaffirms it.
    ("stands by its reporting", r"\bstand(?:s|ing)?\s+by\s+(?:our|its|their|the|his|her)\s+(?:\w+\s+)?(?:reporting|story|report|article)\b"),
    ("was confirmed", r"\b(?:was|were|has\s+been|have\s+been|had\s+been|been|is|are)\s+(?:officially\s+|independently\s+|"
                      r"now\s+|also\s+)?(?:confirmed|verified|corroborated|authenticated)\b(?!\s+(?:cases?|deaths?|dead|killed|infected|positive))"),
    ("independently verified", r"\b(?:independently|officially)\s+(?:confirmed|verified|corroborated)\b"),
    ("verified by", r"\b(?:verified|authenticated|geolocated|corroborated)\s+by\s+"),
    ("acknowledged that", r"\b(?:acknowledg(?:ed|es|ing|e)|admit(?:ted|s|ting)?|conced(?:ed|es|ing|e))\s+"
                          r"(?:on\s+\w+\s+|publicly\s+|later\s+|privately\s+|in\s+a\s+statement\s+)?"
                          r"(?:(?:to|in)\s+(?:[\w’'.-]+\s+){1,5}?that\b|that\b|(?:it|they|he|she|we)\s+(?:had|has|have|was|were|is|are|did)\b|"
                          r"(?:to\s+)?(?:having\s+(?:been\s+)?\w+ed|being\s+in|receiving|making|sending|using|taking|paying|handing|meeting|"
                          r"speaking|lying|hiring|writing|accepting|deleting|destroying|contacting|corresponding)\b|"
                          r"(?:responsibility|liability|(?:the|its|their|his|her)\s+(?:role|involvement|mistake|error|"
                          r"failures?|existence))\b|"
                          r"(?:the|its|their|his|her)\s+(?:\w+\s+)?(?:breach|attack|strike|incident|killings?|deaths?|"
                          r"shooting|leak|hack|outage|errors?|mistakes?|problems?|shortcomings|wrongdoing|abuses?)\b)"),
)

_TABLES = (("none", TRAPS), ("unverified", UNVERIFIED), ("denied", DENIED), ("confirmed", CONFIRMED))
_COMPILED = [(status, name, re.compile(rx, re.IGNORECASE)) for status, table in _TABLES
             for name, rx in table]

# A short sentence pointing back at what came before governs it (see the scope rule).
_REFERENT = rf"(?:{_CLAIMISH}|video|videos|footage|images?|photos?|pictures?|numbers?|details|toll|account)"
_BACK_REFERENCE = re.compile(
    rf"\b(?:these|those|this|the|such|that)\s+(?:\w+\s+)?{_REFERENT}\b|\b(?:them|it|this|these|those)\b",
    re.IGNORECASE)
SHORT_CUE_SENTENCE = 14  # words


@dataclass(frozen=True)
class Cue:
    """A verification cue in a text: ``phrase`` is exactly as written, at ``start``-``end``."""

    status: str
    actor: str | None
    phrase: str
    start: int
    end: int
    kind: str = ""

    def as_dict(self) -> dict:
        return {"status": self.status, "actor": self.actor, "phrase": self.phrase}


NO_CUE = {"status": "none", "actor": None, "phrase": None}


def find_cues(text: str, doc=None) -> list[Cue]:
    """Verification cues in ``text`` (a sentence or short passage), in order.

    ``doc`` is spaCy's parse of ``text``; when given, each cue's actor is the
    subject of its verb. Traps are not returned: they only block.
    """
    taken: list[tuple[int, int]] = []
    cues: list[Cue] = []
    for status, name, pattern in _COMPILED:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            if status == "confirmed" and (_negated(text, m.start()) or _conditional(text, m.start())):
                continue
            taken.append((m.start(), m.end()))
            if status != "none":
                actor = _actor(doc, m.start()) if doc is not None else None
                end = _phrase_end(text, m.end())
                cues.append(Cue(status, actor, text[m.start():end].strip(), m.start(), end, name))
    return sorted(cues, key=lambda c: c.start)


def _phrase_end(text: str, end: int) -> int:
    """Extend a cue's phrase over a short object ("verify" -> "verify these claims")."""
    tail = re.match(r"\s+(?:these|those|this|the|them|it|such)\b[^.;,:!?“”\"\d]*", text[end:])
    if tail and len(tail.group(0).split()) <= 3:
        return end + len(tail.group(0).rstrip())
    return end


def _negated(text: str, start: int) -> bool:
    # A negation shortly before, in the same clause ("did not name the victim but confirmed ..." is not negated).
    return bool(re.search(r"\b(?:not|n['’]t|never|no|nor|unable|yet\s+to|(?:refus|declin|fail)\w*\s+to)\b"
                          r"(?:(?!\b(?:but|and|while|although|though|however)\b)[^.;,]){0,25}$", text[:start],
                          re.IGNORECASE))


def _conditional(text: str, start: int) -> bool:
    # "if they admit ...", "the party had to admit that ...": no confirmation has been given yet.
    return bool(re.search(r"\b(?:if|unless|whether|(?:had|have|has|needs?|ought)\s+to|must|should)\s+(?:\w+\s+){0,2}$",
                          text[:start], re.IGNORECASE))


def _actor(doc, char: int) -> str | None:
    token = syntax.token_at(doc, char)
    # Start from the cue's verb: the first verb at or after the phrase start.
    while token is not None and token.pos_ not in ("VERB", "AUX", "ADJ") and token.i + 1 < len(doc) \
            and token.idx - char < 40:
        token = doc[token.i + 1]
    subject = syntax.subject_of(token) if token is not None else None
    if subject is None or subject.pos_ == "PRON" and subject.lower_ in ("it", "this", "that"):
        return None
    return syntax.phrase(subject) or None


def summary(cues: list[Cue]) -> dict:
    """``{status, actor, phrase}`` of the strongest cue (the CLI's ``cue``), or NO_CUE."""
    if not cues:
        return dict(NO_CUE)
    strongest = max(cues, key=lambda c: (_RANK[c.status], -c.start))
    return strongest.as_dict()


def points_back(sentence: str) -> bool:
    """A short sentence whose cue refers back ("Euronews was unable to
    independently verify these claims."): it governs the sentence before and
    is not a claim itself."""
    return len(sentence.split()) <= SHORT_CUE_SENTENCE and bool(_BACK_REFERENCE.search(sentence))


def scope(sentences: list[str], idx: int) -> tuple[int, int]:
    """(first, last) sentence index a cue in sentence ``idx`` governs, inclusive.

    A short cue sentence that refers back governs the sentence before it too
    (:func:`points_back`); any other cue governs its own sentence only.
    """
    if idx > 0 and points_back(sentences[idx]):
        return idx - 1, idx
    return idx, idx

"""The passes of the Korean extractor, by the names the lexicon's ``[pipeline] passes`` lists them
in (``loaders.pipeline`` runs them in that order). One module per job:

- ``layout`` — the document's date, lines, sentences, list markers, quotations;
- ``mentions`` (with ``orgs``) — organisations named, resolved, the body the document is about;
  grade, contest and technology words;
- ``candidates`` (with ``titles``) — case titles the rules propose, the model's proposals;
- ``leads`` — the rules' lead body of each candidate;
- ``merge`` — a practice told twice is one case;
- ``decisions`` — the model's decisions: cases, lead bodies, bodies without a case, facts;
- ``scopes`` — the text each case's facts are read from;
- ``awards`` — the contest, its organiser, the grades and tiers;
- ``assembly`` (with ``facts``) — one record per case, its confidences and year.
"""
from __future__ import annotations

from . import assembly, awards, candidates, decisions, layout, leads, mentions, merge, scopes
from .analysis import Analysis, Candidate, Pass, Sentence

PASSES: dict[str, Pass] = {
    p.name: p
    for p in (
        layout.layout,
        mentions.mentions,
        candidates.candidates,
        candidates.proposals_pass,
        leads.leads,
        decisions.decide_cases_pass,
        decisions.decide_agencies_pass,
        decisions.decide_bodies_pass,
        merge.merge_pass,
        decisions.document_case_pass,
        scopes.scopes,
        awards.awards_pass,
        assembly.assemble,
        decisions.decide_facts_pass,
        assembly.finish,
    )
}

__all__ = ["PASSES", "Analysis", "Candidate", "Pass", "Sentence"]

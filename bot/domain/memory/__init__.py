"""Typed memory: each remembered detail as a phrase with the grammatical forms it can fill.

`phrase` holds the data (Phrase, Form, Timing), `wording` turns a note's words
into a phrase (or a role, or a birthday), `memory` reads a contact's facts as
remembered details at a moment in time, and `morphology` wraps lemminflect.
"""

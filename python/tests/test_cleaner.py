"""textmend.Cleaner from Python: values, change-log replay, pickling, batches, config errors."""

import multiprocessing
import os
import pickle
import threading

import pytest

import textmend


@pytest.fixture(scope="module")
def cleaner():
    return textmend.Cleaner()


def replay(text, edits):
    """Applies a change log to the input, in Python, with code-point offsets."""
    out, pos = [], 0
    for e in edits:
        assert e["start"] >= pos, "edits sorted and non-overlapping"
        assert text[e["start"]:e["end"]] == e["before"]
        out.append(text[pos:e["start"]])
        out.append(e["after"])
        pos = e["end"]
    out.append(text[pos:])
    return "".join(out)


def replay_bytes(text, edits):
    """The same with the UTF-8 byte offsets of the CLI change log."""
    b = text.encode("utf-8")
    out, pos = b"", 0
    for e in edits:
        out += b[pos:e["byte_start"]] + e["after"].encode("utf-8")
        pos = e["byte_end"]
    return (out + b[pos:]).decode("utf-8")


CASES = [
    ("Sales rose , the firm said .", "Sales rose, the firm said."),
    ("Prices rose , and sales fell .\n", "Prices rose, and sales fell.\n"),
    ("Really ?\nYes !", "Really?\nYes!"),
    # Non-ASCII before the edit: code-point and byte offsets differ.
    ("The café in Zürich closed , its owner said .", "The café in Zürich closed, its owner said."),
    ("Exports 📈 grew , officials said .", "Exports 📈 grew, officials said."),
    # Byte-level repairs: a leading BOM and CRLF line endings.
    ("\ufeffFirst line .\r\nSecond line .\r\n", "First line.\nSecond line.\n"),
]

CLEAN = [
    "",
    "A clean sentence, already fine.",
    "A value of .5 was reported ... later.",
    "他说 , 好。",
]


@pytest.mark.parametrize("raw,expected", CASES)
def test_clean_values_and_replay(cleaner, raw, expected):
    out = cleaner.clean(raw)
    assert out["text"] == expected
    assert out["edits"], "a repaired text has a change log"
    assert replay(raw, out["edits"]) == expected
    assert replay_bytes(raw, out["edits"]) == expected
    # Idempotent: the clean text comes back unchanged.
    assert cleaner.clean(expected)["text"] == expected
    assert cleaner.clean(expected)["edits"] == []


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_is_untouched(cleaner, text):
    out = cleaner.clean(text)
    assert out["text"] == text
    assert out["edits"] == []


def test_edit_dicts_exact(cleaner):
    out = cleaner.clean("Sales rose , the firm said .")
    common = {"rule": "generic/spacing", "also": [], "kind": "spacing", "before": " ", "after": "", "confidence": "certain"}
    assert out["edits"] == [
        dict(common, start=10, end=11, byte_start=10, byte_end=11),
        dict(common, start=26, end=27, byte_start=26, byte_end=27),
    ]
    assert out["lang"] == "en"
    assert isinstance(out["artifact_score"], float) and out["artifact_score"] >= 0.0
    assert isinstance(out["metadata"], dict)
    assert isinstance(out["flags"], list)
    assert out["passes"] >= 1


def test_offsets_count_code_points(cleaner):
    raw = "Exports 📈 grew , officials said ."
    e = cleaner.clean(raw)["edits"][0]
    assert (e["start"], e["end"]) == (14, 15)  # "📈" is one code point ...
    assert (e["byte_start"], e["byte_end"]) == (17, 18)  # ... and four bytes
    assert raw[e["start"]:e["end"]] == " "


def test_bom_and_line_endings_are_logged(cleaner):
    raw = "\ufeffFirst line .\r\nSecond line .\r\n"
    edits = cleaner.clean(raw)["edits"]
    assert edits[0]["rule"] == "generic/bom"
    assert (edits[0]["start"], edits[0]["end"], edits[0]["before"], edits[0]["after"]) == (0, 1, "\ufeff", "")
    assert (edits[0]["byte_start"], edits[0]["byte_end"]) == (0, 3)
    crlf = [e for e in edits if e["before"] == "\r\n"]
    assert len(crlf) == 2 and all(e["after"] == "\n" and e["kind"] == "encoding" for e in crlf)


def test_scan_counts_without_rewriting(cleaner):
    s = cleaner.scan("Sales rose , the firm said .")
    assert s["lang"] == "en"
    assert s["script"] == "Latin"
    assert s["findings"] == {"spacing": 2}
    assert s["n_edits"] == 2
    assert s["flags"] == {} and s["n_flags"] == 0
    assert "text" not in s
    clean = cleaner.scan("A clean sentence, already fine.")
    assert clean["findings"] == {} and clean["n_edits"] == 0


def test_config_changes_behaviour():
    off = textmend.Cleaner({"disable": ["generic/spacing"]})
    assert off.clean("Sales rose , the firm said .")["text"] == "Sales rose , the firm said ."
    assert "generic/spacing" not in off.rules()
    assert "generic/spacing" in textmend.Cleaner().rules()
    assert off.config["disable"] == ["generic/spacing"]
    # Every key has its default filled in.
    assert textmend.Cleaner().config["max_passes"] == 8
    assert textmend.Cleaner(None).config == textmend.Cleaner({}).config


@pytest.mark.parametrize(
    "config,needle",
    [
        ({"bogus": 1}, "bogus"),
        ({"disable": ["generic/nope"]}, "generic/nope"),
        ({"max_passes": 0}, "max_passes"),
        ({"min_confidence": "maybe"}, "maybe"),
        ({"disable": "generic/spacing"}, "sequence"),
    ],
)
def test_bad_config_is_value_error(config, needle):
    with pytest.raises(ValueError, match=needle):
        textmend.Cleaner(config)


def test_config_must_be_a_dict():
    with pytest.raises(ValueError):
        textmend.Cleaner(["disable"])


def test_pickle_round_trip():
    c = textmend.Cleaner({"disable": ["generic/spacing"], "max_passes": 5})
    c2 = pickle.loads(pickle.dumps(c))
    assert type(c2) is textmend.Cleaner
    assert c2.config == c.config
    assert c2.rules() == c.rules()
    for raw, _ in CASES:
        assert c2.clean(raw) == c.clean(raw)
    d = pickle.loads(pickle.dumps(textmend.Cleaner()))
    assert d.clean("Sales rose , the firm said .")["text"] == "Sales rose, the firm said."


def _clean_in_child(args):
    cleaner, text = args
    return os.getpid(), cleaner.clean(text)["text"]


def test_pickled_to_another_process():
    c = textmend.Cleaner({"disable": ["generic/spacing"]})
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        pid, text = pool.map(_clean_in_child, [(c, "a , b .")])[0]
    assert pid != os.getpid()
    assert text == "a , b ."  # the config travelled with it


def generated(n):
    parts = [
        "Sales rose {i} % , the firm said .",
        "Le {i} mars , le café a fermé .",
        "Clean text number {i}, nothing to do.",
        "\ufeffLine {i} .\r\nNext line ?\r\n",
        "东京 {i} 日电 , 好。",
        "Exports 📈 grew {i} times , officials said !",
        "",
    ]
    return [parts[i % len(parts)].format(i=i) * (1 + i % 3) for i in range(n)]


def test_clean_batch_equals_clean(cleaner):
    texts = generated(500)
    batch = cleaner.clean_batch(texts)
    assert len(batch) == len(texts)
    assert batch == [cleaner.clean(t) for t in texts]
    assert sum(1 for b in batch if b["edits"]) > 200
    assert cleaner.clean_batch([]) == []


def test_clean_batch_from_threads(cleaner):
    # The GIL is released during clean_batch: several Python threads share one Cleaner.
    texts = generated(300)
    expected = [cleaner.clean(t)["text"] for t in texts]
    results = {}

    def work(k):
        results[k] = [r["text"] for r in cleaner.clean_batch(texts)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[k] == expected for k in range(4))


def test_non_string_input_is_type_error(cleaner):
    with pytest.raises(TypeError):
        cleaner.clean(None)
    with pytest.raises(TypeError):
        cleaner.clean_batch(["ok", 3])


def test_installed_wheel_is_tested():
    # ci.sh installs the built wheel; the tests must not pick up the source folder by accident.
    assert "site-packages" in textmend.__file__
    assert textmend.__version__ == "0.1.0"

"""textmend.ray.clean_dataset on a local 2-CPU Ray cluster (no network, no dashboard)."""

import json
import os

import pytest

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_DEDUP_LOGS", "0")

import ray  # noqa: E402
import ray.data  # noqa: E402

import textmend  # noqa: E402
import textmend.ray  # noqa: E402

N = 10_000
BLOCKS = 20


@pytest.fixture(scope="module")
def local_ray():
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        object_store_memory=300 * 1024 * 1024,
        ignore_reinit_error=True,
    )
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    yield
    ray.shutdown()


def make_records(n):
    templates = [
        "Sales rose {i} % , the firm said .",
        "The café in Zürich served {i} guests , its owner said .",
        "Clean record {i}, nothing to change.",
        "\ufeffHeadline {i} .\r\nBody text ?\r\n",
        "东京 {i} 日电 , 好。",
        "Exports 📈 grew {i} times , officials said !",
    ]
    return [
        {"id": i, "text": templates[i % len(templates)].format(i=i), "source": f"site-{i % 7}", "score": i * 0.5}
        for i in range(n)
    ]


@pytest.mark.timeout(480, method="thread")
def test_clean_dataset_two_actors(local_ray):
    records = make_records(N)
    ds = ray.data.from_items(records, override_num_blocks=BLOCKS)
    assert ds.num_blocks() >= 16

    out = textmend.ray.clean_dataset(
        ds,
        column="text",
        add_edits=True,
        add_metadata=True,
        batch_size=250,
        concurrency=2,
        num_cpus=0.5,
        pid_column="worker_pid",
    )
    rows = out.take_all()

    # Row count and ids preserved, other columns untouched.
    assert len(rows) == N
    by_id = {r["id"]: r for r in rows}
    assert sorted(by_id) == list(range(N))
    for rec in records[:50]:
        r = by_id[rec["id"]]
        assert r["source"] == rec["source"] and r["score"] == rec["score"]

    # Texts equal to the in-process result, change log replays.
    cleaner = textmend.Cleaner()
    expected = cleaner.clean_batch([r["text"] for r in records])
    changed = 0
    for rec, exp in zip(records, expected):
        r = by_id[rec["id"]]
        assert r["text"] == exp["text"]
        assert json.loads(r["textmend_edits"]) == exp["edits"]
        assert json.loads(r["textmend_metadata"]) == exp["metadata"]
        changed += r["text"] != rec["text"]
    assert changed >= N * 4 // 6  # every template but the two clean ones has a repair
    assert by_id[0]["text"] == "Sales rose 0 %, the firm said."

    # The work was spread over the actor pool: 2 distinct worker processes, not the driver.
    pids = {r["worker_pid"] for r in rows}
    assert len(pids) >= 2, pids
    assert os.getpid() not in pids


@pytest.mark.timeout(300, method="thread")
def test_clean_dataset_options_and_nulls(local_ray):
    ds = ray.data.from_items(
        [{"id": 1, "body": "Prices rose , and sales fell ."}, {"id": 2, "body": None}],
        override_num_blocks=1,
    )
    out = textmend.ray.clean_dataset(
        ds, column="body", config={"disable": ["generic/spacing"]}, add_metadata=False, concurrency=1
    )
    rows = sorted(out.take_all(), key=lambda r: r["id"])
    assert [r["body"] for r in rows] == ["Prices rose , and sales fell .", None]
    assert set(rows[0]) == {"id", "body"}


def test_clean_dataset_bad_config_fails_on_driver():
    # Checked before any actor starts (no cluster needed).
    with pytest.raises(ValueError, match="bogus"):
        textmend.ray.clean_dataset(None, config={"bogus": True})

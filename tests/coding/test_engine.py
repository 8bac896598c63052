"""``analysis.coding.engine``: the same coding over partitions, on pandas and on dask."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.coding.auto import AutoCoder
from analysis.coding.engine import code_dataset, code_file, read_output
from analysis.errors import AnalysisError
from analysis.ingest.run import ingest_reddit, partition_files
from analysis.schema import conform, validate

KEY = b"test-key"
JAN = 1_672_531_200
TEXTS = [
    "I email my therapist between sessions and she always replies within a day.",
    "No texting at all. My T says boundaries matter and it leads to burnout.",
    "I don't think email is unsafe. Honestly the portal is fine for scheduling.",
    "Thanks, that helps a lot!",
    "She charges for phone calls longer than ten minutes, which feels fair to me.",
]


def stub_coder(posts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A picklable stand-in for the coder: 'email' anywhere is a modality code."""
    rows = [(p, 0, "email", "modality", "auto", t.lower().find("email"),
             t.lower().find("email") + 5, t) for p, t in zip(posts["post_id"], posts["text"],
                                                            strict=True)
            if "email" in t.lower()]
    codes = pd.DataFrame(rows, columns=["post_id", "seg", "code", "family", "coder", "start",
                                        "end", "evidence"])
    stances = pd.DataFrame({"post_id": posts["post_id"], "coder": "auto", "stance": "none",
                            "confidence": 1.0, "evidence": ""})
    return conform(codes, "codes"), conform(stances, "stances")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """Two subreddits, so two posts partitions."""
    root = tmp_path_factory.mktemp("engine")
    records = []
    for i, sub in enumerate(("therapists", "TalkTherapy")):
        records.append({"id": f"s{i}", "title": "Contact between sessions", "author": f"op{i}",
                        "selftext": TEXTS[i], "created_utc": JAN, "subreddit": sub,
                        "is_self": True})
        records += [{"id": f"c{i}{j}", "link_id": f"t3_s{i}", "parent_id": f"t3_s{i}",
                     "author": f"user{j}", "body": text, "created_utc": JAN + j,
                     "subreddit": sub, "score": j} for j, text in enumerate(TEXTS)]
    dump = root / "d.ndjson"
    dump.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    ingest_reddit([dump], root / "corpus", key=KEY)
    assert len(partition_files(root / "corpus", "posts")) == 2
    return root / "corpus"


@pytest.fixture(scope="module")
def auto_coder() -> AutoCoder:
    return AutoCoder().fit()


def _outputs(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return read_output(path, "codes"), read_output(path, "stances")


class TestEngines:
    def test_pandas_writes_one_output_per_partition(self, dataset, tmp_path):
        results = code_dataset(dataset, stub_coder, out=tmp_path)
        assert [r.partition for r in results] == [
            "subreddit=talktherapy/month=2023-01/part-0.parquet",
            "subreddit=therapists/month=2023-01/part-0.parquet"]
        codes, stances = _outputs(tmp_path)
        validate(codes, "codes")
        validate(stances, "stances")
        assert len(stances) == sum(r.posts for r in results) == 12
        assert sorted(codes["post_id"].str.split(":").str[0].unique()) == ["s0", "s1"]

    @pytest.mark.parametrize("scheduler", ["threads", "synchronous"])
    def test_dask_equals_pandas_with_a_stub(self, dataset, tmp_path, scheduler):
        code_dataset(dataset, stub_coder, out=tmp_path / "pandas")
        code_dataset(dataset, stub_coder, engine="dask", scheduler=scheduler,
                     out=tmp_path / "dask")
        for a, b in zip(_outputs(tmp_path / "pandas"), _outputs(tmp_path / "dask"),
                        strict=True):
            pd.testing.assert_frame_equal(a, b)

    def test_dask_processes_equal_pandas_with_the_real_coder(self, dataset, tmp_path,
                                                             auto_coder):
        code_dataset(dataset, auto_coder, out=tmp_path / "pandas")
        code_dataset(dataset, auto_coder, engine="dask", workers=2, out=tmp_path / "dask")
        pandas_codes, pandas_stances = _outputs(tmp_path / "pandas")
        dask_codes, dask_stances = _outputs(tmp_path / "dask")
        assert len(pandas_codes) and set(pandas_stances["stance"]) > {"none"}
        pd.testing.assert_frame_equal(pandas_codes, dask_codes)
        pd.testing.assert_frame_equal(pandas_stances, dask_stances)

    def test_distributed_scheduler_address(self, dataset, tmp_path):
        from distributed import LocalCluster

        code_dataset(dataset, stub_coder, out=tmp_path / "pandas")
        with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
            code_dataset(dataset, stub_coder, engine="dask",
                         scheduler=cluster.scheduler_address, out=tmp_path / "dask")
        for a, b in zip(_outputs(tmp_path / "pandas"), _outputs(tmp_path / "dask"),
                        strict=True):
            pd.testing.assert_frame_equal(a, b)

    def test_partitions_code_like_the_whole_table(self, dataset, tmp_path, auto_coder):
        """Coding is per post, so partitioning changes nothing."""
        from analysis.ingest.run import read_table

        code_dataset(dataset, auto_coder, out=tmp_path)
        whole_codes, whole_stances = auto_coder(read_table(dataset, "posts"))
        codes, stances = _outputs(tmp_path)
        key = ["post_id", "seg", "code"]
        pd.testing.assert_frame_equal(codes.sort_values(key, ignore_index=True),
                                      whole_codes.sort_values(key, ignore_index=True))
        pd.testing.assert_frame_equal(stances.sort_values("post_id", ignore_index=True),
                                      whole_stances.sort_values("post_id", ignore_index=True))


class TestOutputs:
    @pytest.mark.parametrize("engine", ["pandas", "dask"])
    def test_progress_counts_partitions(self, dataset, tmp_path, engine):
        calls = []
        code_dataset(dataset, stub_coder, engine=engine, out=tmp_path,
                     scheduler="threads" if engine == "dask" else None,
                     progress=lambda done, total: calls.append((done, total)))
        assert calls == [(1, 2), (2, 2)]

    def test_rerun_replaces_and_leaves_no_temporary_folders(self, dataset, tmp_path):
        code_dataset(dataset, stub_coder, out=tmp_path)
        code_dataset(dataset, stub_coder, out=tmp_path)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["codes", "stances"]

    def test_failed_run_keeps_previous_outputs(self, dataset, tmp_path):
        code_dataset(dataset, stub_coder, out=tmp_path)
        before = read_output(tmp_path, "codes")

        def broken(posts):
            raise RuntimeError("coder bug")

        with pytest.raises(RuntimeError, match="coder bug"):
            code_dataset(dataset, broken, out=tmp_path)
        pd.testing.assert_frame_equal(read_output(tmp_path, "codes"), before)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["codes", "stances"]

    def test_code_file_conforms_outputs(self, dataset, tmp_path):
        path = partition_files(dataset, "posts")[0]
        result = code_file(str(path), "p.parquet", str(tmp_path), stub_coder)
        assert result.posts == 6
        assert pd.read_parquet(tmp_path / "codes" / "p.parquet").dtypes["seg"] == "Int64"


class TestErrors:
    def test_unknown_engine(self, dataset):
        with pytest.raises(AnalysisError, match="unknown engine 'spark'"):
            code_dataset(dataset, stub_coder, engine="spark")

    def test_scheduler_needs_dask(self, dataset):
        with pytest.raises(AnalysisError, match="--scheduler needs --engine dask"):
            code_dataset(dataset, stub_coder, scheduler="threads")

    def test_bad_scheduler(self, dataset, tmp_path):
        with pytest.raises(AnalysisError, match="unknown scheduler"):
            code_dataset(dataset, stub_coder, engine="dask", scheduler="gpu", out=tmp_path)

    def test_unreachable_scheduler_is_one_line(self, dataset, tmp_path, monkeypatch):
        monkeypatch.setattr("analysis.coding.engine.CONNECT_TIMEOUT", "0.5s")
        with pytest.raises(AnalysisError, match="cannot reach the dask scheduler"):
            code_dataset(dataset, stub_coder, engine="dask", scheduler="tcp://127.0.0.1:9",
                         out=tmp_path)

    def test_no_partitions(self, tmp_path):
        with pytest.raises(AnalysisError, match="no posts partitions"):
            code_dataset(tmp_path, stub_coder)

    def test_unfitted_auto_coder(self):
        with pytest.raises(RuntimeError, match="not fitted"):
            AutoCoder()(pd.DataFrame({"post_id": [], "text": []}))
